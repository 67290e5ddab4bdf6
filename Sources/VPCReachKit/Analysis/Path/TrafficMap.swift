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

    /// One run of consecutive protocols sharing the same destination values, never empty.
    private struct Run: Hashable, Sendable {
        var protocols: ClosedRange<UInt32>
        var values: IntervalSet
    }

    /// The runs, sorted by protocol, disjoint, and never two adjacent runs with equal values, so
    /// that equal traffic has one representation.
    private var runs: [Run]

    /// No traffic.
    public static let empty = TrafficMap(runs: [])

    private init(runs: [Run]) {
        self.runs = runs
    }

    /// The (protocol, destination value) projection of a packet set.
    init(projecting packets: PacketSet) {
        let cubes = packets.cubes
        var bounds = Set<UInt32>()
        for cube in cubes {
            bounds.insert(cube[.ipProtocol].lowerBound)
            bounds.insert(cube[.ipProtocol].upperBound + 1)
        }
        let cuts = bounds.sorted()
        var runs: [Run] = []
        for (low, next) in zip(cuts, cuts.dropFirst()) {
            var values = IntervalSet()
            for cube in cubes where cube[.ipProtocol].lowerBound <= low && low <= cube[.ipProtocol].upperBound {
                values.formUnion(IntervalSet(cube[.destinationPort]))
            }
            Self.append(Run(protocols: low...(next - 1), values: values), to: &runs)
        }
        self.runs = runs
    }

    /// Appends `run` after the last run, merging it into that run when they touch and agree.
    private static func append(_ run: Run, to runs: inout [Run]) {
        guard !run.values.isEmpty else { return }
        if let last = runs.last, last.values == run.values, last.protocols.upperBound + 1 == run.protocols.lowerBound {
            runs[runs.count - 1].protocols = last.protocols.lowerBound...run.protocols.upperBound
        } else {
            runs.append(run)
        }
    }

    /// The destination values of one protocol.
    func values(forProtocol number: UInt8) -> IntervalSet {
        runs.first { $0.protocols.contains(UInt32(number)) }?.values ?? IntervalSet()
    }

    /// Whether the map holds no traffic.
    public var isEmpty: Bool { runs.isEmpty }

    /// Applies `operation` protocol by protocol to this map's and `other`'s values.
    private func combined(with other: TrafficMap, _ operation: (IntervalSet, IntervalSet) -> IntervalSet) -> TrafficMap
    {
        var bounds = Set<UInt32>()
        for run in runs + other.runs {
            bounds.insert(run.protocols.lowerBound)
            bounds.insert(run.protocols.upperBound + 1)
        }
        let cuts = bounds.sorted()
        var result: [Run] = []
        var i = 0
        var j = 0
        for (low, next) in zip(cuts, cuts.dropFirst()) {
            while i < runs.count && runs[i].protocols.upperBound < low { i += 1 }
            while j < other.runs.count && other.runs[j].protocols.upperBound < low { j += 1 }
            let mine = i < runs.count && runs[i].protocols.contains(low) ? runs[i].values : IntervalSet()
            let theirs =
                j < other.runs.count && other.runs[j].protocols.contains(low) ? other.runs[j].values : IntervalSet()
            Self.append(Run(protocols: low...(next - 1), values: operation(mine, theirs)), to: &result)
        }
        return TrafficMap(runs: result)
    }

    /// The traffic in this map and not in `other`.
    public func subtracting(_ other: TrafficMap) -> TrafficMap {
        other.isEmpty ? self : combined(with: other) { $0.subtracting($1) }
    }

    /// The traffic in either map.
    public func union(_ other: TrafficMap) -> TrafficMap {
        combined(with: other) { $0.union($1) }
    }

    /// The traffic in both maps.
    public func intersection(_ other: TrafficMap) -> TrafficMap {
        combined(with: other) { $0.intersection($1) }
    }

    /// The canonical runs, in protocol order.
    public var entries: [Entry] {
        runs.map { run in
            Entry(
                protocols: PortText.range(Int(run.protocols.lowerBound)...Int(run.protocols.upperBound)),
                values: PortText.set(run.values))
        }
    }

    /// Rebuilds a map from its entries; `nil` when an entry is malformed.
    public init?(entries: [Entry]) {
        var map = TrafficMap.empty
        for entry in entries {
            guard let protocols = Self.parse(entry.protocols, limit: 255),
                let ports = Self.parse(entry.values, limit: 65535)
            else { return nil }
            for range in protocols.ranges where !ports.isEmpty {
                map = map.union(TrafficMap(runs: [Run(protocols: range, values: ports)]))
            }
        }
        self = map
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
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "malformed traffic entries"))
        }
        self = map
    }

    public func encode(to encoder: any Encoder) throws {
        try entries.encode(to: encoder)
    }

    /// In words: `tcp 22,5432; udp 53; icmp (some types); protocols 0-5,7-16 (all)`.
    public var description: String {
        guard !isEmpty else { return "nothing" }
        if runs == [Run(protocols: 0...255, values: IntervalSet(0...65535))] { return "all traffic" }
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
