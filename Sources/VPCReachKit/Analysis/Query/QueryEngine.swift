import PacketSets

/// Answers reachability queries over one snapshot.
///
///     let engine = QueryEngine(snapshot: try SnapshotLoader().load("fixtures/prod-after"))
///     let answer = try engine.answer(Query(from: "ecs:app-prod/app", to: "db.prod.internal", ports: 5432...5432))
public struct QueryEngine: Sendable {
    /// The indexed snapshot.
    public let index: NetworkIndex

    /// Indexes `snapshot` for queries.
    public init(snapshot: Snapshot) {
        index = NetworkIndex(snapshot)
    }

    /// Answers `query`, one pair per source and destination.
    ///
    /// - Throws: ``VPCReachError/selector(_:)`` when a selector is malformed or matches nothing.
    public func answer(_ query: Query) throws -> QueryAnswer {
        let resolver = SelectorResolver(index: index)
        let sources = try resolver.resolveSource(query.from)
        let destinations = try resolver.resolve(query.to)
        let analyzer = PathAnalyzer(index: index, traffic: query.traffic)
        var pairs: [PairAnswer] = []
        for source in sources {
            switch destinations {
            case .endpoints(let targets):
                for target in targets where target.id != source.id {
                    if !source.isInternal && !target.isInternal {
                        throw VPCReachError.selector(
                            "neither '\(source.id)' nor '\(target.id)' is inside a VPC of the snapshot; there is no path to analyze"
                        )
                    }
                    pairs.append(analyzer.analyze(from: source, to: target))
                }
            case .dnsName(let name):
                pairs += dnsPairs(name, from: source, analyzer: analyzer, resolver: resolver)
            }
        }
        guard !pairs.isEmpty else {
            throw VPCReachError.selector(
                "'\(query.from)' and '\(query.to)' select the same single endpoint; there is no path to analyze")
        }
        // Every packet: the worst pair decides. Some packet: any pair that gets some through.
        let verdict =
            query.mode == .every
            ? pairs.map(\.verdict).max() ?? .unknown
            : pairs.contains { $0.verdict == .reachable }
                ? .reachable : pairs.contains { $0.verdict == .unknown } ? .unknown : .unreachable
        return QueryAnswer(
            query: QueryDescription(
                from: query.from, to: query.to, protocol: query.ipProtocol.rawValue,
                ports: query.ports.map(PortText.range) ?? "all",
                ephemeralPorts: query.ephemeralText, mode: query.mode.rawValue, snapshot: index.snapshot.root),
            reachable: verdict == .reachable, verdict: verdict, summary: overallSummary(verdict, pairs), pairs: pairs,
            diagnostics: relevantDiagnostics(pairs))
    }

    func dnsPairs(_ name: String, from source: Endpoint, analyzer: PathAnalyzer, resolver: SelectorResolver)
        -> [PairAnswer]
    {
        let dns = DNSResolver(index: index)
        let assumptions = dns.assumptions(fromVPC: source.vpcID)
        return dnsAnswerPairs(name, from: source, analyzer: analyzer, resolver: resolver, dns: dns).map { pair in
            guard !assumptions.isEmpty else { return pair }
            var pair = pair
            pair.assumptions = (pair.assumptions ?? []) + assumptions
            return pair
        }
    }

