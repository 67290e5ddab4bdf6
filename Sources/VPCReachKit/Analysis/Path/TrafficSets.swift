import PacketSets

/// Packet sets for queries, rules and replies.
enum TrafficSets {
    static let tcp: UInt32 = 6
    static let udp: UInt32 = 17
    static let icmp: UInt32 = 1

    static func ports(_ range: ClosedRange<Int>) -> ClosedRange<UInt32> {
        UInt32(max(0, range.lowerBound))...UInt32(min(65535, range.upperBound))
    }

    /// Every packet of `traffic` between two address sets.
    static func flow(
        _ traffic: Traffic, ephemeral ephemeralPorts: ClosedRange<Int>, from source: IntervalSet,
        to destination: IntervalSet
    ) -> PacketSet {
        let base = PacketSet([.sourceAddress: source, .destinationAddress: destination])
        let destinationPorts = IntervalSet(ports(traffic.ports ?? 0...65535))
        let ephemeral = IntervalSet(ports(ephemeralPorts))
        func transport(_ number: UInt32) -> PacketSet {
            PacketSet([
                .ipProtocol: IntervalSet(number...number), .sourcePort: ephemeral, .destinationPort: destinationPorts,
            ])
        }
        let packets: PacketSet
        switch traffic.ipProtocol {
        case .tcp: packets = transport(tcp)
        case .udp: packets = transport(udp)
        case .icmp:
            packets = PacketSet([
                .ipProtocol: IntervalSet(icmp...icmp), .destinationPort: IntervalSet(ICMPCode.echoRequest),
            ])
        case .all:
            let others = IntervalSet(0...255).subtracting(IntervalSet([icmp...icmp, tcp...tcp, udp...udp]))
            packets = transport(tcp).union(transport(udp))
                .union(PacketSet([.ipProtocol: IntervalSet(icmp...icmp)]))
                .union(PacketSet([.ipProtocol: others]))
        }
        return base.intersection(packets)
    }

    /// The replies to `forward`: addresses and ports swapped; ICMP echo requests answered by echo
    /// replies; other ICMP messages expect no reply.
    static func replies(_ forward: PacketSet) -> PacketSet {
        reversed(forward, echoFrom: ICMPCode.echoRequest, shift: -0x0800)
    }

    /// The requests whose replies are `replies`: the inverse of ``replies(_:)``.
    static func requests(_ replies: PacketSet) -> PacketSet {
        reversed(replies, echoFrom: ICMPCode.echoReply, shift: 0x0800)
    }

    /// Swaps the two ends of `packets`; ICMP packets with types in `echo` keep their code and move
    /// type by `shift` (echo request 8 <-> echo reply 0); other ICMP packets have no counterpart.
    private static func reversed(_ packets: PacketSet, echoFrom echo: ClosedRange<UInt32>, shift: Int64) -> PacketSet {
        let icmpOnly = PacketSet([.ipProtocol: IntervalSet(icmp...icmp)])
        let nonICMP = packets.subtracting(icmpOnly).swappingEndpoints()
        let echoes = packets.intersection(icmpOnly.restricting(.destinationPort, to: echo)).transformed { cube in
            let source = cube[.sourceAddress]
            cube[.sourceAddress] = cube[.destinationAddress]
            cube[.destinationAddress] = source
            let types = cube[.destinationPort]
            cube[.destinationPort] = UInt32(Int64(types.lowerBound) + shift)...UInt32(Int64(types.upperBound) + shift)
        }
        return nonICMP.union(echoes)
    }

    /// The protocol and destination-port part of a rule: security group rules and ACL entries.
    ///
    /// `-1` is every protocol and port; TCP/UDP take a port range (absent or -1 for all); ICMP takes
    /// a type and code (-1 for all); any other protocol matches all its traffic.
    static func rule(_ ipProtocol: IPProtocol, portRange: ClosedRange<Int>?, icmp icmpTypeCode: (type: Int, code: Int)?)
        -> PacketSet
    {
        guard case .number(let number) = ipProtocol else { return .all }
        let value = UInt32(number)
        if value == icmp, let icmpTypeCode {
            return PacketSet([
                .ipProtocol: IntervalSet(value...value),
                .destinationPort: IntervalSet(ICMPCode.values(type: icmpTypeCode.type, code: icmpTypeCode.code)),
            ])
        }
        // One cube: built directly, as this runs for every rule of every group on every path.
        var cube = PacketCube.all
        cube[.ipProtocol] = value...value
        if value == tcp || value == udp, let portRange, portRange.lowerBound >= 0 {
            cube[.destinationPort] = ports(portRange)
        }
        return PacketSet(cube)
    }

