import Foundation
import PacketSets

/// Turns selector text into endpoints.
///
/// Accepted: `all` (every interface but those that only forward), `eni-…`, `i-…` (primary interface), an IPv4 address (the interface that owns it,
/// else what AWS answers or reserves there, an unassigned address of a VPC, or an outside address), a CIDR block (the interfaces inside it, else an outside range), `subnet-…`,
/// `sg-…`, `vpc-…`, `tag:Key=Value`, `ecs:CLUSTER/SERVICE` (its running tasks, else where it would
/// place tasks), `new:subnet-…,sg-…[,sg-…]` (a hypothetical interface) and, as a destination, a DNS name.
struct SelectorResolver {
    let index: NetworkIndex
    var snapshot: Snapshot { index.snapshot }

    func resolveSource(_ text: String) throws -> [Endpoint] {
        switch try resolve(text) {
        case .endpoints(let endpoints):
            for endpoint in endpoints {
                switch endpoint.kind {
                case .unassigned:
                    throw VPCReachError.selector(
                        "selector '\(text)': no network interface in the snapshot owns the address, so it sends nothing; to ask about a new interface there, use 'new:subnet-…,sg-…'"
                    )
                case .service:
                    throw VPCReachError.selector(
                        "selector '\(text)': an address AWS answers or reserves can only be a destination (--to)")
                default: break
                }
            }
            return endpoints
        case .dnsName:
            throw VPCReachError.selector("selector '\(text)': a DNS name can only be a destination (--to)")
        }
    }

    func resolve(_ rawText: String) throws -> DestinationSpec {
        let text = rawText.trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty else { throw VPCReachError.selector("empty selector") }
        let endpoints: [Endpoint]
        if text == "all" {
            endpoints = interfaces { !$0.kind.isForwarder }
        } else if text == "internet" {
            endpoints = [
                Endpoint(
                    kind: .external, id: "internet", label: "the internet (every public IPv4 address)",
                    addresses: AddressSpace.internet,
                    subnetID: nil, vpcID: nil, groupIDs: [], hasPublicAddress: true)
            ]
        } else if text == "onprem" {
            endpoints = [try onPremises()]
        } else if text.contains("."), IPv4Address(text) == nil, !text.contains("/"), Self.looksLikeDNSName(text) {
            // Before the id prefixes: resource ids have no dots, EC2 hostnames start like them
            // (`i-0123….eu-west-1.compute.internal`, `ip-10-1-2-3.ec2.internal`).
            return .dnsName(text)
        } else if text.hasPrefix("new:") {
            endpoints = [try hypothetical(text)]
        } else if text.hasPrefix("ecs:") {
            endpoints = try ecsService(text)
        } else if text.hasPrefix("tag:") {
            endpoints = try tagged(text)
        } else if text.hasPrefix("eni-") {
            guard let interface = snapshot.networkInterfaces[text] else { throw notFound(text, "network interface") }
            endpoints = [endpoint(interface)]
        } else if text.hasPrefix("i-") {
            guard let instance = snapshot.instances[text] else { throw notFound(text, "instance") }
            let id = instance.primaryNetworkInterfaceID ?? instance.networkInterfaceIDs.first
            guard let id, let interface = snapshot.networkInterfaces[id] else {
                throw VPCReachError.selector(
                    "selector '\(text)': the instance has no network interface in the snapshot")
            }
            endpoints = [endpoint(interface)]
        } else if text.hasPrefix("subnet-") {
            guard snapshot.subnets[text] != nil else { throw notFound(text, "subnet") }
            endpoints = interfaces { $0.subnetID == text }
            if endpoints.isEmpty {
                throw VPCReachError.selector(
                    "selector '\(text)': the subnet has no network interfaces; to ask about a new one, use 'new:\(text),sg-…'"
                )
            }
        } else if text.hasPrefix("sg-") {
            guard snapshot.securityGroups[text] != nil || index.interfacesByGroup[text] != nil else {
                throw notFound(text, "security group")
            }
            endpoints = interfaces { $0.groupIDs.contains(text) }
        } else if text.hasPrefix("vpc-") {
            guard snapshot.vpcs[text] != nil else { throw notFound(text, "VPC") }
            endpoints = interfaces { $0.vpcID == text }
        } else if let address = IPv4Address(text) {
            endpoints = [addressEndpoint(address, text: text)]
        } else if text.contains("/"), let block = CIDRBlock(text) {
            endpoints = try cidrEndpoints(block, text: text)
        } else {
            throw VPCReachError.selector(
                "selector '\(text)' is not an id (eni-, i-, subnet-, sg-, vpc-), an address, a CIDR block, a DNS name, tag:K=V, ecs:CLUSTER/SERVICE or new:subnet-…,sg-…"
            )
        }
        guard !endpoints.isEmpty else {
            throw VPCReachError.selector("selector '\(text)' matches nothing in the snapshot")
        }
        return .endpoints(endpoints.sorted())
    }