    private func dnsAnswerPairs(
        _ name: String, from source: Endpoint, analyzer: PathAnalyzer, resolver: SelectorResolver, dns: DNSResolver
    ) -> [PairAnswer] {
        let nameEndpoint = Endpoint(
            kind: .external, id: name, label: name, addresses: IntervalSet(), subnetID: nil, vpcID: nil, groupIDs: [],
            hasPublicAddress: false)
        switch dns.resolve(name, fromVPC: source.vpcID) {
        case .addresses(let addresses, let steps, let failure):
            let pairs = addresses.map { address in
                let target = resolver.addressEndpoint(address, text: address.description)
                var answer = analyzer.analyze(from: source, to: target, dns: steps)
                answer.summary = "\(name) resolves to \(address) from \(source.vpcID ?? "outside"); " + answer.summary
                return answer
            }
            // Route 53 may also answer with a record set that leads nowhere: those lookups fail.
            return pairs
                + (failure.map { failedPair(name, $0, from: source, analyzer: analyzer, nameEndpoint: nameEndpoint) }
                    ?? [])
        case .failure(let failure):
            return failedPair(name, failure, from: source, analyzer: analyzer, nameEndpoint: nameEndpoint)
        case .unknown(let reason):
            var answer = analyzer.assemble(
                source, nameEndpoint, flow: .empty, forward: [], back: [], dns: [reason], sameSubnet: false)
            answer.verdict = .unknown
            answer.unknowns = [reason]
            answer.summary = "The snapshot cannot decide whether \(source.label) reaches \(name): \(reason)."
            return [answer]
        }
    }

    /// One `unreachable` pair for a lookup that fails (`unknown` when the snapshot is incomplete there).
    private func failedPair(
        _ name: String, _ failure: DNSFailure, from source: Endpoint, analyzer: PathAnalyzer, nameEndpoint: Endpoint
    ) -> [PairAnswer] {
        let reason = failure.reason
        let incomplete = index.snapshot.incompleteness(affecting: [source.vpcID].compactMap { $0 })
        if let first = incomplete.first {
            var answer = analyzer.assemble(
                source, nameEndpoint, flow: .empty, forward: [], back: [], dns: [reason], sameSubnet: false)
            answer.summary =
                "The snapshot cannot decide whether \(source.label) reaches \(name): \(reason), but \(first.reason)."
            return [answer]
        }
        var answer = analyzer.assemble(
            source, nameEndpoint, flow: .empty, forward: [], back: [], dns: [reason], sameSubnet: false)
        answer.verdict = .unreachable
        let zone = failure.component.flatMap { index.snapshot.hostedZones[$0] }
        answer.blockers = [
            Blocker(
                direction: .forward, code: failure.code.explanationCode,
                component: failure.component.map { $0 == DNSName.canonical(name) ? name : $0 } ?? name,
                name: zone?.name ?? failure.component.flatMap { index.name(of: $0) },
                explanation: reason, fix: failure.fix, traffic: "DNS lookup of \(name)",
                sources: zone.map { [$0.source] } ?? [])
        ]
        answer.summary =
            "\(source.label) cannot reach \(name): the name does not resolve from \(source.vpcID ?? "its VPC"): \(reason)."
        return [answer]
    }

    func overallSummary(_ verdict: Verdict, _ pairs: [PairAnswer]) -> String {
        if pairs.count == 1 { return pairs[0].summary }
        let counts = Dictionary(grouping: pairs, by: \.verdict).mapValues(\.count)
        let parts = [Verdict.reachable, .unreachable, .unknown].compactMap { verdict in
            counts[verdict].map { "\($0) \(verdict.rawValue)" }
        }
        let lead: String
        switch verdict {
        case .reachable: lead = "Every pair is reachable"
        case .unreachable: lead = "Not every pair is reachable"
        case .unknown: lead = "The snapshot cannot decide every pair"
        }
        let first = pairs.first { $0.verdict == verdict }.map { " First: \($0.summary)" } ?? ""
        return "\(lead) (\(pairs.count) pairs: \(parts.joined(separator: ", "))).\(first)"
    }

    func relevantDiagnostics(_ pairs: [PairAnswer]) -> [Diagnostic] {
        var ids = Set<String>()
        for pair in pairs {
            ids.formUnion(
                [pair.source.id, pair.destination.id] + pair.source.securityGroups + pair.destination.securityGroups)
            ids.formUnion((pair.forward + pair.return).map(\.component))
            ids.formUnion(
                [pair.source.vpc, pair.destination.vpc, pair.source.subnet, pair.destination.subnet].compactMap { $0 })
        }
        return index.snapshot.diagnostics.filter { diagnostic in
            diagnostic.severity == .error || ids.contains { diagnostic.message.contains("'\($0)'") }
        }
    }
}
