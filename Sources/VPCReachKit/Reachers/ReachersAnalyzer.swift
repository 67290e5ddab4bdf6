import PacketSets

/// Finds every source that reaches one destination, evaluating interfaces that behave alike once.
///
/// Interfaces in one subnet with the same security groups and the same kind of address (public
/// or not) meet the same rules everywhere on the path, and every rule acts on each address on its
/// own; so a class of them is evaluated once, on the union of their addresses, and each member's
/// answer is that result restricted to its own addresses: the same answer, exactly, as evaluating
/// it alone. A class whose subnet has no route to the destination at all is decided by its route
/// table, which is evaluated once per table. Classes are evaluated on every core.
///
///     let reachers = try ReachersAnalyzer(snapshot: snapshot)
///         .analyze(Query(from: "all", to: "eni-0db", ports: 5432...5432))
public struct ReachersAnalyzer: Sendable {
    /// The indexed snapshot.
    public let index: NetworkIndex

    /// Indexes `snapshot`.
    public init(snapshot: Snapshot) {
        index = NetworkIndex(snapshot)
    }

    /// Works over an existing index.
    public init(index: NetworkIndex) {
        self.index = index
    }

    /// Every source `query.from` selects, by what happens to its traffic to the one interface
    /// `query.to` selects.
    ///
    /// - Throws: ``VPCReachError/selector(_:)`` when a selector is malformed, matches nothing, or
    ///   the destination is not exactly one interface or address in the snapshot.
    public func analyze(_ query: Query) throws -> Reachers {
        assemble(query, try survey(query))
    }

    /// What `reachers` finds before it is put in words.
    struct Survey {
        var destination: Endpoint
        /// The sources evaluated, sorted by id, and what happens to each one's traffic.
        var sources: [Endpoint]
        var outcomes: [Outcome]
        /// Interfaces decided by their route table before an endpoint was built for them (only
        /// for `all`), with the table's blockers.
        var decidedByRoute: [(id: String, blockers: [BlockerKey])]
    }

    /// Resolves the query and finds what happens to every source.
    func survey(_ query: Query) throws -> Survey {
        let resolver = SelectorResolver(index: index)
        guard case .endpoints(let targets) = try resolver.resolve(query.to) else {
            throw VPCReachError.selector(
                "'\(query.to)' is a DNS name, which resolves per source VPC; give the interface or address it resolves to (`vpcreach query` shows it)"
            )
        }
        guard targets.count == 1, let destination = targets.first, destination.isInternal else {
            throw VPCReachError.selector(
                "'\(query.to)' selects \(targets.count) endpoints; reachers needs exactly one interface inside a VPC of the snapshot"
            )
        }
        let sources: [Endpoint]
        var decided: [(id: String, blockers: [BlockerKey])] = []
        if query.from == "all" {
            (sources, decided) = everyInterface(
                toward: destination, analyzer: PathAnalyzer(index: index, traffic: query.traffic), resolver: resolver)
        } else {
            sources = try resolver.resolveSource(query.from).filter { $0.id != destination.id }
        }
        guard !sources.isEmpty || !decided.isEmpty else {
            throw VPCReachError.selector("'\(query.from)' selects no source other than the destination")
        }
        return Survey(
            destination: destination, sources: sources,
            outcomes: outcomes(of: sources, to: destination, traffic: query.traffic),
            decidedByRoute: decided)
    }