    /// The traffic part of a security group rule.
    static func rule(_ rule: SecurityGroupRule) -> PacketSet {
        let from = rule.fromPort ?? -1
        let to = rule.toPort ?? -1
        switch rule.ipProtocol {
        case .number(1): return Self.rule(rule.ipProtocol, portRange: nil, icmp: (from, to))
        case .tcp, .udp: return Self.rule(rule.ipProtocol, portRange: from < 0 ? nil : from...max(from, to), icmp: nil)
        default: return Self.rule(rule.ipProtocol, portRange: nil, icmp: nil)
        }
    }

    /// `10.0.0.0/8` style text for a rule's or route's address part.
    static func addresses(_ set: IntervalSet) -> String {
        AddressText.describe(set).joined(separator: ", ")
    }

    /// The protocol names in a set: `tcp`, `udp`, `icmp`, or numbers.
    static func protocolNames(_ set: IntervalSet) -> String {
        if set == IntervalSet(0...255) { return "all protocols" }
        return set.ranges.flatMap { Array($0) }.prefix(8).map { number -> String in
            switch number {
            case tcp: "tcp"
            case udp: "udp"
            case icmp: "icmp"
            default: "protocol \(number)"
            }
        }.joined(separator: "/")
    }

    /// The packets as boxes, sorted, with addresses and ports in words (ICMP as `type/code`);
    /// boxes alike but for their sources are one box with every source.
    static func boxes(_ packets: PacketSet) -> [TrafficBox] {
        struct Rest: Hashable {
            var ipProtocol: ClosedRange<UInt32>
            var destinationPort: ClosedRange<UInt32>
            var destinationAddress: ClosedRange<UInt32>
        }
        var sources: [Rest: IntervalSet] = [:]
        for cube in packets.cubes {
            let rest = Rest(
                ipProtocol: cube[.ipProtocol], destinationPort: cube[.destinationPort],
                destinationAddress: cube[.destinationAddress])
            sources[rest, default: IntervalSet()].formUnion(IntervalSet(cube[.sourceAddress]))
        }
        let ordered = sources.keys.sorted {
            (
                $0.ipProtocol.lowerBound, $0.ipProtocol.upperBound, $0.destinationPort.lowerBound,
                $0.destinationPort.upperBound,
                $0.destinationAddress.lowerBound, $0.destinationAddress.upperBound
            )
                < (
                    $1.ipProtocol.lowerBound, $1.ipProtocol.upperBound, $1.destinationPort.lowerBound,
                    $1.destinationPort.upperBound,
                    $1.destinationAddress.lowerBound, $1.destinationAddress.upperBound
                )
        }
        return ordered.map { rest in
            var ports: String?
            if rest.ipProtocol == tcp...tcp || rest.ipProtocol == udp...udp {
                ports = PortText.range(Int(rest.destinationPort.lowerBound)...Int(rest.destinationPort.upperBound))
            } else if rest.ipProtocol == icmp...icmp {
                let values = rest.destinationPort
                ports =
                    values == 0...0xFFFF
                    ? "all"
                    : "\(values.lowerBound >> 8)/\(values.lowerBound & 0xFF)"
                        + (values.count > 1 ? "-\(values.upperBound >> 8)/\(values.upperBound & 0xFF)" : "")
            }
            return TrafficBox(
                protocols: protocolNames(IntervalSet(rest.ipProtocol)),
                sources: AddressText.describe(sources[rest] ?? IntervalSet()),
                destinations: AddressText.describe(IntervalSet(rest.destinationAddress)), ports: ports)
        }
    }

    /// What part of `query` a set of packets is, in words: `tcp 5432`, `replies to tcp ports 32768-60999`.
    static func describe(_ packets: PacketSet, direction: Direction, within flow: PacketSet) -> String {
        let protocols = packets.values(of: .ipProtocol)
        var words = protocolNames(protocols)
        let transport = protocols.intersection(IntervalSet([tcp...tcp, udp...udp]))
        if !transport.isEmpty {
            let field: PacketField = direction == .forward ? .destinationPort : .sourcePort
            let ports = PortText.set(packets.values(of: field))
            let full = packets.values(of: field) == flow.values(of: field)
            words +=
                direction == .forward
                ? " \(ports)"
                : " replies to ephemeral ports \(ports)\(full ? "" : " (of \(PortText.set(flow.values(of: field))))")"
        } else if direction == .return {
            words += " replies"
        }
        let sources = packets.values(of: .sourceAddress)
        if sources != flow.values(of: .sourceAddress) { words += " from \(addresses(sources))" }
        let destinations = packets.values(of: .destinationAddress)
        if destinations != flow.values(of: .destinationAddress) { words += " to \(addresses(destinations))" }
        return words
    }
}
