import PacketSets

/// Addresses no interface owns (semantics §7a): inside a VPC, an address of a subnet with no
/// interface, one AWS reserves, or the Route 53 Resolver; the link-local Resolver and instance
/// metadata addresses.
extension SelectorResolver {
    /// 169.254.169.253: the Route 53 Resolver, from inside any VPC.
    static let linkLocalResolver = IPv4Address(0xA9FE_A9FD)
    /// 169.254.169.254: the instance metadata service.
    static let instanceMetadata = IPv4Address(0xA9FE_A9FE)

    /// The endpoint for an address that AWS answers or reserves, or that lies in a VPC without an
    /// owner; `nil` for an address outside every VPC.
    func serviceEndpoint(_ address: IPv4Address, text: String) -> Endpoint? {
        let single = IntervalSet(address.value...address.value)
        if address == Self.linkLocalResolver {
            return service(.resolver(vpcID: nil), single, text, "\(text) (the Route 53 Resolver of the source's VPC)")
        }
        if address == Self.instanceMetadata {
            return service(.instanceMetadata, single, text, "\(text) (the instance metadata service)")
        }
        guard let vpc = index.vpc(containing: address) else { return nil }
        if let primary = vpc.cidrBlocks.first, address.value == primary.first + 2 {
            return service(
                .resolver(vpcID: vpc.id), single, text, "\(text) (the Route 53 Resolver of \(index.label(vpc.id)))",
                vpcID: vpc.id)
        }
        let subnet = snapshot.subnets.values.filter { $0.vpcID == vpc.id && $0.cidrBlock.contains(address) }.min {
            $0.id < $1.id
        }
        if let subnet, let role = subnet.reservedRole(of: address) {
            var endpoint = service(
                .reserved(subnetID: subnet.id, role: role), single, text,
                "\(text) (reserved by AWS in \(index.label(subnet.id)): \(role))", vpcID: vpc.id)
            endpoint.subnetID = subnet.id
            return endpoint
        }
        let place =
            subnet.map { "in \(index.label($0.id)), where no network interface of the snapshot owns it" }
            ?? "in \(index.label(vpc.id)), but in none of its subnets"
        return Endpoint(
            kind: .unassigned(subnetID: subnet?.id), id: text, label: "\(text) (\(place))", addresses: single,
            subnetID: subnet?.id,
            vpcID: vpc.id, groupIDs: [], hasPublicAddress: false)
    }

    private func service(
        _ service: ServiceAddress, _ addresses: IntervalSet, _ text: String, _ label: String, vpcID: String? = nil
    ) -> Endpoint {
        Endpoint(
            kind: .service(service), id: text, label: label, addresses: addresses, subnetID: nil, vpcID: vpcID,
            groupIDs: [],
            hasPublicAddress: false)
    }

}

/// What AWS answers at the addresses of ``ServiceAddress``: no security group or network ACL
/// applies, only who may ask and for what (semantics §7a).
extension PathAnalyzer {
    func evaluateServiceAddress(from source: Endpoint, to destination: Endpoint, service: ServiceAddress, dns: [String])
        -> PairEvaluation
    {
        let flow = TrafficSets.flow(
            traffic, ephemeral: traffic.ephemeralPorts(of: source), from: source.addresses, to: destination.addresses)
        var stage = StageResult(.forward, kind: .awsService, component: destination.id, name: nil, explains: explains)
        switch service {
        case .resolver(let vpcID):
            let own = vpcID ?? source.vpcID
            guard let own, source.vpcID == own else {
                stage.deny(
                    flow, code: .awsServiceSourceRestriction,
                    "the Route 53 Resolver at \(destination.id) answers only queries from inside \(own.map { index.label($0) } ?? "its own VPC"); \(source.label) is not there",
                    fix:
                        "query the Resolver of the source's own VPC (its base address plus two, or 169.254.169.253), or a Resolver inbound endpoint"
                )
                break
            }
            switch snapshot.vpcs[own]?.dnsSupport {
            case false?:
                stage.deny(
                    flow, code: .awsServiceSourceRestriction, component: own,
                    "enableDnsSupport is off in \(index.label(own)): the Route 53 Resolver at \(destination.id) does not answer there",
                    fix: "turn enableDnsSupport on in \(own)")
                return evaluation(
                    source, destination, flow: flow, forward: [stage], back: [], dns: dns, sameSubnet: false)
            case nil:
                stage.markUnknown(
                    flow,
                    "the DNS attributes of \(index.label(own)) are not in the snapshot (export describe-vpc-attribute enableDnsSupport): the Route 53 Resolver answers only when it is on"
                )
                return evaluation(
                    source, destination, flow: flow, forward: [stage], back: [], dns: dns, sameSubnet: false)
            case true?: break
            }
            stage.hop.details.append(
                "the Route 53 Resolver of \(index.label(own)): security groups and network ACLs do not filter DNS traffic to it"
            )
            let dns = PacketSet([
                .ipProtocol: IntervalSet([TrafficSets.tcp...TrafficSets.tcp, TrafficSets.udp...TrafficSets.udp]),
                .destinationPort: IntervalSet(53...53),
            ])
            let other = flow.subtracting(dns)
            stage.deny(
                other, code: .awsServicePortRestriction,
                "the Route 53 Resolver at \(destination.id) answers only DNS (udp and tcp 53), not \(TrafficSets.describe(other, direction: .forward, within: flow))",
                fix: "ask the Resolver on port 53")
        case .instanceMetadata:
            guard case .interface(let id) = source.kind, snapshot.networkInterfaces[id]?.kind == .ec2Instance else {
                stage.deny(
                    flow, code: .awsServiceSourceRestriction,
                    "the instance metadata service at 169.254.169.254 answers only the EC2 instance asking from its own interface; \(source.label) is not an instance",
                    fix: "ask from the instance itself (ECS tasks on Fargate use the task metadata endpoint instead)")
                break
            }
            if let instance = snapshot.networkInterfaces[id]?.instanceID.flatMap({ snapshot.instances[$0] }),
                instance.metadataEndpoint == "disabled"
            {
                stage.deny(
                    flow, code: .awsServiceSourceRestriction,
                    "the instance metadata service of \(index.label(instance.id)) is turned off (MetadataOptions.HttpEndpoint disabled)",
                    fix:
                        "enable the metadata endpoint of \(instance.id) (aws ec2 modify-instance-metadata-options --http-endpoint enabled)"
                )
                return evaluation(
                    source, destination, flow: flow, forward: [stage], back: [], dns: dns, sameSubnet: false)
            }
            stage.hop.details.append(
                "the instance metadata service of \(source.label): link-local, not filtered by security groups or network ACLs"
            )
            let http = PacketSet([
                .ipProtocol: IntervalSet(TrafficSets.tcp...TrafficSets.tcp), .destinationPort: IntervalSet(80...80),
            ])
            let other = flow.subtracting(http)
            stage.deny(
                other, code: .awsServicePortRestriction,
                "the instance metadata service answers only HTTP (tcp 80), not \(TrafficSets.describe(other, direction: .forward, within: flow))",
                fix: "ask on tcp 80")
        case .reserved(let subnetID, let role):
            stage.deny(
                flow, code: .reservedAddress, component: subnetID,
                "\(destination.id) is \(role) of \(index.label(subnetID)): AWS reserves it, and no interface can hold it",
                fix: "address an interface of the subnet instead")
        }
        return evaluation(source, destination, flow: flow, forward: [stage], back: [], dns: dns, sameSubnet: false)
    }
}