    /// Every interface but forwarders and the destination: those whose route table decides them
    /// by id only, the others as endpoints sorted by id. At 100k interfaces nearly all are
    /// decided by their table, and building an endpoint for each was most of the time.
    func everyInterface(toward destination: Endpoint, analyzer: PathAnalyzer, resolver: SelectorResolver) -> (
        [Endpoint], [(id: String, blockers: [BlockerKey])]
    ) {
        var complete: [String: Bool] = [:]
        var candidates: [(id: String, key: RouteKey?)] = []
        var representatives: [RouteKey: String] = [:]
        for (id, interface) in index.snapshot.networkInterfaces
        where !interface.kind.isForwarder && id != destination.id {
            if complete[interface.vpcID] == nil {
                complete[interface.vpcID] =
                    index.snapshot.incompleteness(affecting: [interface.vpcID] + [destination.vpcID].compactMap { $0 })
                    .isEmpty
            }
            var key: RouteKey?
            if complete[interface.vpcID] == true, interface.subnetID != destination.subnetID,
                let table = index.routeTableID(forSubnet: interface.subnetID)
            {
                key = RouteKey(
                    tableID: table, subnetID: interface.subnetID, pairing: PublicPairing(interface), index: index)
            }
            if let key, representatives[key] == nil || id < representatives[key] ?? id { representatives[key] = id }
            candidates.append((id, key))
        }
        let senders = representatives.compactMapValues { index.snapshot.networkInterfaces[$0].map(resolver.endpoint) }
        let verdicts = decideByRoute(senders, to: destination, analyzer: analyzer)
        var decided: [(id: String, blockers: [BlockerKey])] = []
        var remaining: [String] = []
        for (id, key) in candidates {
            if let key, let blockers = verdicts[key] { decided.append((id, blockers)) } else { remaining.append(id) }
        }
        let interfaces = index.snapshot.networkInterfaces
        var endpoints = remaining.concurrentMap { interfaces[$0].map(resolver.endpoint) }.compactMap { $0 }
        endpoints.sort { $0.id < $1.id }
        return (endpoints, decided.sorted { $0.id < $1.id })
    }

    /// What happens to the traffic `query` describes from each of `sources` to `destination`.
    func outcomes(of sources: [Endpoint], to destination: Endpoint, traffic: Traffic) -> [Outcome] {
        let analyzer = PathAnalyzer(index: index, traffic: traffic)
        // Toward a public address each source is seen at its own public address (§30a), which
        // classes do not share: every source alone then.
        let alone: Bool
        if case .service = destination.kind { alone = true } else { alone = destination.addressing == .publicAddress }
        let classes =
            alone
            ? sources.indices.map {
                SourceClass(members: [$0], of: sources, toward: destination, index: index, complete: false)
            }
            : SourceClass.partition(sources, toward: destination, index: index)
        var senders: [RouteKey: Endpoint] = [:]
        for sourceClass in classes {
            if let key = sourceClass.routeKey, senders[key] == nil { senders[key] = sourceClass.merged }
        }
        let routeVerdicts = decideByRoute(senders, to: destination, analyzer: analyzer)
        let classOutcomes = classes.concurrentMap { sourceClass -> [Outcome] in
            if let key = sourceClass.routeKey, let blockers = routeVerdicts[key] {
                return [.blocked(blockers, decidedByRoute: true)]
            }
            return self.outcomes(of: sourceClass, in: sources, to: destination, analyzer: analyzer)
        }
        var outcomes = [Outcome](repeating: .reaching, count: sources.count)
        for (sourceClass, results) in zip(classes, classOutcomes) {
            for (number, position) in sourceClass.members.enumerated() {
                outcomes[position] = results.count == 1 ? results[0] : results[number]
            }
        }
        return outcomes
    }

    /// What happens to one source's traffic.
    enum Outcome: Sendable, Equatable {
        case reaching
        case partial(traffic: String)
        case undecided(reason: String)
        case blocked([BlockerKey], decidedByRoute: Bool)
    }

    /// The route table keys whose table alone drops every packet toward the destination, from any
    /// source address, with the blockers it names; `senders` gives an interface using each key.
    func decideByRoute(_ senders: [RouteKey: Endpoint], to destination: Endpoint, analyzer: PathAnalyzer) -> [RouteKey:
        [BlockerKey]]
    {
        let keys = senders.keys.sorted()
        let verdicts = keys.concurrentMap { key in
            senders[key].flatMap { analyzer.routeBlockers(from: $0, to: destination) }
        }
        return Dictionary(
            uniqueKeysWithValues: zip(keys, verdicts).compactMap { key, blockers in blockers.map { (key, $0) } })
    }

