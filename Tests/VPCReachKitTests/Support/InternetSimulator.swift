import PacketSets

@testable import VPCReachKit

/// A packet-at-a-time model of internet traffic, written apart from the symbolic engine: internet
/// sources entering through an internet gateway, interfaces leaving through one or through a NAT
/// gateway, and public addresses reached from inside over the internet, for TCP, UDP and ICMP echo.
/// Every check runs (a drop anywhere wins over an undecided step), as the engine names every blocker.
struct InternetSimulator {
    let snapshot: Snapshot

    enum Outcome: Equatable {
        case pass, drop, unknown

        static func all(_ outcomes: [Outcome]) -> Outcome {
            outcomes.contains(.drop) ? .drop : outcomes.contains(.unknown) ? .unknown : .pass
        }
    }

    struct Packet {
        var source: UInt32
        var destination: UInt32
        var ipProtocol: UInt8
        /// TCP/UDP destination port, or ICMP `type << 8 | code`.
        var port: Int
    }

    /// The traffic: a protocol and a port (ICMP: an echo request, answered by an echo reply).
    struct Traffic {
        var ipProtocol: UInt8
        var port: Int

        var isICMP: Bool { ipProtocol == 1 }
        func request(_ source: UInt32, _ destination: UInt32) -> Packet {
            Packet(source: source, destination: destination, ipProtocol: ipProtocol, port: isICMP ? 0x0800 : port)
        }
        /// The reply to a request sent from `clientPort`.
        func reply(_ source: UInt32, _ destination: UInt32, clientPort: Int) -> Packet {
            Packet(source: source, destination: destination, ipProtocol: ipProtocol, port: isICMP ? 0x0000 : clientPort)
        }
    }

    // MARK: - Components

