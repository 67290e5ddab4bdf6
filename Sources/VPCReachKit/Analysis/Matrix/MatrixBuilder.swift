import PacketSets

/// Computes reachability matrices.
///
/// Interfaces that behave alike (``InterfaceClasses``) are evaluated once per pair of classes, on
/// every core, and a pair of classes whose answer does not depend on the addresses inside them is
/// one cell. Pairs across VPCs whose source route table drops everything toward the other VPC are
/// decided by that table alone, once per table and VPC (semantics §37).
public struct MatrixBuilder: Sendable {
    /// The indexed snapshot.
    public let index: NetworkIndex
    /// The client range replies must reach when a build names none; `nil`: each source's own (§26).
    public var ephemeralPorts: ClosedRange<Int>?

    /// Indexes `snapshot`; builds use `ephemeralPorts` unless they name a range.
    public init(snapshot: Snapshot, ephemeralPorts: ClosedRange<Int>? = nil) {
        index = NetworkIndex(snapshot)
        self.ephemeralPorts = ephemeralPorts
    }

    /// Creates a builder over an existing index.
    public init(index: NetworkIndex, ephemeralPorts: ClosedRange<Int>? = nil) {
        self.index = index
        self.ephemeralPorts = ephemeralPorts
    }

    /// The matrix of every pair with at least one end in `scope` (every interface when `nil`).
    ///
    /// - Throws: ``VPCReachError/selector(_:)`` when the scope selector matches nothing.
    public func build(scope: String?, ephemeralPorts: ClosedRange<Int>? = nil) throws -> ReachabilityMatrix {
        try build(scope: scope, ephemeralPorts: ephemeralPorts, selection: PairSelection())
    }

    /// The matrix of the pairs with at least one end in `scope` that `selection` wants.
    func build(scope: String?, ephemeralPorts: ClosedRange<Int>? = nil, selection: PairSelection) throws
        -> ReachabilityMatrix
    {
        let ends = try endpoints(scope: scope)
        var matrix = build(ends, scope: scope, ephemeralPorts: ephemeralPorts, selection: selection)
        let used = Set(matrix.groups.joined())
        matrix.members = members(ends.endpoints.filter { used.contains($0.id) }, inScope: ends.scoped)
        return matrix
    }

    /// The matrix over `ends` (``endpoints(scope:)`` of `scope`, laid out in `layout` when given)
    /// of the pairs `selection` wants, without describing its members: the caller describes those
    /// it needs (``members(_:inScope:roles:)``).
    func build(
        _ ends: (endpoints: [Endpoint], scoped: Set<String>), layout: MatrixLayout? = nil, scope: String?,
        ephemeralPorts: ClosedRange<Int>? = nil, selection: PairSelection, decidingByRoute: Bool = true
    ) -> ReachabilityMatrix {
        let (ordered, scopedIDs) = ends
        let ephemeralPorts = ephemeralPorts ?? self.ephemeralPorts
        let analyzer = PathAnalyzer(
            index: index, traffic: Traffic(ipProtocol: .all, ephemeralPorts: ephemeralPorts),
            explains: false)
        let plan = MatrixPlan(
            endpoints: ordered, inScope: ordered.map { scopedIDs.contains($0.id) },
            layout: layout ?? MatrixLayout(endpoints: ordered, index: index),
            selection: selection)
        // Without route decisions every layer of every pair is evaluated (layers compared like with like).
        let needed = decidingByRoute ? plan.neededDecisions() : []
        let verdicts = needed.concurrentMap { key in
            decideByRoute(
                from: plan.senders[key.route], toward: key.vpc, addresses: plan.vpcAddresses[key.vpc] ?? IntervalSet(),
                analyzer: analyzer)
        }
        let decisions = Dictionary(
            uniqueKeysWithValues: zip(needed, verdicts).compactMap { key, blockers in blockers.map { (key, $0) } })
        let (decided, classPairs) = plan.split(decisions: decisions)
        // The stages between security groups depend on the two subnets only: evaluated once per
        // pair of subnets, on their whole blocks, and restricted to each pair of classes.
        let pathKeys = Set(classPairs.compactMap { plan.pathKey($0, $1) }).sorted()
        let pathStages = pathKeys.concurrentMap { key -> SharedPath? in
            guard let source = plan.pathEnds[key.source], let destination = plan.pathEnds[key.destination] else {
                return nil
            }
            // On every source port: restricted to each pair's, whatever ephemeral range its source uses.
            let flow = TrafficSets.flow(
                analyzer.traffic, ephemeral: 0...65535, from: source.addresses, to: destination.addresses)
            let stages = analyzer.pathStages(from: source, to: destination, flow: flow)
            // An appliance's groups see the ends' own groups: such a path is evaluated per pair.
            guard !stages.dependsOnEnds else { return nil }
            return SharedPath(stages: stages, sourceID: source.id, destinationID: destination.id)
        }
        let shared = Dictionary(
            uniqueKeysWithValues: zip(pathKeys, pathStages).compactMap { key, stages in stages.map { (key, $0) } })
        let evaluated = classPairs.concurrentMap { a, b in
            cells(
                from: plan.classes[a].members, to: plan.classes[b].members, of: ordered, analyzer: analyzer,
                sharing: plan.pathKey(a, b).flatMap { shared[$0] })
        }
        var assembly = MatrixAssembly()
        for (sources, destinations, blockers) in decided {
            assembly.add(
                sources: sources, destinations: destinations, reachable: .empty, unknown: .empty, blockers: blockers,
                decidedByRoute: true)
        }
        for cell in evaluated.joined() {
            assembly.add(
                sources: cell.sources, destinations: cell.destinations, reachable: cell.reachable,
                unknown: cell.unknown, blockers: cell.blockers, decidedByRoute: false)
        }
        let (groups, matrixCells) = assembly.finished()
        return ReachabilityMatrix(
            snapshot: index.snapshot.root, scope: scope,
            ephemeralPorts: ephemeralPorts.map(PortText.range) ?? "per source",
            members: [], groups: groups.map { $0.map { ordered[$0].id } }, cells: matrixCells)
    }

