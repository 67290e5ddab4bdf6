import PacketSets

/// Who reaches whom on what, for a scope: every ordered pair of interfaces touching the scope, in
/// cells that each cover the pairs between some groups of interfaces that answer alike.
///
/// Deterministic, so that a team can commit it as a baseline and diff a fresh snapshot against it.
public struct ReachabilityMatrix: Sendable, Codable, Equatable {
    /// An interface of the matrix.
    public struct Member: Sendable, Codable, Hashable {
        /// ENI id (or selector text for a hypothetical endpoint).
        public var id: String
        /// Readable label.
        public var label: String
        /// What the interface is for, used to group flows: `ecs:CLUSTER/SERVICE`, or its groups' names.
        public var role: String
        /// Its VPC.
        public var vpc: String?
        /// Its subnet.
        public var subnet: String?
        /// Its security groups.
        public var securityGroups: [String]
        /// Whether the interface is in the matrix's scope (not only a counterpart of one).
        public var inScope: Bool
        /// The routes its subnet uses, as `destination -> target (state)`: the routing layer of its
        /// defense in depth.
        public var routes: [String]
    }

    /// The answer shared by every ordered pair from a member of `sources` to a member of
    /// `destinations` (a member is never paired with itself).
    public struct Cell: Sendable, Codable, Hashable {
        /// Positions in ``ReachabilityMatrix/groups`` of the groups whose members are the sources.
        public var sources: [Int]
        /// Positions in ``ReachabilityMatrix/groups`` of the groups whose members are the destinations.
        public var destinations: [Int]
        /// Traffic that gets through both ways (every ephemeral port of the reply).
        public var reachable: TrafficMap
        /// Traffic nothing definitely drops but the snapshot cannot decide.
        public var unknown: TrafficMap
        /// The blocking layers, sorted; a component that is an end of the pair is written
        /// `source` or `destination`.
        public var blockers: [BlockerKey]
        /// Whether the source subnet's route table decided the cell on its own, dropping every
        /// packet toward the destinations' VPC: then only that table's blockers are listed.
        public var decidedByRoute: Bool

        /// The blockers of the pair from `source` to `destination`, with the ends named by id.
        public func blockers(source: String, destination: String) -> [BlockerKey] {
            blockers.map { $0.naming(source: source, destination: destination) }.sorted()
        }
    }

    /// The JSON schema version this vpcreach writes and reads.
    public static let currentSchemaVersion = 2

    /// The JSON schema version.
    public var schemaVersion = currentSchemaVersion
    /// The snapshot it was computed from.
    public var snapshot: String
    /// The scope selector, or `nil` for every interface.
    public var scope: String?
    /// The ephemeral range replies had to reach.
    public var ephemeralPorts: String
    /// The interfaces, sorted by id.
    public var members: [Member]
    /// Lists of member ids that cells refer to by position: classes of interfaces that answer
    /// alike, the interfaces of a VPC, the interfaces sharing a route table. An interface may be
    /// in several groups.
    public var groups: [[String]]
    /// The cells; every ordered pair of the matrix is in exactly one.
    public var cells: [Cell]

    /// Calls `body` for every ordered pair of the matrix with its cell, cell by cell.
    public func forEachPair(_ body: (_ source: String, _ destination: String, _ cell: Cell) throws -> Void) rethrows {
        for cell in cells {
            for sourceGroup in cell.sources {
                for source in groups[sourceGroup] {
                    for destinationGroup in cell.destinations {
                        for destination in groups[destinationGroup] where destination != source {
                            try body(source, destination, cell)
                        }
                    }
                }
            }
        }
    }

    /// The cell of the pair from `source` to `destination`, if the matrix covers it.
    public func cell(from source: String, to destination: String) -> Cell? {
        guard source != destination else { return nil }
        let sourceGroups = Set(groups.indices.filter { groups[$0].contains(source) })
        let destinationGroups = Set(groups.indices.filter { groups[$0].contains(destination) })
        return cells.first {
            $0.sources.contains(where: sourceGroups.contains)
                && $0.destinations.contains(where: destinationGroups.contains)
        }
    }
}
