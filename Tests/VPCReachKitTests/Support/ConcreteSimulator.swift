import PacketSets

@testable import VPCReachKit

/// A brute-force, one-packet-at-a-time model of the AWS rules, written independently of the
/// symbolic engine, for differential testing on small estates (TCP between interfaces only).
struct ConcreteSimulator {
    let snapshot: Snapshot

    struct TCPPacket {
        var source: IPv4Address
        var destination: IPv4Address
        var sourcePort: Int
        var destinationPort: Int
    }

    func interface(at address: IPv4Address) -> NetworkInterface? {
        snapshot.networkInterfaces.values.first { $0.privateAddresses.contains(address) }
    }

    /// Whether the TCP connection from `source` (ephemeral `sourcePort`) to `destination:port` works both ways.
    func connects(_ source: NetworkInterface, _ destination: NetworkInterface, sourcePort: Int, port: Int) -> Bool {
        let request = TCPPacket(
            source: source.privateAddresses[0], destination: destination.privateAddresses[0], sourcePort: sourcePort,
            destinationPort: port)
        let reply = TCPPacket(
            source: request.destination, destination: request.source, sourcePort: port, destinationPort: sourcePort)
        guard securityGroupsAllow(source, request, outbound: true),
            securityGroupsAllow(destination, request, outbound: false)
        else { return false }
        if source.subnetID == destination.subnetID { return true }
        return crosses(request, from: source, to: destination) && crosses(reply, from: destination, to: source)
    }

    /// Subnet boundary crossing: sender's ACL out, sender's route, receiver's ACL in.
    func crosses(_ packet: TCPPacket, from sender: NetworkInterface, to receiver: NetworkInterface) -> Bool {
        aclAllows(sender.subnetID, packet, outbound: true) && routes(packet, from: sender, to: receiver)
            && aclAllows(receiver.subnetID, packet, outbound: false)
    }

    func securityGroupsAllow(_ interface: NetworkInterface, _ packet: TCPPacket, outbound: Bool) -> Bool {
        let far = outbound ? packet.destination : packet.source
        for groupID in interface.groupIDs {
            guard let group = snapshot.securityGroups[groupID] else { continue }
            for rule in outbound ? group.egress : group.ingress {
                let portMatches: Bool
                switch rule.ipProtocol {
                case .all: portMatches = true
                case .tcp: portMatches = (rule.fromPort ?? 0)...(rule.toPort ?? 65535) ~= packet.destinationPort
                default: portMatches = false
                }
                guard portMatches else { continue }
                switch rule.peer {
                case .cidr(let block): if block.contains(far) { return true }
                case .group(let reference):
                    guard let peer = self.interface(at: far), peer.groupIDs.contains(reference.groupID) else {
                        continue
                    }
                    if peer.vpcID == group.vpcID { return true }
                    if snapshot.peeringConnections.values.contains(where: {
                        $0.isActive && $0.peer(of: group.vpcID ?? "")?.vpcID == peer.vpcID
                    }) {
                        return true
                    }
                default: continue
                }
            }
        }
        return false
    }

    func aclAllows(_ subnetID: String, _ packet: TCPPacket, outbound: Bool) -> Bool {
        let acl =
            snapshot.networkACLs.values.first { $0.subnetIDs.contains(subnetID) }
            ?? snapshot.networkACLs.values.first { $0.isDefault && $0.vpcID == snapshot.subnets[subnetID]?.vpcID }
        guard let acl else { return false }
        let far = outbound ? packet.destination : packet.source
        for entry in acl.entries.filter({ $0.isEgress == outbound }).sorted(by: { $0.ruleNumber < $1.ruleNumber }) {
            guard entry.cidrBlock?.contains(far) ?? false else { continue }
            if case .tcp = entry.ipProtocol, let range = entry.portRange, !range.contains(packet.destinationPort) {
                continue
            }
            return entry.allows
        }
        return false
    }

    func routes(_ packet: TCPPacket, from sender: NetworkInterface, to receiver: NetworkInterface) -> Bool {
        let table =
            snapshot.routeTables.values.first { $0.subnetIDs.contains(sender.subnetID) }
            ?? snapshot.routeTables.values.first { $0.isMain && $0.vpcID == sender.vpcID }
        guard let table else { return false }
        var best: Route?
        var bestLength = -1
        for route in table.routes {
            guard case .cidr(let block) = route.destination, block.contains(packet.destination),
                block.prefixLength > bestLength
            else { continue }
            best = route
            bestLength = block.prefixLength
        }
        guard let best, best.state == "active" else { return false }
        switch best.target {
        case .local: return receiver.vpcID == sender.vpcID
        case .peeringConnection(let id):
            guard let peering = snapshot.peeringConnections[id], peering.isActive,
                let peer = peering.peer(of: sender.vpcID)
            else { return false }
            return peer.vpcID == receiver.vpcID && peer.cidrBlocks.contains { $0.contains(packet.destination) }
        default: return false
        }
    }
}
