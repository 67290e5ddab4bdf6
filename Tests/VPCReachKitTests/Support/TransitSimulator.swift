import PacketSets

@testable import VPCReachKit

/// A brute-force, one-packet-at-a-time model of VPC-to-VPC traffic through one transit gateway
/// (docs/semantics.md §41), written independently of the engine's transit gateway stages, for
/// differential testing on `RandomTransitEstate`s (TCP between interfaces only).
struct TransitSimulator {
    let snapshot: Snapshot
    let concrete: ConcreteSimulator

    init(snapshot: Snapshot) {
        self.snapshot = snapshot
        concrete = ConcreteSimulator(snapshot: snapshot)
    }

    typealias Packet = ConcreteSimulator.TCPPacket

    /// Whether the connection works both ways: `true`, `false`, or `nil` when it depends on the
    /// zone AWS picks for the flow.
    func connects(_ source: NetworkInterface, _ destination: NetworkInterface, sourcePort: Int, port: Int) -> Bool? {
        let request = Packet(
            source: source.privateAddresses[0], destination: destination.privateAddresses[0], sourcePort: sourcePort,
            destinationPort: port)
        let reply = Packet(
            source: request.destination, destination: request.source, sourcePort: port, destinationPort: sourcePort)
        guard groupsAllow(source, request, outbound: true), groupsAllow(destination, request, outbound: false) else {
            return false
        }
        if source.subnetID == destination.subnetID { return true }
        let there = cross(request, from: source, to: destination)
        if there == false { return false }
        let back = cross(reply, from: destination, to: source)
        if back == false { return false }
        return there == nil || back == nil ? nil : true
    }

    /// Security groups; a reference to a group of the other VPC matches only in an inbound rule,
    /// with referencing on for the gateway and both attachments.
    func groupsAllow(_ interface: NetworkInterface, _ packet: Packet, outbound: Bool) -> Bool {
        let far = outbound ? packet.destination : packet.source
        for groupID in interface.groupIDs {
            guard let group = snapshot.securityGroups[groupID] else { continue }
            for rule in outbound ? group.egress : group.ingress {
                switch rule.ipProtocol {
                case .all: break
                case .tcp:
                    guard ((rule.fromPort ?? 0)...(rule.toPort ?? 65535)).contains(packet.destinationPort) else {
                        continue
                    }
                default: continue
                }
                switch rule.peer {
                case .cidr(let block): if block.contains(far) { return true }
                case .group(let reference):
                    guard let peer = concrete.interface(at: far), peer.groupIDs.contains(reference.groupID) else {
                        continue
                    }
                    if peer.vpcID == group.vpcID || (!outbound && referencingOn()) { return true }
                default: continue
                }
            }
        }
        return false
    }

    func referencingOn() -> Bool {
        guard snapshot.transitGateways["tgw-1"]?.securityGroupReferencing == true else { return false }
        let attachments = snapshot.transitGatewayAttachments.values.filter { $0.isAvailable }
        return attachments.count == 2 && attachments.allSatisfy { $0.securityGroupReferencing == true }
    }

    /// From the sender's subnet to the receiver's: its ACL out, its route, then the receiver's
    /// ACL in, or the transit gateway.
    func cross(_ packet: Packet, from sender: NetworkInterface, to receiver: NetworkInterface) -> Bool? {
        guard concrete.aclAllows(sender.subnetID, packet, outbound: true) else { return false }
        guard let route = bestRoute(sender.subnetID, packet.destination), route.state == .active else { return false }
        switch route.target {
        case .local:
            return receiver.vpcID == sender.vpcID && concrete.aclAllows(receiver.subnetID, packet, outbound: false)
        case .transitGateway:
            return throughGateway(packet, from: sender, to: receiver)
        default: return false
        }
    }

    func bestRoute(_ subnetID: String, _ address: IPv4Address) -> Route? {
        let vpc = snapshot.subnets[subnetID]?.vpcID
        let table =
            snapshot.routeTables.values.first { $0.subnetIDs.contains(subnetID) }
            ?? snapshot.routeTables.values.first { $0.isMain && $0.vpcID == vpc }
        var best: Route?
        for route in table?.routes ?? [] {
            guard case .cidr(let block) = route.destination, block.contains(address) else { continue }
            if case .cidr(let current)? = best?.destination, current.prefixLength >= block.prefixLength { continue }
            best = route
        }
        return best
    }

    func zone(_ subnetID: String) -> String? { snapshot.subnets[subnetID]?.availabilityZone }

    func throughGateway(_ packet: Packet, from sender: NetworkInterface, to receiver: NetworkInterface) -> Bool? {
        guard
            let attachment = snapshot.transitGatewayAttachments.values.first(where: { $0.resourceID == sender.vpcID }),
            attachment.isAvailable,
            let entry = attachment.subnetIDs?.first(where: { zone($0) == zone(sender.subnetID) }),
            concrete.aclAllows(entry, packet, outbound: false),
            let tableID = attachment.routeTableID,
            let table = snapshot.transitGatewayRouteTables[tableID]
        else { return false }
        var best: TransitGatewayRoute?
        for route in table.routes ?? [] where route.state == .active || route.state == .blackhole {
            guard case .cidr(let block) = route.destination, block.contains(packet.destination) else { continue }
            if case .cidr(let current)? = best?.destination, current.prefixLength >= block.prefixLength { continue }
            best = route
        }
        guard let best, best.state == .active, let next = best.attachmentIDs.first,
            let exit = snapshot.transitGatewayAttachments[next], exit.isAvailable, exit.resourceID == receiver.vpcID,
            let subnets = exit.subnetIDs, !subnets.isEmpty
        else { return false }
        let sameZone = subnets.filter { zone($0) == zone(entry) }
        let candidates = sameZone.isEmpty || exit.applianceMode ? subnets : sameZone
        let outcomes = Set(
            candidates.map { subnet in
                subnet == receiver.subnetID
                    || (concrete.aclAllows(subnet, packet, outbound: true)
                        && bestRoute(subnet, packet.destination)?.target == .local
                        && concrete.aclAllows(receiver.subnetID, packet, outbound: false))
            })
        return outcomes.count == 1 ? outcomes.first : nil
    }
}