    func securityGroupsAllow(_ interface: NetworkInterface, _ packet: Packet, outbound: Bool) -> Bool {
        let far = outbound ? packet.destination : packet.source
        for groupID in interface.groupIDs {
            guard let group = snapshot.securityGroups[groupID] else { continue }
            for rule in outbound ? group.egress : group.ingress {
                switch rule.ipProtocol {
                case .all: break
                case .number(let number):
                    guard number == packet.ipProtocol else { continue }
                    if number == 1 {
                        let (type, code) = (packet.port >> 8, packet.port & 0xFF)
                        if let from = rule.fromPort, from >= 0, from != type { continue }
                        if let to = rule.toPort, to >= 0, to != code { continue }
                    } else if number == 6 || number == 17, let from = rule.fromPort, from >= 0 {
                        guard from...(rule.toPort ?? from) ~= packet.port else { continue }
                    }
                }
                switch rule.peer {
                case .cidr(let block): if block.range.contains(far) { return true }
                case .group(let reference):
                    guard
                        let peer = snapshot.networkInterfaces.values.first(where: {
                            $0.privateAddresses.contains { $0.value == far }
                        }),
                        peer.groupIDs.contains(reference.groupID)
                    else { continue }
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

    func aclAllows(_ subnetID: String, _ packet: Packet, outbound: Bool) -> Bool {
        let acl =
            snapshot.networkACLs.values.first { $0.subnetIDs.contains(subnetID) }
            ?? snapshot.networkACLs.values.first { $0.isDefault && $0.vpcID == snapshot.subnets[subnetID]?.vpcID }
        guard let acl else { return false }
        let far = outbound ? packet.destination : packet.source
        for entry in acl.entries.filter({ $0.isEgress == outbound }).sorted(by: { $0.ruleNumber < $1.ruleNumber }) {
            guard entry.cidrBlock?.range.contains(far) ?? false else { continue }
            switch entry.ipProtocol {
            case .all: break
            case .number(let number):
                guard number == packet.ipProtocol else { continue }
                if number == 1, let (type, code) = entry.icmpTypeCode {
                    if type >= 0, type != packet.port >> 8 { continue }
                    if code >= 0, code != packet.port & 0xFF { continue }
                } else if number == 6 || number == 17, let range = entry.portRange, !range.contains(packet.port) {
                    continue
                }
            }
            return entry.allows
        }
        return false
    }

    func table(of subnetID: String) -> RouteTable? {
        let vpc = snapshot.subnets[subnetID]?.vpcID
        return snapshot.routeTables.values.first { $0.subnetIDs.contains(subnetID) }
            ?? snapshot.routeTables.values.first { $0.isMain && $0.vpcID == vpc }
    }

    /// The longest-prefix route of `subnetID`'s table for `address` (CIDR routes only).
    func route(from subnetID: String, to address: UInt32) -> Route? {
        var best: Route?
        var length = -1
        for route in table(of: subnetID)?.routes ?? [] {
            guard case .cidr(let block) = route.destination, block.range.contains(address), block.prefixLength > length
            else { continue }
            best = route
            length = block.prefixLength
        }
        return best
    }

    func attached(_ gatewayID: String, to vpcID: String) -> Bool {
        snapshot.internetGateways[gatewayID]?.attachedVPCIDs.contains(vpcID) ?? false
    }

    /// Where `subnetID` sends traffic for `address`: `.pass` with the gateway when it reaches the
    /// internet through an internet gateway of `vpcID`, the NAT gateway when it hands it to one.
    enum Exit {
        case internet(String)
        case nat(NATGateway)
        case dropped, undecided
    }

    func exit(from subnetID: String, vpcID: String, to address: UInt32) -> Exit {
        guard let route = route(from: subnetID, to: address), route.state == "active" else { return .dropped }
        switch route.target {
        case .internetGateway(let id): return attached(id, to: vpcID) ? .internet(id) : .dropped
        case .natGateway(let id):
            guard let gateway = snapshot.natGateways[id] else { return .undecided }
            return .nat(gateway)
        default: return .dropped
        }
    }

    /// Ports a NAT gateway may give a translated packet, and every boundary of the ACL entries
    /// within them: an ACL decides the same for every port between two boundaries.
    func natPorts() -> [Int] {
        var ports: Set<Int> = [1024, 65535]
        for entry in snapshot.networkACLs.values.flatMap(\.entries) {
            guard let range = entry.portRange else { continue }
            for port in [range.lowerBound - 1, range.lowerBound, range.upperBound, range.upperBound + 1]
            where (1024...65535).contains(port) {
                ports.insert(port)
            }
        }
        return ports.sorted()
    }

    // MARK: - Flows

    /// From an internet address `source` (opening from `clientPorts`) to `destination` by its interface.
    func inbound(from source: UInt32, to destination: NetworkInterface, _ traffic: Traffic, clientPorts: [Int])
        -> Outcome
    {
        var outcomes: [Outcome] = []
        let vpc = destination.vpcID
        outcomes.append(snapshot.internetGateways.values.contains { $0.attachedVPCIDs.contains(vpc) } ? .pass : .drop)
        outcomes.append(destination.publicAddresses.isEmpty ? .drop : .pass)
        let address = destination.privateAddresses[0].value
        let request = traffic.request(source, address)
        outcomes.append(aclAllows(destination.subnetID, request, outbound: false) ? .pass : .drop)
        outcomes.append(securityGroupsAllow(destination, request, outbound: false) ? .pass : .drop)
        for clientPort in traffic.isICMP ? [0] : clientPorts {
            let reply = traffic.reply(address, source, clientPort: clientPort)
            outcomes.append(aclAllows(destination.subnetID, reply, outbound: true) ? .pass : .drop)
        }
        switch exit(from: destination.subnetID, vpcID: vpc, to: source) {
        case .internet: outcomes.append(.pass)
        case .undecided: outcomes.append(.unknown)
        case .nat, .dropped: outcomes.append(.drop)
        }
        return .all(outcomes)
    }

    /// From `source` to an internet address `destination`; also the address the internet sees
    /// and whether a NAT gateway translated it.
    func outbound(from source: NetworkInterface, to destination: UInt32, _ traffic: Traffic, clientPorts: [Int]) -> (
        Outcome, seenAt: UInt32?, throughNAT: Bool
    ) {
        var outcomes: [Outcome] = []
        let address = source.privateAddresses[0].value
        let request = traffic.request(address, destination)
        outcomes.append(securityGroupsAllow(source, request, outbound: true) ? .pass : .drop)
        outcomes.append(aclAllows(source.subnetID, request, outbound: true) ? .pass : .drop)
        let replies = (traffic.isICMP ? [0] : clientPorts).map { traffic.reply(destination, address, clientPort: $0) }
        outcomes += replies.map { aclAllows(source.subnetID, $0, outbound: false) ? .pass : .drop }
        switch exit(from: source.subnetID, vpcID: source.vpcID, to: destination) {
        case .dropped: return (.drop, nil, false)
        case .undecided: return (.all(outcomes + [.unknown]), nil, false)
        case .internet:
            outcomes.append(source.publicAddresses.isEmpty ? .drop : .pass)
            return (.all(outcomes), source.publicAddresses.first?.value, false)
        case .nat(let gateway):
            guard gateway.state == "available", gateway.vpcID == source.vpcID else { return (.drop, nil, true) }
            let own = gateway.subnetID
            if own != source.subnetID {
                outcomes.append(aclAllows(own, request, outbound: false) ? .pass : .drop)
                outcomes += replies.map { aclAllows(own, $0, outbound: true) ? .pass : .drop }
            }
            switch exit(from: own, vpcID: gateway.vpcID, to: destination) {
            case .internet: outcomes.append(gateway.publicAddresses.isEmpty ? .drop : .pass)
            case .nat, .undecided: outcomes.append(.unknown)
            case .dropped: outcomes.append(.drop)
            }
            let translatedAddress = gateway.privateAddresses.first?.value ?? 0
            outcomes.append(
                aclAllows(own, traffic.request(translatedAddress, destination), outbound: true) ? .pass : .drop)
            for port in traffic.isICMP ? [0] : natPorts() {
                outcomes.append(
                    aclAllows(own, traffic.reply(destination, translatedAddress, clientPort: port), outbound: false)
                        ? .pass : .drop)
            }
            return (.all(outcomes), gateway.publicAddresses.first?.value, true)
        }
    }

    /// From `source` to `destination` named by its public address: out to the internet, then in
    /// from the address the internet sees the source at.
    func throughInternet(
        from source: NetworkInterface, to destination: NetworkInterface, _ traffic: Traffic, clientPorts: [Int]
    ) -> Outcome {
        guard let publicAddress = destination.publicAddresses.first?.value else { return .drop }
        let (out, seen, throughNAT) = outbound(from: source, to: publicAddress, traffic, clientPorts: clientPorts)
        guard let seen else { return out == .pass ? .unknown : out }
        let back = inbound(from: seen, to: destination, traffic, clientPorts: throughNAT ? natPorts() : clientPorts)
        return .all([out, back])
    }
}
