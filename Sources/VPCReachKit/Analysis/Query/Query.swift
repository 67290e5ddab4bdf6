import PacketSets

/// The traffic a query asks about.
public enum QueryProtocol: String, Sendable, Codable, CaseIterable {
    /// TCP to the queried ports.
    case tcp
    /// UDP to the queried ports.
    case udp
    /// ICMP echo request (ping), answered by echo reply.
    case icmp
    /// Every protocol: TCP and UDP to the queried ports, every ICMP type, every other protocol.
    case all
}

/// Which packets of the queried set must get through for `reachable`.
public enum QueryMode: String, Sendable, Codable, CaseIterable {
    /// Every packet, and its reply (the default): one port of a range denied makes it unreachable.
    case every
    /// Some packet, with its reply: the answer then gives the exact set that does.
    case some
}

/// The traffic a question is about, without its ends: what the path stages, matrices, reachers
/// and the report evaluate.
public struct Traffic: Sendable, Codable, Equatable {
    /// The protocol.
    public var ipProtocol: QueryProtocol
    /// Destination ports (TCP/UDP); `nil` means every port.
    public var ports: ClosedRange<Int>?
    /// The client's ephemeral source ports, which replies must reach; `nil`: each source's own
    /// (``InterfaceKind/ephemeralPorts(platform:)``).
    public var ephemeralPorts: ClosedRange<Int>?
    /// Whether every packet or some packet must get through.
    public var mode: QueryMode

    /// Creates a traffic description.
    public init(
        ipProtocol: QueryProtocol = .tcp, ports: ClosedRange<Int>? = nil, ephemeralPorts: ClosedRange<Int>? = nil,
        mode: QueryMode = .every
    ) {
        self.ipProtocol = ipProtocol
        self.ports = ports
        self.ephemeralPorts = ephemeralPorts
        self.mode = mode
    }

    /// The ephemeral ports replies to `source` must reach.
    public func ephemeralPorts(of source: Endpoint) -> ClosedRange<Int> {
        ephemeralPorts ?? source.ephemeralPorts
    }

    /// `A-B`, or `per source` when each source's own range applies.
    var ephemeralText: String {
        ephemeralPorts.map(PortText.range) ?? "per source"
    }

    /// How the traffic reads in a sentence: `tcp 5432`, `udp 53`, `icmp echo`, `all traffic`.
    public var trafficDescription: String {
        switch ipProtocol {
        case .icmp: return "icmp echo"
        case .all: return ports.map { "all protocols (tcp/udp \(PortText.range($0)))" } ?? "all traffic"
        case .tcp, .udp: return "\(ipProtocol.rawValue) \(ports.map(PortText.range) ?? "all ports")"
        }
    }
}

/// A reachability question: can `from` reach `to` with this traffic?
public struct Query: Sendable, Codable, Equatable {
    /// The source selector.
    public var from: String
    /// The destination selector.
    public var to: String
    /// The protocol.
    public var ipProtocol: QueryProtocol
    /// Destination ports (TCP/UDP); `nil` means every port.
    public var ports: ClosedRange<Int>?
    /// The client's ephemeral source ports, which replies must reach; `nil`: each source's own
    /// (``InterfaceKind/ephemeralPorts(platform:)``).
    public var ephemeralPorts: ClosedRange<Int>?
    /// Whether every packet or some packet must get through.
    public var mode: QueryMode

    /// The range of a source the snapshot tells nothing else about (``InterfaceKind/linuxEphemeralPorts``).
    public static let defaultEphemeralPorts = InterfaceKind.linuxEphemeralPorts

    /// Creates a query.
    public init(
        from: String, to: String, ipProtocol: QueryProtocol = .tcp, ports: ClosedRange<Int>? = nil,
        ephemeralPorts: ClosedRange<Int>? = nil, mode: QueryMode = .every
    ) {
        self.from = from
        self.to = to
        self.ipProtocol = ipProtocol
        self.ports = ports
        self.ephemeralPorts = ephemeralPorts
        self.mode = mode
    }

    /// Parses `N` or `N-M` with 0 ≤ N ≤ M ≤ 65535.
    public static func parsePorts(_ text: String) -> ClosedRange<Int>? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let low = Int(parts[0]), let high = Int(parts.last ?? ""),
            0 <= low, low <= high, high <= 65535
        else { return nil }
        return low...high
    }

    /// Its traffic, without the ends.
    public var traffic: Traffic {
        Traffic(ipProtocol: ipProtocol, ports: ports, ephemeralPorts: ephemeralPorts, mode: mode)
    }

    /// `A-B`, or `per source` when each source's own range applies.
    var ephemeralText: String { traffic.ephemeralText }
}

/// Port and ICMP value formatting.
enum PortText {
    static func range(_ range: ClosedRange<Int>) -> String {
        range.lowerBound == range.upperBound ? "\(range.lowerBound)" : "\(range.lowerBound)-\(range.upperBound)"
    }

    static func set(_ set: IntervalSet) -> String {
        set.ranges.map { range(Int($0.lowerBound)...Int($0.upperBound)) }.joined(separator: ",")
    }
}

/// ICMP type and code as packed into ``PacketField/destinationPort``.
enum ICMPCode {
    /// Type 8 code 0: what `ping` sends.
    static let echoRequest: ClosedRange<UInt32> = 0x0800...0x0800
    /// Type 0 code 0: the answer.
    static let echoReply: ClosedRange<UInt32> = 0x0000...0x0000

    /// The destination-port values an AWS ICMP type/code pair covers (-1 means all).
    static func values(type: Int, code: Int) -> ClosedRange<UInt32> {
        guard type >= 0, type <= 255 else { return 0...0xFFFF }
        let base = UInt32(type) << 8
        guard code >= 0, code <= 255 else { return base...(base | 0xFF) }
        return (base | UInt32(code))...(base | UInt32(code))
    }
}