    static func looksLikeDNSName(_ text: String) -> Bool {
        let name = text.hasSuffix(".") ? String(text.dropLast()) : text
        let labels = name.split(separator: ".", omittingEmptySubsequences: false)
        return labels.count >= 2
            && labels.allSatisfy { label in
                !label.isEmpty && label.count <= 63
                    && label.allSatisfy {
                        $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "*")
                    }
            } && name.contains(where: \.isLetter)
    }

    func notFound(_ text: String, _ kind: String) -> VPCReachError {
        .selector("selector '\(text)': no \(kind) with that id in the snapshot")
    }

    func interfaces(where predicate: @Sendable (NetworkInterface) -> Bool) -> [Endpoint] {
        // Built on every core from the ids, sorted first: copying, filtering and sorting the
        // larger interface records, then the endpoints, was most of the time of `all` at 100k ENIs.
        let interfaces = snapshot.networkInterfaces
        return interfaces.keys.sorted().concurrentMap { id -> Endpoint? in
            guard let interface = interfaces[id], predicate(interface) else { return nil }
            return endpoint(interface)
        }.compactMap { $0 }
    }

    func endpoint(_ interface: NetworkInterface) -> Endpoint {
        // The label is `index.label(id)` spelled out from the record at hand (no second lookup),
        // and one address needs no sorting: `all` builds this for every interface.
        let name = interface.tags.name.map { "\(interface.id) (\($0))" } ?? interface.id
        let addresses =
            interface.privateAddresses.count == 1
            ? IntervalSet(interface.privateAddresses[0].value...interface.privateAddresses[0].value)
            : IntervalSet(interface.privateAddresses.map { $0.value...$0.value })
        // Public when some private address has a public one (`NetworkInterface.isPubliclyPaired`,
        // as the class keys read it); paired in part: only those addresses.
        var endpoint = Endpoint(
            kind: .interface(interface.id), id: interface.id, label: name + interfaceOwner(interface),
            addresses: addresses,
            subnetID: interface.subnetID, vpcID: interface.vpcID, groupIDs: interface.groupIDs,
            hasPublicAddress: interface.isPubliclyPaired != false,
            acceptance: Self.acceptance(of: interface),
            ephemeralPorts: interface.kind.ephemeralPorts(platform: interface.platform))
        if endpoint.hasPublicAddress, interface.isPubliclyPaired == nil {
            endpoint.publicSources = IntervalSet(interface.publiclyPairedAddresses.map { $0.value...$0.value })
        }
        return endpoint
    }

    /// What the interface accepts addressed to itself (§38).
    static func acceptance(of interface: NetworkInterface) -> Acceptance {
        if interface.kind.isForwarder { return .forwardOnly(interface.kind) }
        if interface.kind == .loadBalancer {
            return .loadBalancer(interface.interfaceDescription.flatMap(LoadBalancer.id(fromInterfaceDescription:)))
        }
        return .host
    }

    private func interfaceOwner(_ interface: NetworkInterface) -> String {
        let address = interface.privateAddresses.first.map { " \($0)" } ?? ""
        if let instance = interface.instanceID, interface.kind == .ec2Instance {
            return " [\(index.label(instance))\(address)]"
        }
        return " [\(interface.kind.rawValue)\(address)]"
    }

    func hypothetical(_ text: String) throws -> Endpoint {
        let parts = text.dropFirst("new:".count).split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        guard let subnetID = parts.first(where: { $0.hasPrefix("subnet-") }) else {
            throw VPCReachError.selector("selector '\(text)': a new endpoint needs a subnet: new:subnet-…,sg-…")
        }
        let groups = parts.filter { $0 != subnetID }
        guard let subnet = snapshot.subnets[subnetID] else { throw notFound(subnetID, "subnet") }
        for group in groups {
            guard group.hasPrefix("sg-") else {
                throw VPCReachError.selector("selector '\(text)': '\(group)' is not a security group id")
            }
            guard snapshot.securityGroups[group] != nil else { throw notFound(group, "security group") }
        }
        guard !groups.isEmpty else {
            throw VPCReachError.selector("selector '\(text)': a new endpoint needs at least one security group")
        }
        return hypotheticalEndpoint(subnet: subnet, groups: groups, id: text, publicAddress: false)
    }

    func hypotheticalEndpoint(subnet: Subnet, groups: [String], id: String, publicAddress: Bool) -> Endpoint {
        let block = subnet.cidrBlock
        let usable = subnet.usableAddresses
        return Endpoint(
            kind: .hypothetical(subnetID: subnet.id), id: id,
            label:
                "a new interface in \(index.label(subnet.id)) with \(groups.joined(separator: ", ")) (any of \(block))",
            addresses: IntervalSet(usable), subnetID: subnet.id, vpcID: subnet.vpcID, groupIDs: groups,
            hasPublicAddress: publicAddress)
    }

    func ecsService(_ text: String) throws -> [Endpoint] {
        let key = String(text.dropFirst("ecs:".count))
        guard let service = snapshot.ecsServices[key] else {
            let known = snapshot.ecsServices.keys.sorted().joined(separator: ", ")
            throw VPCReachError.selector(
                "selector '\(text)': no ECS service '\(key)' in the snapshot (known: \(known.isEmpty ? "none" : known))"
            )
        }
        let tasks = snapshot.ecsTasks.values.filter {
            $0.clusterName == service.clusterName && $0.serviceName == service.name && $0.lastStatus == "RUNNING"
        }
        var interfaceIDs = Set(tasks.compactMap(\.networkInterfaceID))
        let attachments = Set(tasks.compactMap(\.attachmentID))
        for interface in snapshot.networkInterfaces.values {
            if let id = interface.ecsAttachmentID, attachments.contains(id) {
                interfaceIDs.insert(interface.id)
            }
        }
        let running = interfaceIDs.compactMap { snapshot.networkInterfaces[$0] }.map(endpoint)
        if !running.isEmpty { return running }
        if !tasks.isEmpty {
            throw VPCReachError.selector(
                "selector '\(text)': the service's running tasks have no network interface in the snapshot")
        }
        // No task running: where the service would place one, from its awsvpcConfiguration. A task
        // launched without security groups gets its VPC's default group.
        return try service.subnetIDs.map { subnetID in
            guard let subnet = snapshot.subnets[subnetID] else {
                throw notFound(subnetID, "subnet (of the service's awsvpcConfiguration)")
            }
            let groups = service.securityGroupIDs.isEmpty ? [defaultGroup(of: subnet.vpcID)] : service.securityGroupIDs
            return hypotheticalEndpoint(
                subnet: subnet, groups: groups, id: "\(text)@\(subnetID)", publicAddress: service.assignsPublicIP)
        }
    }

    /// The id of a VPC's `default` security group; when the snapshot lacks it, a name that is not an
    /// id, which the security-group stage then reports as missing (the answer becomes unknown).
    func defaultGroup(of vpcID: String) -> String {
        snapshot.securityGroups.values.sorted { $0.id < $1.id }.first { $0.vpcID == vpcID && $0.name == "default" }?.id
            ?? "default security group of \(vpcID)"
    }

    func tagged(_ text: String) throws -> [Endpoint] {
        let body = text.dropFirst("tag:".count)
        guard let equals = body.firstIndex(of: "=") else {
            throw VPCReachError.selector("selector '\(text)': expected tag:Key=Value")
        }
        let key = String(body[..<equals])
        let value = String(body[body.index(after: equals)...])
        @Sendable func matches(_ tags: Tags) -> Bool { tags[key] == value }
        let instances = Set(snapshot.instances.values.filter { matches($0.tags) }.map(\.id))
        let subnets = Set(snapshot.subnets.values.filter { matches($0.tags) }.map(\.id))
        let vpcs = Set(snapshot.vpcs.values.filter { matches($0.tags) }.map(\.id))
        return interfaces {
            matches($0.tags) || instances.contains($0.instanceID ?? "") || subnets.contains($0.subnetID)
                || vpcs.contains($0.vpcID)
        }
    }

    /// The interface that owns `address` (privately first), else what AWS answers or reserves
    /// there, or the unassigned address of a VPC (§7a), else an outside address.
    func addressEndpoint(_ address: IPv4Address, text: String) -> Endpoint {
        if let interface = index.interface(privateAddress: address) {
            var named = endpoint(interface)
            named.addressing = .privateAddress
            return named
        }
        if let interface = index.interface(publicAddress: address) {
            var named = endpoint(interface)
            named.addressing = .publicAddress
            // A public address stands for the one private address it is associated with.
            if interface.privateAddresses.count > 1, let paired = interface.privateAddress(pairedWith: address) {
                named.addresses = IntervalSet(paired.value...paired.value)
                named.publicSources = named.addresses
            }
            return named
        }
        if let service = serviceEndpoint(address, text: text) { return service }
        return external(IntervalSet(address.value...address.value), text: text)
    }

    func cidrEndpoints(_ block: CIDRBlock, text: String) throws -> [Endpoint] {
        let inside = interfaces { $0.privateAddresses.contains(where: block.contains) }
        func named(_ endpoints: [Endpoint], _ addressing: Addressing) -> [Endpoint] {
            endpoints.map { endpoint in
                var named = endpoint
                named.addressing = addressing
                return named
            }
        }
        if !inside.isEmpty { return named(inside, .privateAddress) }
        // A block of public addresses names the interfaces holding them there (reached over the internet, §30a).
        let publicly = interfaces { $0.publicAddresses.contains(where: block.contains) }
        if !publicly.isEmpty { return named(publicly, .publicAddress) }
        if let vpc = snapshot.vpcs.values.sorted(by: { $0.id < $1.id }).first(where: {
            $0.cidrBlocks.contains(where: block.overlaps)
        }) {
            throw VPCReachError.selector(
                "selector '\(text)': the block overlaps \(index.label(vpc.id)) but holds no network interface of the snapshot"
            )
        }
        return [external(IntervalSet(block.range), text: text)]
    }

    func external(_ addresses: IntervalSet, text: String) -> Endpoint {
        Endpoint(
            kind: .external, id: text, label: "\(text) (outside the snapshot's VPCs)", addresses: addresses,
            subnetID: nil,
            vpcID: nil, groupIDs: [], hasPublicAddress: true)
    }
}

