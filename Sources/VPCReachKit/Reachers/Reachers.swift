/// Every source that reaches one destination: the answer to "who can reach the database on 5432?".
///
/// Sources are listed one by one where traffic gets through or the snapshot cannot decide, and
/// grouped by what blocks them otherwise, so the answer stays readable over a hundred thousand
/// interfaces.
public struct Reachers: Sendable, Codable, Hashable {
    /// One source, listed on its own.
    public struct Source: Sendable, Codable, Hashable {
        /// ENI id, selector text or address range.
        public var id: String
        /// Readable label.
        public var label: String
        /// `ecs:CLUSTER/SERVICE` for a task's interface, else its groups' names.
        public var role: String
        /// Its VPC.
        public var vpc: String?
        /// Its subnet.
        public var subnet: String?
        /// Its security groups.
        public var securityGroups: [String]
        /// For a partial reacher, the traffic that gets through both ways, e.g. `tcp 5432`.
        public var traffic: String?
        /// For an undecided source, why the snapshot cannot decide.
        public var reason: String?
    }

    /// Sources blocked by the same components.
    public struct BlockedGroup: Sendable, Codable, Hashable {
        /// The blockers, as `direction code component`, sorted; a source's own interface is `source`.
        public var blockers: [BlockerKey]
        /// How many sources.
        public var count: Int
        /// Whether only the route was evaluated: no route leads from these sources' subnets to
        /// the destination, which decides the answer, so their other layers were not evaluated.
        public var decidedByRoute: Bool
        /// The first sources of the group by id (at most ``exampleLimit``).
        public var examples: [String]
    }

    /// How many source ids a blocked group lists.
    public static let exampleLimit = 5

    /// The JSON schema version.
    public var schemaVersion = 1
    /// What was asked.
    public var query: QueryDescription
    /// The destination.
    public var destination: EndpointSummary
    /// How many sources the `from` selector selected, the destination excluded.
    public var sourceCount: Int
    /// Sources all of whose queried traffic gets through both ways, sorted by id.
    public var reaching: [Source]
    /// Sources some of whose traffic gets through, sorted by id.
    public var partial: [Source]
    /// Sources the snapshot cannot decide, sorted by id.
    public var undecided: [Source]
    /// Every other source, grouped by blockers; largest group first.
    public var blocked: [BlockedGroup]
    /// Loader diagnostics that bear on the answer.
    public var diagnostics: [Diagnostic]
}
