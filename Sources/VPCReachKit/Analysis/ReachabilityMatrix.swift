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
    /// Interfaces that behave alike (``InterfaceClasses``) are evaluated once per pair of classes,
    /// on every core; each cell is that evaluation restricted to its two interfaces' addresses.
    ///
    /// - Throws: ``VPCReachError/selector(_:)`` when the scope selector matches nothing.
    public func build(scope: String?, ephemeralPorts: ClosedRange<Int> = Query.defaultEphemeralPorts) throws -> ReachabilityMatrix {
        let resolver = SelectorResolver(index: index)
        let everyone = resolver.interfaces { !$0.kind.isForwarder }
        let scoped = try scope.map { try resolver.resolveSource($0) } ?? everyone
        let scopedIDs = Set(scoped.map(\.id))
        let members = Dictionary((everyone + scoped).map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let ordered = members.values.sorted()
        let inScope = ordered.map { scopedIDs.contains($0.id) }
        let analyzer = PathAnalyzer(index: index, query: Query(from: "", to: "", ipProtocol: .all, ephemeralPorts: ephemeralPorts))
        let classes = InterfaceClasses.partition(ordered)
        let classInScope = classes.map { $0.contains { inScope[$0] } }
        var classPairs: [(Int, Int)] = []
        for a in classes.indices {
            for b in classes.indices where classInScope[a] || classInScope[b] {
                classPairs.append((a, b))
            }
        }
        let blocks = classPairs.concurrentMap { a, b in
            cells(from: classes[a], to: classes[b], of: ordered, inScope: inScope, analyzer: analyzer)
        }
        let matrixCells = blocks.flatMap { $0 }.sorted { ($0.source, $0.destination) < ($1.source, $1.destination) }
        let used = Set(matrixCells.flatMap { [$0.source, $0.destination] })
        return ReachabilityMatrix(
            snapshot: index.snapshot.root, scope: scope, ephemeralPorts: PortText.range(ephemeralPorts),
            members: ordered.filter { used.contains($0.id) }.map { member($0, inScope: scopedIDs.contains($0.id)) }, cells: matrixCells)
    }

    /// The cells from every member of one class to every other member of another (or the same)
    /// class, where one end is in scope, from one evaluation of the two classes.
    func cells(from sources: [Int], to destinations: [Int], of endpoints: [Endpoint], inScope: [Bool], analyzer: PathAnalyzer) -> [ReachabilityMatrix.Cell] {
        let pairs = sources.flatMap { s in destinations.compactMap { d in s != d && (inScope[s] || inScope[d]) ? (s, d) : nil } }
        guard !pairs.isEmpty else { return [] }
        let source = InterfaceClasses.merged(sources, of: endpoints)
        var destination = InterfaceClasses.merged(destinations, of: endpoints)
        // Within one class both ends stand as the same interface; tell them apart, so that a
        // blocker's component says which end it is.
        if destination.id == source.id { destination.id += "#destination" }
        let evaluation = analyzer.evaluate(from: source, to: destination)
        let single = sources.count == 1 && destinations.count == 1
        func restricted(_ s: Int, _ d: Int) -> PairEvaluation {
            single ? evaluation : Self.restrict(evaluation, from: endpoints[s].addresses, to: endpoints[d].addresses)
        }
        /// A blocker on one of the two classes' stand-ins names the member of the pair instead.
        func component(_ s: Int, _ d: Int) -> (String) -> String {
            { $0 == source.id ? endpoints[s].id : $0 == destination.id ? endpoints[d].id : $0 }
        }
        guard Self.isUniform(evaluation, from: source.addresses, to: destination.addresses) else {
            return pairs.map { s, d in cell(restricted(s, d), source: endpoints[s], destination: endpoints[d], component: component(s, d)) }
        }
        // Every member pair gets the same traffic and blockers: compute the traffic once.
        let (s0, d0) = pairs[0]
        let shared = restricted(s0, d0)
        let template = cell(shared, source: endpoints[s0], destination: endpoints[d0], component: component(s0, d0))
        return pairs.map { s, d in
            var copy = template
            copy.source = endpoints[s].id
            copy.destination = endpoints[d].id
            copy.blockers = Self.blockers(shared, component: component(s, d))
            return copy
        }
    }

    /// Whether every packet set of `evaluation` treats all source addresses alike and all
    /// destination addresses alike: then every member pair has the same cell.
    static func isUniform(_ evaluation: PairEvaluation, from sources: IntervalSet, to destinations: IntervalSet) -> Bool {
        let sets = [evaluation.passing, evaluation.undecided] + evaluation.denials.map { $0.1.packets.intersection(evaluation.flow) }
        return sets.allSatisfy { set in
            set.widening([.sourceAddress, .destinationAddress]).restricting(.sourceAddress, to: sources)
                .restricting(.destinationAddress, to: destinations).isEquivalent(to: set)
        }
    }

    /// `evaluation` as it applies to the packets between two addresses sets only.
    static func restrict(_ evaluation: PairEvaluation, from sources: IntervalSet, to destinations: IntervalSet) -> PairEvaluation {
        func narrow(_ set: PacketSet) -> PacketSet {
            set.restricting(.sourceAddress, to: sources).restricting(.destinationAddress, to: destinations)
        }
        var copy = evaluation
        copy.flow = narrow(evaluation.flow)
        copy.passing = narrow(evaluation.passing)
        copy.undecided = narrow(evaluation.undecided)
        copy.denials = evaluation.denials.compactMap { direction, denial in
            var narrowed = denial
            narrowed.packets = narrow(denial.packets).intersection(copy.flow)
            return narrowed.packets.isEmpty ? nil : (direction, narrowed)
        }
        return copy
    }

    func cell(
        _ evaluation: PairEvaluation, source: Endpoint, destination: Endpoint, component: (String) -> String = { $0 }
    ) -> ReachabilityMatrix.Cell {
        let flow = evaluation.flow
        let denied = flow.subtracting(evaluation.passing).subtracting(evaluation.undecided)
        let reachable = TrafficMap(projecting: flow).subtracting(TrafficMap(projecting: flow.subtracting(evaluation.passing)))
        let unknown = TrafficMap(projecting: evaluation.undecided).subtracting(TrafficMap(projecting: denied))
        return ReachabilityMatrix.Cell(
            source: source.id, destination: destination.id, reachable: reachable, unknown: unknown,
            blockers: Self.blockers(evaluation, component: component))
    }

    /// The blocking layers as `direction code component`, sorted, each component passed through
    /// `component`.
    static func blockers(_ evaluation: PairEvaluation, component: (String) -> String) -> [String] {
        Set(evaluation.denials.map { "\($0.0.rawValue) \($0.1.code) \(component($0.1.component))" }).sorted()
    }

    func member(_ endpoint: Endpoint, inScope: Bool) -> ReachabilityMatrix.Member {
        let routes = endpoint.subnetID.flatMap(index.routeTable(forSubnet:))?.routes.map { "\($0.destination) -> \($0.target) (\($0.state))" } ?? []
        return ReachabilityMatrix.Member(
            id: endpoint.id, label: endpoint.label, role: index.role(of: endpoint), vpc: endpoint.vpcID, subnet: endpoint.subnetID,
            securityGroups: endpoint.groupIDs, inScope: inScope, routes: Array(Set(routes)).sorted())
    }
}
