import PacketSets

/// Suggested fixes that would contradict the policy (semantics §40): a route a failing `allow`
/// asks for is tried on a copy of the snapshot against the `deny`, `only` and `unchanged`
/// assertions that hold today; when it would break one, a narrower route is tried and suggested.
extension PolicyChecker {
    /// Assertion kinds that forbid flows: a fix must keep them holding.
    static let forbiddingKinds: Set<String> = ["deny", "only", "unchanged"]

    func checkingRemediations(_ results: [AssertionResult], _ policy: Policy) throws -> [AssertionResult] {
        let forbidding = zip(policy.assertions, results).filter {
            Self.forbiddingKinds.contains($0.0.kindName) && $0.1.status == .pass
        }.map(\.0)
        guard !forbidding.isEmpty else { return results }
        var checked = results
        for (position, result) in results.enumerated() where result.status == .fail && result.kind == "allow" {
            var seen = Set<Remediation>()
            for blocker in result.blockers {
                guard let remediation = blocker.remediation, seen.insert(remediation).inserted,
                    case .addRoute(let tableID, let destination, let target) = remediation,
                    let block = CIDRBlock(destination),
                    snapshot.routeTables[tableID] != nil
                else { continue }
                let route = Route(
                    destination: .cidr(block), target: .peeringConnection(target), origin: "CreateRoute",
                    state: .active,
                    source: SourceLocation(file: "(suggested fix)"))
                var widened = snapshot
                widened.routeTables[tableID]?.routes.append(route)
                let widenedChecker = checker(on: widened)
                let broken = try forbidding.filter { try widenedChecker.evaluate($0, in: policy).status != .pass }
                guard !broken.isEmpty else { continue }
                let names = broken.map(\.id).joined(separator: ", ")
                let subnets = try subnets(using: tableID, fixedBy: remediation, in: policy.assertions[position], policy)
                var narrowed = snapshot
                if var table = snapshot.routeTables[tableID], !subnets.isEmpty {
                    narrowed.routeTables[tableID]?.subnetIDs.removeAll { subnets.contains($0) }
                    table.id = "\(tableID)-narrow"
                    table.isMain = false
                    table.subnetIDs = subnets
                    table.routes.append(route)
                    narrowed.routeTables[table.id] = table
                }
                let narrowedChecker = checker(on: narrowed)
                let narrowHolds =
                    try !subnets.isEmpty
                    && forbidding.allSatisfy { try narrowedChecker.evaluate($0, in: policy).status == .pass }
                let narrow =
                    narrowHolds
                    ? "give \(subnets.joined(separator: ", ")) a route table of \(subnets.count == 1 ? "its" : "their") own holding the routes of \(tableID) plus \(destination) via \(target): every deny, only and unchanged assertion still holds then"
                    : "no narrower route keeps them holding: the flow the allow asks for and the ones they forbid use the same subnets, so change the security groups or network ACLs instead, or revisit the assertions"
                checked[position].details.append(
                    "the suggested fix (add a route for \(destination) to \(tableID) via \(target)) would also make \(names) fail, which \(broken.count == 1 ? "holds" : "hold") today: \(narrow)"
                )
                for index in checked[position].blockers.indices
                where checked[position].blockers[index].remediation == remediation {
                    checked[position].blockers[index].fix =
                        narrowHolds
                        ? narrow + " (a route in \(tableID) itself would break \(names))"
                        : "adding \(destination) via \(target) to \(tableID) would break \(names); " + narrow
                }
            }
        }
        return checked
    }

    /// A checker of `snapshot` (indexed once) with this check's baseline and client range.
    func checker(on snapshot: Snapshot) -> PolicyChecker {
        var checker = PolicyChecker(snapshot: snapshot, baseline: baseline, ephemeralPorts: ephemeralPorts)
        checker.ephemeralOverride = ephemeralOverride
        return checker
    }

    /// The subnets of the `allow` assertion's pairs that `remediation` would serve: the ends of
    /// pairs it names whose subnet uses route table `tableID`, sorted.
    func subnets(using tableID: String, fixedBy remediation: Remediation, in assertion: Assertion, _ policy: Policy)
        throws -> [String]
    {
        guard case .reach(true, let spec) = assertion.kind else { return [] }
        let engine = QueryEngine(snapshot: snapshot)
        var subnets = Set<String>()
        for from in expand(spec.from, in: policy) {
            for to in expand(spec.to, in: policy) {
                for pair in try engine.answer(query(from, to, spec.traffic)).pairs
                where pair.blockers.contains(where: { $0.remediation == remediation }) {
                    for subnet in [pair.source.subnet, pair.destination.subnet].compactMap({ $0 })
                    where index.routeTableID(forSubnet: subnet) == tableID {
                        subnets.insert(subnet)
                    }
                }
            }
        }
        return subnets.sorted()
    }
}
