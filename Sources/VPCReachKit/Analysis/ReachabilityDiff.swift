/// Every flow whose reachability differs between two matrices, aggregated by role, with causes.
public struct ReachabilityDiff: Sendable, Codable, Equatable {
    /// Traffic that one role gained or lost toward another.
    public struct FlowChange: Sendable, Codable, Hashable {
        /// `gained`, `lost`, or `unknown` (traffic whose fate the candidate cannot decide any more).
        public var change: String
        /// Source role (`ecs:CLUSTER/SERVICE` or security group names).
        public var sourceRole: String
        /// Destination role.
        public var destinationRole: String
        /// The traffic, exactly.
        public var traffic: TrafficMap
        /// The traffic in words.
        public var trafficText: String
        /// Every interface pair concerned, as `source -> destination`.
        public var pairs: [String]
        /// Blocking layers that appeared (lost) or disappeared (gained), and components changed on the way.
        public var causes: [String]
    }

    /// A flow whose reachability stayed the same but whose blocking layers changed.
    public struct LayerChange: Sendable, Codable, Hashable {
        /// Source role.
        public var sourceRole: String
        /// Destination role.
        public var destinationRole: String
        /// Every interface pair concerned.
        public var pairs: [String]
        /// Blocking layers in the base.
        public var before: [String]
        /// Blocking layers in the candidate.
        public var after: [String]
    }

    /// An interface present in only one of the two.
    public struct MemberChange: Sendable, Codable, Hashable {
        /// `added` or `removed`.
        public var change: String
        /// The interface.
        public var member: ReachabilityMatrix.Member
    }

    /// The JSON schema version.
    public var schemaVersion = 1
    /// The base snapshot or matrix.
    public var base: String
    /// The candidate snapshot.
    public var candidate: String
    /// The scope, if any.
    public var scope: String?
    /// Flows gained, lost or become unknown.
    public var flows: [FlowChange]
    /// Defense-in-depth changes: same reachability, different blocking layers.
    public var layers: [LayerChange]
    /// Interfaces in only one of the two.
    public var members: [MemberChange]
    /// Configuration changes between the snapshots (empty when the base is a matrix file).
    public var components: [ComponentChange]

    /// Whether anything the `failOn` policy counts changed.
    public func hasChanges(failOn: DiffFailOn) -> Bool {
        switch failOn {
        case .gained: flows.contains { $0.change == "gained" }
        case .lost: flows.contains { $0.change == "lost" }
        case .any: !flows.isEmpty || !layers.isEmpty || !members.isEmpty
        }
    }
}

/// Which differences make `diff` fail.
public enum DiffFailOn: String, Sendable, Codable, CaseIterable {
    case gained, lost, any
}