    /// Every interface but forwarders, and the endpoints `scope` selects, sorted by id; and the
    /// ids in the scope (every one when `scope` is `nil`).
    func endpoints(scope: String?) throws -> (endpoints: [Endpoint], scoped: Set<String>) {
        let resolver = SelectorResolver(index: index)
        let everyone = resolver.interfaces { !$0.kind.isForwarder }
        // Sorted by id already.
        guard let scope else { return (everyone, Set(everyone.map(\.id))) }
        let scoped = try resolver.resolveSource(scope)
        let members = Dictionary((everyone + scoped).map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        return (members.values.sorted(), Set(scoped.map(\.id)))
    }

    /// The blockers, when the route table `sender`'s subnet uses drops every packet from any
    /// address toward the interfaces of `vpc` (at `addresses`), each for every one of them.
    func decideByRoute(from sender: Endpoint?, toward vpc: String, addresses: IntervalSet, analyzer: PathAnalyzer)
        -> [BlockerKey]?
    {
        guard let sender, !addresses.isEmpty else { return nil }
        let target = Endpoint(
            kind: .interface(vpc), id: vpc, label: index.label(vpc), addresses: addresses, subnetID: nil, vpcID: vpc,
            groupIDs: [], hasPublicAddress: false)
        return analyzer.routeBlockers(from: sender, to: target, eachCoveringAll: true)
    }

    /// The stages between security groups of a path between two subnets, and the ids of the
    /// interfaces that stood for each end (a stage naming one names that end).
    struct SharedPath: Sendable {
        var stages: PathAnalyzer.PathStages
        var sourceID: String
        var destinationID: String
    }

    /// A cell over positions of the matrix's interfaces.
    struct PositionCell {
        var sources: [Int]
        var destinations: [Int]
        var reachable: TrafficMap
        var unknown: TrafficMap
        var blockers: [BlockerKey]
    }

    /// The cells from every member of one class to every other member of another (or the same)
    /// class, from one evaluation of the two classes.
    func cells(
        from sources: [Int], to destinations: [Int], of endpoints: [Endpoint], analyzer: PathAnalyzer,
        sharing shared: SharedPath? = nil
    ) -> [PositionCell] {
        let source = InterfaceClasses.merged(sources, of: endpoints)
        var destination = InterfaceClasses.merged(destinations, of: endpoints)
        // Within one class both ends stand as the same interface; tell them apart, so that a
        // blocker's component says which end it is.
        if destination.id == source.id { destination.id += "#destination" }
        let evaluation = analyzer.evaluate(from: source, to: destination, sharing: shared?.stages)
        let ends: (String) -> BlockerKey.Component? = { component in
            if component == source.id || component == shared?.sourceID { return .source }
            if component == destination.id || component == shared?.destinationID { return .destination }
            return nil
        }
        if sources.count == 1 && destinations.count == 1 {
            return [cell(evaluation, from: sources, to: destinations, ends: ends)]
        }
        if Self.isUniform(
            evaluation, from: sources.count > 1 ? source.addresses : nil,
            to: destinations.count > 1 ? destination.addresses : nil)
        {
            // Every member pair gets the same traffic and blockers: compute the traffic once.
            // Any one member pair stands for all (one with two different interfaces exists: the
            // classes have several members between them).
            guard let (s, d) = sources.lazy.compactMap({ s in destinations.first { $0 != s }.map { (s, $0) } }).first
            else { return [] }
            var shared = cell(
                Self.restrict(evaluation, from: endpoints[s].addresses, to: endpoints[d].addresses), from: sources,
                to: destinations, ends: ends)
            shared.sources = sources
            shared.destinations = destinations
            return [shared]
        }
        return sources.flatMap { s in
            destinations.filter { $0 != s }.map { d in
                cell(
                    Self.restrict(evaluation, from: endpoints[s].addresses, to: endpoints[d].addresses), from: [s],
                    to: [d], ends: ends)
            }
        }
    }

    /// Whether every packet set of `evaluation` treats all of `sources` alike and all of
    /// `destinations` alike (`nil`: one member, nothing to compare): then every member pair has
    /// the same cell.
    static func isUniform(_ evaluation: PairEvaluation, from sources: IntervalSet?, to destinations: IntervalSet?)
        -> Bool
    {
        let fields =
            (sources == nil ? [] : [PacketField.sourceAddress]) + (destinations == nil ? [] : [.destinationAddress])
        let sets =
            [evaluation.passing, evaluation.undecided]
            + evaluation.denials.map { $0.1.packets.intersection(evaluation.flow) }
        return sets.allSatisfy { set in
            var widened = set.widening(fields)
            if let sources { widened = widened.restricting(.sourceAddress, to: sources) }
            if let destinations { widened = widened.restricting(.destinationAddress, to: destinations) }
            // The widened set holds `set` (which lies within the flow); alike when it holds nothing more.
            return widened.isSubset(of: set)
        }
    }

    /// `evaluation` as it applies to the packets between two addresses sets only.
    static func restrict(_ evaluation: PairEvaluation, from sources: IntervalSet, to destinations: IntervalSet)
        -> PairEvaluation
    {
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
        _ evaluation: PairEvaluation, from sources: [Int], to destinations: [Int],
        ends: (String) -> BlockerKey.Component?
    )
        -> PositionCell
    {
        let (reachable, unknown) = Self.traffic(evaluation)
        return PositionCell(
            sources: sources, destinations: destinations, reachable: reachable, unknown: unknown,
            blockers: Self.blockers(evaluation, ends: ends))
    }

    /// What gets through both ways, and what the snapshot cannot decide, as traffic maps.
    static func traffic(_ evaluation: PairEvaluation) -> (reachable: TrafficMap, unknown: TrafficMap) {
        let flow = evaluation.flow
        let denied = flow.subtracting(evaluation.passing).subtracting(evaluation.undecided)
        let reachable = TrafficMap(projecting: flow).subtracting(
            TrafficMap(projecting: flow.subtracting(evaluation.passing)))
        let unknown = TrafficMap(projecting: evaluation.undecided).subtracting(TrafficMap(projecting: denied))
        return (reachable, unknown)
    }

    /// The blocking layers, sorted, a component that is an end of the pair written as the end
    /// `ends` says it is.
    static func blockers(_ evaluation: PairEvaluation, ends: (String) -> BlockerKey.Component? = { _ in nil })
        -> [BlockerKey]
    {
        Set(evaluation.denials.map { BlockerKey($0.0, $0.1.code, at: $0.1.component, ends: ends) }).sorted()
    }

    /// The matrix's descriptions of `endpoints` (`roles` by id where already known), computed on
    /// every core; each route table's routes are written out once, however many members use it.
    func members(_ endpoints: [Endpoint], inScope: Set<String>, roles: [String: String] = [:]) -> [ReachabilityMatrix
        .Member]
    {
        let routesByTable = routes(
            ofTables: Set(endpoints.compactMap { $0.subnetID.flatMap(index.routeTableID(forSubnet:)) }))
        let roleOf = roles.isEmpty ? index.roles(of: endpoints) : endpoints.map { roles[$0.id] ?? index.role(of: $0) }
        return Array(endpoints.indices).concurrentMap { position in
            let endpoint = endpoints[position]
            return ReachabilityMatrix.Member(
                id: endpoint.id, label: endpoint.label, role: roleOf[position], vpc: endpoint.vpcID,
                subnet: endpoint.subnetID, securityGroups: endpoint.groupIDs, inScope: inScope.contains(endpoint.id),
                routes: endpoint.subnetID.flatMap(index.routeTableID(forSubnet:)).flatMap { routesByTable[$0] } ?? [])
        }
    }

    /// The routes of each route table, as a matrix member lists them (sorted, without repeats),
    /// written on every core.
    func routes(ofTables ids: Set<String>) -> [String: [String]] {
        let tableIDs = Array(ids)
        let texts = tableIDs.concurrentMap { id in
            Array(
                Set(
                    index.snapshot.routeTables[id]?.routes.map { "\($0.destination) -> \($0.target) (\($0.state))" }
                        ?? [])
            ).sorted()
        }
        return Dictionary(uniqueKeysWithValues: zip(tableIDs, texts))
    }
}
