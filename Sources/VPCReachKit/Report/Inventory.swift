/// What a snapshot holds: counts per AWS key and per account/region, and every diagnostic.
public struct Inventory: Sendable, Codable, Equatable {
    /// One account/region's counts.
    public struct PlacementCounts: Sendable, Codable, Equatable {
        /// The account, or `null` when unknown.
        public var account: String?
        /// The region, or `null` when unknown (Route 53 is global).
        public var region: String?
        /// Counts per AWS key.
        public var counts: [String: Int]
    }

    /// The JSON schema version of this document.
    public var schemaVersion = 1
    /// The snapshot's path.
    public var snapshot: String
    /// Counts per AWS key across the snapshot.
    public var counts: [String: Int]
    /// Counts per account and region.
    public var placements: [PlacementCounts]
    /// Every warning and error.
    public var diagnostics: [Diagnostic]
    /// Parts of the snapshot that could not be read.
    public var incomplete: [Incompleteness]

    /// Summarises `snapshot`.
    public init(_ snapshot: Snapshot) {
        self.snapshot = snapshot.root
        counts = snapshot.counts
        placements = snapshot.countsByPlacement.keys.sorted().map { placement in
            PlacementCounts(
                account: placement.account, region: placement.region,
                counts: snapshot.countsByPlacement[placement] ?? [:])
        }
        diagnostics = snapshot.diagnostics
        incomplete = snapshot.incompleteness
    }
}
