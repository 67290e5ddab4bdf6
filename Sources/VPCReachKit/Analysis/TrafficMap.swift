import PacketSets

/// Traffic between two fixed endpoints, exactly: for each IP protocol, the destination ports (TCP,
/// UDP) or ICMP `type << 8 | code` values (ICMP) or the whole 0-65535 range (other protocols).
///
/// Canonical: two maps holding the same traffic are equal and encode to the same JSON.
public struct TrafficMap: Hashable, Sendable, Codable {
    /// One run of consecutive protocols that share the same destination values.
    public struct Entry: Hashable, Sendable, Codable {
        /// Protocol numbers, e.g. `6` or `0-5,7-16`.
        public var protocols: String
        /// Destination ports (or packed ICMP type/code values), e.g. `22,5432-5433`.
        public var values: String
    }

    /// Destination values per protocol number (256 entries).
    private var values: [IntervalSet]

    /// No traffic.
    public static let empty = TrafficMap(values: Array(repeating: IntervalSet(), count: 256))

    private init(values: [IntervalSet]) {
        self.values = values
    }

    /// The (protocol, destination value) projection of a packet set.
    init(projecting packets: PacketSet) {
        var values = Array(repeating: IntervalSet(), count: 256)
        for cube in packets.cubes {
            let ports = IntervalSet(cube[.destinationPort])
            for number in cube[.ipProtocol] { values[Int(number)].formUnion(ports) }
        }
        self.values = values
    }

    /// The destination values of one protocol.
    func values(forProtocol number: UInt8) -> IntervalSet {
        values[Int(number)]
    }

    /// Whether the map holds no traffic.
    public var isEmpty: Bool { values.allSatisfy(\.isEmpty) }

    /// The traffic in this map and not in `other`.
    public func subtracting(_ other: TrafficMap) -> TrafficMap {
        TrafficMap(values: zip(values, other.values).map { $0.subtracting($1) })
    }

    /// The traffic in either map.
    public func union(_ other: TrafficMap) -> TrafficMap {
        TrafficMap(values: zip(values, other.values).map { $0.union($1) })
    }

    /// The traffic in both maps.
    public func intersection(_ other: TrafficMap) -> TrafficMap {
        TrafficMap(values: zip(values, other.values).map { $0.intersection($1) })
    }

    /// The canonical runs, in protocol order.
    public var entries: [Entry] {
        var result: [Entry] = []
        var start = 0
        while start < 256 {
            var end = start
            while end + 1 < 256 && values[end + 1] == values[start] { end += 1 }
            if !values[start].isEmpty {
                result.append(Entry(protocols: PortText.range(start...end), values: PortText.set(values[start])))
            }
            start = end + 1
        }
        return result
    }

    /// Rebuilds a map from its entries; `nil` when an entry is malformed.
    public init?(entries: [Entry]) {
        var values = Array(repeating: IntervalSet(), count: 256)
        for entry in entries {
            guard let protocols = Self.parse(entry.protocols, limit: 255), let ports = Self.parse(entry.values, limit: 65535) else { return nil }
            for range in protocols.ranges {
                for number in range { values[Int(number)].formUnion(ports) }
            }
        }
        self.values = values
    }

    private static func parse(_ text: String, limit: UInt32) -> IntervalSet? {
        var ranges: [ClosedRange<UInt32>] = []
        for part in text.split(separator: ",") {
            guard let range = Query.parsePorts(String(part)), range.upperBound <= Int(limit) else { return nil }
            ranges.append(UInt32(range.lowerBound)...UInt32(range.upperBound))
        }
        return IntervalSet(ranges)
    }

    public init(from decoder: any Decoder) throws {
        let entries = try [Entry](from: decoder)
        guard let map = TrafficMap(entries: entries) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "malformed traffic entries"))
        }
        self = map
    }

    public func encode(to encoder: any Encoder) throws {
        try entries.encode(to: encoder)
    }

    /// In words: `tcp 22,5432; udp 53; icmp (some types); protocols 0-5,7-16 (all)`.
    public var description: String {
        guard !isEmpty else { return "nothing" }
        if values.allSatisfy({ $0 == IntervalSet(0...65535) }) { return "all traffic" }
        return entries.map { entry in
            switch entry.protocols {
            case "6": return "tcp \(entry.values == "0-65535" ? "all ports" : entry.values)"
            case "17": return "udp \(entry.values == "0-65535" ? "all ports" : entry.values)"
            case "1": return entry.values == "0-65535" ? "icmp" : "icmp (type/code values \(entry.values))"
            default: return "protocol \(entry.protocols)"
            }
        }.joined(separator: "; ")
    }
}
