import PacketSets

/// Checks a ``Policy`` against a snapshot (and a baseline for `unchanged`).
public struct PolicyChecker: Sendable {
    let index: NetworkIndex
    let baseline: Snapshot?
    /// The client range replies must reach, overriding the policy's `ephemeral_ports`; `nil`: the
    /// policy's, else each source's own.
    let ephemeralPorts: ClosedRange<Int>?

    /// Creates a checker.
    public init(snapshot: Snapshot, baseline: Snapshot? = nil, ephemeralPorts: ClosedRange<Int>? = nil) {
        index = NetworkIndex(snapshot)
        self.baseline = baseline
        self.ephemeralPorts = ephemeralPorts
    }

    var snapshot: Snapshot { index.snapshot }
    var resolver: SelectorResolver { SelectorResolver(index: index) }

    /// Checks every assertion.
    ///
    /// - Throws: ``PolicyError`` when a selector or group matches nothing in the snapshot.
    public func check(_ policy: Policy) throws -> CheckReport {
        var checker = self
        checker.ephemeralOverride = ephemeralPorts ?? policy.ephemeralPorts
        return try checker.checkEach(policy)
    }

    /// The range in force while checking (the CLI's, else the policy's).
    var ephemeralOverride: ClosedRange<Int>? = nil

    private func checkEach(_ policy: Policy) throws -> CheckReport {
        var results: [AssertionResult] = []
        for assertion in policy.assertions {
            try validate(assertion, in: policy)
            results.append(try evaluate(assertion, in: policy))
        }
        results = try checkingRemediations(results, policy)
        return CheckReport(policy: policy.file, snapshot: snapshot.root, baseline: baseline?.root, results: results)
    }

    // MARK: - Selectors

    /// Group names replaced by their selectors.
    func expand(_ names: [String], in policy: Policy) -> [String] {
        names.flatMap { policy.groups[$0] ?? [$0] }
    }

    func validate(_ assertion: Assertion, in policy: Policy) throws {
        func mustResolve(_ names: [String], allowDNS: Bool = false, alsoIn other: Snapshot? = nil) throws {
            for selector in expand(names, in: policy) {
                do {
                    switch try resolver.resolve(selector) {
                    case .dnsName where !allowDNS:
                        throw VPCReachError.selector("'\(selector)' is a DNS name, which can only be a destination")
                    default: break
                    }
                } catch let error as VPCReachError {
                    if let other, (try? SelectorResolver(index: NetworkIndex(other)).resolve(selector)) != nil {
                        continue
                    }
                    throw PolicyError(
                        file: policy.file, line: assertion.line, message: "assertion '\(assertion.id)': \(error)")
                }
            }
        }
        switch assertion.kind {
        case .reach(_, let spec):
            try mustResolve(spec.from)
            try mustResolve(spec.to, allowDNS: true)
        case .only(let to, let sources, let candidates, _):
            try mustResolve(to)
            try mustResolve(sources)
            try mustResolve(candidates ?? [])
        case .unchanged(let scope, _):
            try mustResolve(scope, alsoIn: baseline)
        case .parity(let first, let second, let destinations, _):
            try mustResolve(first + second + (destinations ?? []))
        case .peering, .transit, .dns:
            break
        }
    }

    func endpoints(_ names: [String], in policy: Policy) throws -> [Endpoint] {
        var seen = Set<String>()
        return try expand(names, in: policy).flatMap { try resolver.resolveSource($0) }.filter {
            seen.insert($0.id).inserted
        }
    }

    // MARK: - Evaluation

    func evaluate(_ assertion: Assertion, in policy: Policy) throws -> AssertionResult {
        var result = AssertionResult(
            id: assertion.id, kind: assertion.kindName, description: assertion.description, line: assertion.line,
            status: .pass,
            summary: "", details: [], blockers: [], evidence: [])
        switch assertion.kind {
        case .reach(let allow, let spec): try checkReach(allow: allow, spec, policy, &result)
        case .only(let to, let sources, let candidates, let traffic):
            try checkOnly(to: to, sources: sources, candidates: candidates, traffic: traffic, policy, &result)
        case .unchanged(let scope, let layers): try checkUnchanged(scope: scope, layers: layers, policy, &result)
        case .parity(let first, let second, let destinations, let traffic):
            try checkParity(first: first, second: second, destinations: destinations, traffic: traffic, policy, &result)
        case .peering(let connection, let vpcs, let routes):
            checkPeering(connection, vpcs: vpcs, routes: routes, &result)
        case .transit(let table, let reaches, let routes):
            checkTransit(table, reaches: reaches, routes: routes, &result)
        case .dns(let name, let vpc, let resolves, let addresses):
            checkDNS(name, fromVPC: vpc, resolves: resolves, addresses: addresses, &result)
        }
        return result
    }

    func query(_ from: String, _ to: String, _ traffic: AssertionTraffic) -> Query {
        Query(
            from: from, to: to, ipProtocol: traffic.ipProtocol, ports: traffic.ports, ephemeralPorts: ephemeralOverride)
    }

    /// An assertion's traffic, with the check's ephemeral ports.
    func evaluated(_ traffic: AssertionTraffic) -> Traffic {
        Traffic(ipProtocol: traffic.ipProtocol, ports: traffic.ports, ephemeralPorts: ephemeralOverride)
    }

    static func describe(_ traffic: AssertionTraffic) -> String {
        Traffic(ipProtocol: traffic.ipProtocol, ports: traffic.ports).trafficDescription
    }
}