/// Compares two reachability matrices.
public enum DiffEngine {
    /// The differences from `base` to `candidate`; `components` are the configuration changes when both are snapshots.
    public static func diff(
        base: ReachabilityMatrix, candidate: ReachabilityMatrix, components: [ComponentChange]
    ) -> ReachabilityDiff {
        let baseMembers = Dictionary(base.members.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let candidateMembers = Dictionary(candidate.members.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let baseCells = Dictionary(base.cells.map { (key($0), $0) }, uniquingKeysWith: { a, _ in a })
        let candidateCells = Dictionary(candidate.cells.map { (key($0), $0) }, uniquingKeysWith: { a, _ in a })
        func role(_ id: String) -> String { candidateMembers[id]?.role ?? baseMembers[id]?.role ?? id }
        struct Group: Hashable {
            var change: String
            var source: String
            var destination: String
            var traffic: TrafficMap
        }
        var groups: [Group: (pairs: [String], causes: Set<String>, touched: Set<String>)] = [:]
        var layerGroups: [[String]: [String]] = [:]
        for pairKey in Set(baseCells.keys).union(candidateCells.keys).sorted() {
            let before = baseCells[pairKey]
            let after = candidateCells[pairKey]
            let (source, destination) = (before ?? after).map { ($0.source, $0.destination) } ?? ("", "")
            let wasReachable = before?.reachable ?? .empty
            let isReachable = after?.reachable ?? .empty
            // Interfaces in blocker keys are named by role, so that pairs of the same roles group together.
            func normalized(_ blockers: [String]) -> Set<String> {
                Set(blockers.map { blocker in
                    var words = blocker.split(separator: " ").map(String.init)
                    if let last = words.last, baseMembers[last] != nil || candidateMembers[last] != nil { words[words.count - 1] = role(last) }
                    return words.joined(separator: " ")
                })
            }
            let beforeBlockers = normalized(before?.blockers ?? [])
            let afterBlockers = normalized(after?.blockers ?? [])
            let touched = Set((beforeBlockers.union(afterBlockers)).compactMap { $0.split(separator: " ").last.map(String.init) })
                .union((baseMembers[source]?.securityGroups ?? []) + (candidateMembers[source]?.securityGroups ?? []))
                .union((baseMembers[destination]?.securityGroups ?? []) + (candidateMembers[destination]?.securityGroups ?? []))
            let changes: [(String, TrafficMap, Set<String>)] = [
                ("gained", isReachable.subtracting(wasReachable), beforeBlockers.subtracting(afterBlockers).map { "no longer blocked: \($0)" }.reduce(into: Set()) { $0.insert($1) }),
                ("lost", wasReachable.subtracting(isReachable), afterBlockers.subtracting(beforeBlockers).map { "newly blocked: \($0)" }.reduce(into: Set()) { $0.insert($1) }),
                ("unknown", (after?.unknown ?? .empty).subtracting(before?.unknown ?? .empty), []),
            ]
            var changed = false
            for (change, traffic, causes) in changes where !traffic.isEmpty {
                changed = true
                let group = Group(change: change, source: role(source), destination: role(destination), traffic: traffic)
                var entry = groups[group] ?? ([], [], [])
                entry.pairs.append("\(source) -> \(destination)")
                entry.causes.formUnion(causes)
                entry.touched.formUnion(touched)
                groups[group] = entry
            }
            if !changed, let before, let after, before.unknown == after.unknown, beforeBlockers != afterBlockers {
                layerGroups[[role(source), role(destination), beforeBlockers.sorted().joined(separator: "|"), afterBlockers.sorted().joined(separator: "|")], default: []]
                    .append("\(source) -> \(destination)")
            }
        }
        let flows = groups.map { group, entry in
            let related = components.filter { entry.touched.contains($0.component) }.map { "\($0.kind) \($0.component)\($0.name.map { " (\($0))" } ?? "") changed" }
            return ReachabilityDiff.FlowChange(
                change: group.change, sourceRole: group.source, destinationRole: group.destination, traffic: group.traffic,
                trafficText: group.traffic.description, pairs: entry.pairs.sorted(), causes: entry.causes.sorted() + related.sorted())
        }.sorted { ($0.change, $0.sourceRole, $0.destinationRole, $0.trafficText) < ($1.change, $1.sourceRole, $1.destinationRole, $1.trafficText) }
        let layers = layerGroups.map { key, pairs in
            ReachabilityDiff.LayerChange(
                sourceRole: key[0], destinationRole: key[1], pairs: pairs.sorted(),
                before: key[2].split(separator: "|").map(String.init), after: key[3].split(separator: "|").map(String.init))
        }.sorted { ($0.sourceRole, $0.destinationRole, $0.pairs.joined()) < ($1.sourceRole, $1.destinationRole, $1.pairs.joined()) }
        let added = candidate.members.filter { baseMembers[$0.id] == nil }.map { ReachabilityDiff.MemberChange(change: "added", member: $0) }
        let removed = base.members.filter { candidateMembers[$0.id] == nil }.map { ReachabilityDiff.MemberChange(change: "removed", member: $0) }
        return ReachabilityDiff(
            base: base.snapshot, candidate: candidate.snapshot, scope: candidate.scope, flows: flows, layers: layers,
            members: (added + removed).sorted { ($0.member.id, $0.change) < ($1.member.id, $1.change) }, components: components)
    }

    static func key(_ cell: ReachabilityMatrix.Cell) -> String {
        "\(cell.source) -> \(cell.destination)"
    }

    /// Diffs two snapshots over the same scope.
    ///
    /// A scope that matches nothing in one of them (a service not deployed yet) gives that side an
    /// empty matrix; matching nothing in both is an error.
    public static func diff(base: Snapshot, candidate: Snapshot, scope: String?) throws -> ReachabilityDiff {
        let before = try? MatrixBuilder(snapshot: base).build(scope: scope)
        let after = try? MatrixBuilder(snapshot: candidate).build(scope: scope)
        guard before != nil || after != nil else {
            _ = try MatrixBuilder(snapshot: candidate).build(scope: scope)
            throw VPCReachError.selector("scope '\(scope ?? "")' matches nothing in either snapshot")
        }
        func empty(_ snapshot: Snapshot) -> ReachabilityMatrix {
            ReachabilityMatrix(snapshot: snapshot.root, scope: scope, ephemeralPorts: PortText.range(Query.defaultEphemeralPorts), members: [], cells: [])
        }
        return diff(base: before ?? empty(base), candidate: after ?? empty(candidate), components: ComponentChanges.between(base, candidate))
    }
}