    /// Evaluates a class once on all its addresses and restricts the result to each member.
    func outcomes(of sourceClass: SourceClass, in sources: [Endpoint], to destination: Endpoint, analyzer: PathAnalyzer)
        -> [Outcome]
    {
        let merged = sourceClass.merged
        let evaluation = analyzer.evaluate(from: merged, to: destination)
        let incomplete = !index.snapshot.incompleteness(affecting: [merged.vpcID, destination.vpcID].compactMap { $0 })
            .isEmpty
        return sourceClass.members.map { position in
            let member = sources[position]
            let flow =
                sourceClass.members.count == 1
                ? evaluation.flow : evaluation.flow.restricting(.sourceAddress, to: member.addresses)
            let passing = evaluation.passing.intersection(flow)
            let undecided = evaluation.undecided.intersection(flow)
            let denied = flow.subtracting(passing).subtracting(undecided)
            if incomplete || (denied.isEmpty && !undecided.isEmpty) {
                let alone = analyzer.answer(
                    sourceClass.members.count == 1 ? evaluation : analyzer.evaluate(from: member, to: destination))
                return .undecided(reason: alone.unknowns.first ?? alone.summary)
            }
            if denied.isEmpty { return .reaching }
            if !passing.isEmpty {
                return .partial(traffic: TrafficSets.describe(passing, direction: .forward, within: flow))
            }
            let blockers = evaluation.denials.filter { !$0.1.packets.intersection(flow).isEmpty }
                .map { BlockerKey($0.0, $0.1.code, at: $0.1.component) { $0 == merged.id ? .source : nil } }
            return .blocked(Set(blockers).sorted(), decidedByRoute: false)
        }
    }

    /// `direction code component`, with the source's own interface written `source` so that
    /// sources blocked alike group together.

    func assemble(_ query: Query, _ survey: Survey) -> Reachers {
        let destination = survey.destination
        func listed(_ endpoint: Endpoint, traffic: String? = nil, reason: String? = nil) -> Reachers.Source {
            Reachers.Source(
                id: endpoint.id, label: endpoint.label, role: index.role(of: endpoint), vpc: endpoint.vpcID,
                subnet: endpoint.subnetID,
                securityGroups: endpoint.groupIDs, traffic: traffic, reason: reason)
        }
        var reaching: [Reachers.Source] = []
        var partial: [Reachers.Source] = []
        var undecided: [Reachers.Source] = []
        var blocked: [BlockedKey: [String]] = [:]
        for (id, blockers) in survey.decidedByRoute {
            blocked[BlockedKey(blockers: blockers, decidedByRoute: true), default: []].append(id)
        }
        for (source, outcome) in zip(survey.sources, survey.outcomes) {
            switch outcome {
            case .reaching: reaching.append(listed(source))
            case .partial(let traffic): partial.append(listed(source, traffic: traffic))
            case .undecided(let reason): undecided.append(listed(source, reason: reason))
            case .blocked(let blockers, let byRoute):
                blocked[BlockedKey(blockers: blockers, decidedByRoute: byRoute), default: []].append(source.id)
            }
        }
        let groups = blocked.map { key, ids in
            Reachers.BlockedGroup(
                blockers: key.blockers, count: ids.count, decidedByRoute: key.decidedByRoute,
                examples: Array(ids.sorted().prefix(Reachers.exampleLimit)))
        }.sorted {
            ($1.count, $0.blockers.joined(separator: ";"), $0.decidedByRoute ? 0 : 1) < (
                $0.count, $1.blockers.joined(separator: ";"), $1.decidedByRoute ? 0 : 1
            )
        }
        let description = QueryDescription(
            from: query.from, to: query.to, protocol: query.ipProtocol.rawValue,
            ports: query.ports.map(PortText.range) ?? "all",
            ephemeralPorts: query.ephemeralText, mode: QueryMode.every.rawValue, snapshot: index.snapshot.root)
        return Reachers(
            query: description, destination: PathAnalyzer(index: index, traffic: query.traffic).summary(destination),
            sourceCount: survey.sources.count + survey.decidedByRoute.count,
            reaching: reaching.sorted { $0.id < $1.id }, partial: partial.sorted { $0.id < $1.id },
            undecided: undecided.sorted { $0.id < $1.id },
            blocked: groups, diagnostics: index.snapshot.diagnostics.filter { $0.severity == .error })
    }

    struct BlockedKey: Hashable {
        var blockers: [BlockerKey]
        var decidedByRoute: Bool
    }
}
