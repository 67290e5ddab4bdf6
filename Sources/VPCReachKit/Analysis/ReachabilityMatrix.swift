import PacketSets

/// Who reaches whom on what, for a scope: one cell per ordered pair of interfaces touching the scope.
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

    /// One ordered pair.
    public struct Cell: Sendable, Codable, Hashable {
        /// Source member id.
        public var source: String
        /// Destination member id.
        public var destination: String
        /// Traffic that gets through both ways (every ephemeral port of the reply).
        public var reachable: TrafficMap
        /// Traffic nothing definitely drops but the snapshot cannot decide.
        public var unknown: TrafficMap
        /// The blocking layers, as `direction code component`, sorted.
        public var blockers: [String]
    }

    /// The JSON schema version.
    public var schemaVersion = 1
    /// The snapshot it was computed from.
    public var snapshot: String
    /// The scope selector, or `nil` for every interface.
    public var scope: String?
    /// The ephemeral range replies had to reach.
    public var ephemeralPorts: String
    /// The interfaces, sorted by id.
    public var members: [Member]
    /// The pairs, sorted by source then destination.
    public var cells: [Cell]
}

/// Computes reachability matrices.
public struct MatrixBuilder: Sendable {
    /// The indexed snapshot.
    public let index: NetworkIndex

    /// Indexes `snapshot`.
    public init(snapshot: Snapshot) {
        index = NetworkIndex(snapshot)
    }

    /// Creates a builder over an existing index.
    public init(index: NetworkIndex) {
        self.index = index
    }

    /// The matrix of every pair with at least one end in `scope` (every interface when `nil`).
    ///
    /// - Throws: ``VPCReachError/selector(_:)`` when the scope selector matches nothing.
    public func build(scope: String?, ephemeralPorts: ClosedRange<Int> = Query.defaultEphemeralPorts) throws -> ReachabilityMatrix {
        let resolver = SelectorResolver(index: index)
        let everyone = resolver.interfaces { !$0.kind.isForwarder }
        let scoped = try scope.map { try resolver.resolveSource($0) } ?? everyone
        let scopedIDs = Set(scoped.map(\.id))
        let members = Dictionary((everyone + scoped).map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let ordered = members.values.sorted()
        let analyzer = PathAnalyzer(index: index, query: Query(from: "", to: "", ipProtocol: .all, ephemeralPorts: ephemeralPorts))
        var cells: [ReachabilityMatrix.Cell] = []
        for source in ordered {
            for destination in ordered where destination.id != source.id {
                guard scopedIDs.contains(source.id) || scopedIDs.contains(destination.id) else { continue }
                cells.append(cell(analyzer.evaluate(from: source, to: destination), source: source, destination: destination))
            }
        }
        let used = Set(cells.flatMap { [$0.source, $0.destination] })
        return ReachabilityMatrix(
            snapshot: index.snapshot.root, scope: scope, ephemeralPorts: PortText.range(ephemeralPorts),
            members: ordered.filter { used.contains($0.id) }.map { member($0, inScope: scopedIDs.contains($0.id)) }, cells: cells)
    }

    func cell(_ evaluation: PairEvaluation, source: Endpoint, destination: Endpoint) -> ReachabilityMatrix.Cell {
        let flow = evaluation.flow
        let denied = flow.subtracting(evaluation.passing).subtracting(evaluation.undecided)
        let reachable = TrafficMap(projecting: flow).subtracting(TrafficMap(projecting: flow.subtracting(evaluation.passing)))
        let unknown = TrafficMap(projecting: evaluation.undecided).subtracting(TrafficMap(projecting: denied))
        let blockers = Set(evaluation.answer.blockers.map { "\($0.direction.rawValue) \($0.code) \($0.component)" })
        return ReachabilityMatrix.Cell(
            source: source.id, destination: destination.id, reachable: reachable, unknown: unknown, blockers: blockers.sorted())
    }

    func member(_ endpoint: Endpoint, inScope: Bool) -> ReachabilityMatrix.Member {
        let routes = endpoint.subnetID.flatMap(index.routeTable(forSubnet:))?.routes.map { "\($0.destination) -> \($0.target) (\($0.state))" } ?? []
        return ReachabilityMatrix.Member(
            id: endpoint.id, label: endpoint.label, role: index.role(of: endpoint), vpc: endpoint.vpcID, subnet: endpoint.subnetID,
            securityGroups: endpoint.groupIDs, inScope: inScope, routes: Array(Set(routes)).sorted())
    }
}