extension SelectorResolver {
    /// `onprem`: every address the snapshot routes over a Site-to-Site VPN (semantics §42): VPN
    /// connections' static routes, VPC routes to virtual private gateways and transit gateway
    /// routes to VPN attachments, outside the snapshot's VPCs.
    func onPremises() throws -> Endpoint {
        let snapshot = index.snapshot
        var blocks: [CIDRBlock] = snapshot.vpnConnections.values.flatMap(\.staticRoutes)
        for table in snapshot.routeTables.values where table.routes.contains(where: { $0.state == .active }) {
            for route in table.routes where route.state == .active {
                guard case .virtualPrivateGateway = route.target else { continue }
                switch route.destination {
                case .cidr(let block): blocks.append(block)
                case .prefixList(let id): blocks += index.prefixListBlocks(id) ?? []
                case .ipv6: continue
                }
            }
        }
        for table in snapshot.transitGatewayRouteTables.values {
            for route in table.routes ?? [] where route.state == .active {
                guard route.attachmentIDs.contains(where: { snapshot.transitGatewayAttachments[$0]?.kind == .vpn }),
                    case .cidr(let block) = route.destination
                else { continue }
                blocks.append(block)
            }
        }
        let inside = IntervalSet(snapshot.vpcs.values.flatMap(\.cidrBlocks).map(\.range))
        let addresses = IntervalSet(blocks.map(\.range)).subtracting(inside)
        guard !addresses.isEmpty else {
            throw VPCReachError.selector(
                "selector 'onprem': no address outside the snapshot's VPCs is routed over a VPN (no VPN connection's static routes, no route to a virtual private gateway or to a transit gateway's VPN attachment)"
            )
        }
        return Endpoint(
            kind: .external, id: "onprem",
            label: "on premises (\(TrafficSets.addresses(addresses)), routed over a VPN)", addresses: addresses,
            subnetID: nil, vpcID: nil, groupIDs: [], hasPublicAddress: false)
    }
}
