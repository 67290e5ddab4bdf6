import PacketSets

/// The evaluation of each assertion kind.
extension PolicyChecker {
    func checkReach(allow: Bool, _ spec: ReachSpec, _ policy: Policy, _ result: inout AssertionResult) throws {
        let engine = QueryEngine(snapshot: snapshot)
        var pairs: [PairAnswer] = []
        for from in expand(spec.from, in: policy) {
            for to in expand(spec.to, in: policy) {
                pairs += try engine.answer(query(from, to, spec.traffic)).pairs
            }
        }
        let wanted: Verdict = allow ? .reachable : .unreachable
        let matching = pairs.filter { $0.verdict == wanted }
        let opposite = pairs.filter { $0.verdict != wanted && $0.verdict != .unknown }
        let unknown = pairs.filter { $0.verdict == .unknown }
        let traffic = Self.describe(spec.traffic)
        let verb = allow ? "reaches" : "is kept from"
        if spec.everyPair {
            result.status = !opposite.isEmpty ? .fail : (unknown.isEmpty ? .pass : .error)
        } else {
            result.status = !matching.isEmpty ? .pass : (unknown.isEmpty ? .fail : .error)
        }
        switch result.status {
        case .pass:
            result.summary =
                "\(spec.everyPair ? "every" : "at least one") pair \(verb) its destination on \(traffic) (\(matching.count) of \(pairs.count))"
        case .fail:
            result.summary =
                "\(opposite.count) of \(pairs.count) pair(s) \(allow ? "cannot reach" : "reach") their destination on \(traffic)"
            result.details = opposite.map(\.summary)
            result.blockers = allow ? opposite.flatMap(\.blockers) : []
            result.evidence = Array(Set(result.blockers.flatMap(\.sources))).sorted()
        case .error:
            result.summary = "the snapshot cannot decide \(unknown.count) of \(pairs.count) pair(s) on \(traffic)"
            result.details = unknown.map(\.summary)
        }
    }

    func checkOnly(
        to: [String], sources: [String], candidates: [String]?, traffic: AssertionTraffic, _ policy: Policy,
        _ result: inout AssertionResult
    ) throws {
        let destinations = try endpoints(to, in: policy)
        let permitted = Set(try endpoints(sources, in: policy).map(\.id))
        let pool = try candidates.map { try endpoints($0, in: policy) } ?? resolver.interfaces { !$0.kind.isForwarder }
        let targets = Set(destinations.map(\.id))
        let analyzer = PathAnalyzer(index: index, traffic: evaluated(traffic))
        var offenders: [String: [String]] = [:]
        var undecided: [String] = []
        let candidates = pool.filter { !permitted.contains($0.id) && !targets.contains($0.id) }
        // Which candidates some traffic might pass from, found by the reachers analysis (classes,
        // route decisions, every core); only those are evaluated one by one for the details.
        let reachers = ReachersAnalyzer(index: index)
        let outcomes = destinations.map { reachers.outcomes(of: candidates, to: $0, traffic: analyzer.traffic) }
        for (position, candidate) in candidates.enumerated() {
            for (number, destination) in destinations.enumerated() {
                if case .blocked = outcomes[number][position] { continue }
                let evaluation = analyzer.evaluate(from: candidate, to: destination)
                if !evaluation.passing.isEmpty {
                    let group = "\(index.role(of: candidate)) in \(candidate.subnetID.map { index.label($0) } ?? "?")"
                    offenders[group, default: []].append(
                        "\(candidate.label) -> \(destination.label): \(TrafficMap(projecting: evaluation.passing).description)"
                    )
                } else if case let answer = analyzer.answer(evaluation), answer.verdict == .unknown {
                    undecided.append(answer.summary)
                }
            }
        }
        let traffic = Self.describe(traffic)
        if !offenders.isEmpty {
            result.status = .fail
            result.summary =
                "\(offenders.values.map(\.count).reduce(0, +)) path(s) from \(offenders.count) group(s) outside the permitted sources reach the destination on \(traffic)"
            result.details = offenders.keys.sorted().flatMap { group in
                ["\(group):"] + (offenders[group] ?? []).sorted().map { "  \($0)" }
            }
        } else if !undecided.isEmpty {
            result.status = .error
            result.summary =
                "the snapshot cannot decide whether \(undecided.count) other source(s) reach the destination on \(traffic)"
            result.details = undecided
        } else {
            result.summary =
                "only the permitted sources reach the destination on \(traffic) (\(pool.count) candidate interface(s) checked)"
        }
    }

    func checkUnchanged(scope: [String], layers: Bool, _ policy: Policy, _ result: inout AssertionResult) throws {
        guard let baseline else {
            result.status = .error
            result.summary = "an 'unchanged' assertion needs a baseline snapshot (--baseline)"
            return
        }
        var flows: [String] = []
        var layerChanges: [String] = []
        for selector in expand(scope, in: policy) {
            let diff = try DiffEngine.diff(
                base: baseline, candidate: snapshot, scope: selector, ephemeralPorts: ephemeralOverride)
            flows += diff.flows.map {
                "\($0.change): \($0.sourceRole) -> \($0.destinationRole): \($0.trafficText)\($0.causes.isEmpty ? "" : " (\($0.causes.joined(separator: "; ")))")"
            }
            // A name answered differently from the scope's VPCs changes what its clients reach.
            flows += diff.dns.map { "dns changed: \($0.name) from \($0.vpc): \($0.before) -> \($0.after)" }
            layerChanges += diff.layers.map {
                "layers changed: \($0.sourceRole) -> \($0.destinationRole): before \($0.before.joined(separator: ", ")); now \($0.after.joined(separator: ", "))"
            }
            layerChanges += diff.routing.map {
                "routes changed for \($0.role): \(($0.added.map { "+ \($0)" } + $0.removed.map { "- \($0)" }).joined(separator: ", "))"
            }
        }
        let changes = flows + (layers ? layerChanges : [])
        if changes.isEmpty {
            result.summary =
                "reachability of \(scope.joined(separator: ", ")) is identical to the baseline\(layers ? ", blocking layers included" : "")"
        } else {
            result.status = .fail
            result.summary =
                "\(flows.count) flow or DNS change(s)\(layers ? " and \(layerChanges.count) blocking-layer change(s)" : "") against the baseline"
            result.details = changes
        }
    }

    func checkParity(
        first: [String], second: [String], destinations: [String]?, traffic: AssertionTraffic?, _ policy: Policy,
        _ result: inout AssertionResult
    ) throws {
        let firsts = try endpoints(first, in: policy)
        let seconds = try endpoints(second, in: policy)
        let excluded = Set((firsts + seconds).map(\.id))
        let targets = try
            (destinations.map { try endpoints($0, in: policy) } ?? resolver.interfaces { !$0.kind.isForwarder }).filter
        { !excluded.contains($0.id) }
        let analyzer = PathAnalyzer(
            index: index,
            traffic: traffic.map(evaluated) ?? Traffic(ipProtocol: .all, ephemeralPorts: ephemeralOverride))
        func reach(_ sources: [Endpoint], _ destination: Endpoint) -> TrafficMap {
            sources.map { MatrixBuilder.traffic(analyzer.evaluate(from: $0, to: destination)).reachable }
                .reduce(nil) { partial, next in partial.map { $0.intersection(next) } ?? next } ?? .empty
        }
        var differences: [String] = []
        for destination in targets {
            let a = reach(firsts, destination)
            let b = reach(seconds, destination)
            let onlyFirst = a.subtracting(b)
            let onlySecond = b.subtracting(a)
            if !onlyFirst.isEmpty {
                differences.append(
                    "only \(first.joined(separator: ", ")) reaches \(destination.label): \(onlyFirst.description)")
            }
            if !onlySecond.isEmpty {
                differences.append(
                    "only \(second.joined(separator: ", ")) reaches \(destination.label): \(onlySecond.description)")
            }
        }
        if differences.isEmpty {
            result.summary =
                "\(first.joined(separator: ", ")) and \(second.joined(separator: ", ")) reach the same \(targets.count) destination(s) with the same traffic"
        } else {
            result.status = .fail
            result.summary =
                "\(differences.count) difference(s) between what \(first.joined(separator: ", ")) and \(second.joined(separator: ", ")) reach"
            result.details = differences
        }
    }

    func checkPeering(_ id: String, vpcs: [String], routes allowed: [CIDRBlock], _ result: inout AssertionResult) {
        guard let peering = snapshot.peeringConnections[id] else {
            result.status = .fail
            result.summary = "peering connection \(id) is not in the snapshot"
            return
        }
        result.evidence = [peering.source]
        var problems: [String] = []
        if !peering.isActive { problems.append("\(id) is \(peering.status), not active") }
        let joined = Set([peering.requester.vpcID, peering.accepter.vpcID])
        if joined != Set(vpcs) {
            problems.append(
                "\(id) joins \(joined.sorted().joined(separator: " and ")), not \(vpcs.sorted().joined(separator: " and "))"
            )
        }
        let permitted = IntervalSet(allowed.map(\.range))
        var undecided: [String] = []
        for table in snapshot.routeTables.values.sorted(by: { $0.id < $1.id }) {
            for route in table.routes where route.target == .peeringConnection(id) {
                for excess in excess(of: route.destination, beyond: permitted) {
                    switch excess {
                    case .unknownList(let list):
                        undecided.append(
                            "\(index.label(table.id)) routes prefix list \(list), whose entries are not in the snapshot, to \(id)"
                        )
                    case .ipv6(let text):
                        problems.append(
                            "\(index.label(table.id)) routes IPv6 \(text) to \(id); only IPv4 blocks are listed")
                    case .wider(let block, _):
                        problems.append(
                            "\(index.label(table.id)) routes \(block) to \(id), wider than the listed blocks")
                        result.evidence.append(route.source)
                    }
                }
            }
        }
        if !problems.isEmpty {
            result.status = .fail
            result.summary =
                "peering connection \(index.label(id)) is wider than the policy allows (\(problems.count) problem(s))"
            result.details = problems
        } else if !undecided.isEmpty {
            result.status = .error
            result.summary = "the snapshot cannot decide whether every route to \(id) stays inside the listed blocks"
            result.details = undecided
        } else {
            result.summary =
                "\(index.label(id)) joins exactly \(vpcs.joined(separator: " and ")) and its routes stay inside \(allowed.map(\.description).joined(separator: ", "))"
        }
    }

    /// What a route destination holds beyond the blocks a policy lists (`peering`, `transit`).
    enum RouteExcess {
        /// A block outside them (from prefix list `list`, when it comes from one).
        case wider(CIDRBlock, list: String?)
        /// An IPv6 destination: the policy lists IPv4 blocks only.
        case ipv6(String)
        /// A prefix list whose entries are not in the snapshot: undecided.
        case unknownList(String)
    }

    func excess(of destination: RouteDestination, beyond permitted: IntervalSet) -> [RouteExcess] {
        switch destination {
        case .cidr(let block): IntervalSet(block.range).isSubset(of: permitted) ? [] : [.wider(block, list: nil)]
        case .prefixList(let list):
            index.prefixListBlocks(list).map { blocks in
                blocks.filter { !IntervalSet($0.range).isSubset(of: permitted) }.map { .wider($0, list: list) }
            } ?? [.unknownList(list)]
        case .ipv6(let text): [.ipv6(text)]
        }
    }

    /// A transit gateway route table's reach (§41): every active route sends to an attachment of
    /// a listed resource, inside the listed blocks when given; blackhole routes send nowhere.
    func checkTransit(
        _ id: String, reaches allowed: [String], routes blocks: [CIDRBlock]?, _ result: inout AssertionResult
    ) {
        guard let table = snapshot.transitGatewayRouteTables[id] else {
            result.status = .fail
            result.summary = "transit gateway route table \(id) is not in the snapshot"
            return
        }
        result.evidence = [table.source]
        guard let routes = table.routes, !table.truncated else {
            result.status = .error
            result.summary =
                "the snapshot cannot decide what \(index.label(id)) reaches: its routes are \(table.truncated ? "cut at 1,000 (AdditionalRoutesAvailable)" : "not exported (search-transit-gateway-routes)")"
            return
        }
        let permitted = blocks.map { IntervalSet($0.map(\.range)) }
        var problems: [String] = []
        var undecided: [String] = []
        for route in routes where route.state == .active {
            for attachmentID in route.attachmentIDs {
                guard let attachment = snapshot.transitGatewayAttachments[attachmentID] else {
                    undecided.append("\(route.destination) goes to \(attachmentID), which is not in the snapshot")
                    continue
                }
                if !allowed.contains(attachment.resourceID) {
                    problems.append(
                        "\(route.destination) goes to \(attachment.kind) attachment \(index.label(attachmentID)) of \(attachment.resourceID), which is not listed"
                    )
                    result.evidence.append(route.source)
                }
            }
            guard let permitted else { continue }
            for excess in excess(of: route.destination, beyond: permitted) {
                switch excess {
                case .unknownList(let list):
                    undecided.append(
                        "\(index.label(id)) routes prefix list \(list), whose entries are not in the snapshot")
                case .ipv6(let text):
                    problems.append("\(index.label(id)) routes IPv6 \(text); only IPv4 blocks are listed")
                case .wider(let block, let list):
                    problems.append(
                        "\(index.label(id)) routes \(block)\(list.map { " (prefix list \($0))" } ?? ""), wider than the listed blocks"
                    )
                    result.evidence.append(route.source)
                }
            }
        }
        if !problems.isEmpty {
            result.status = .fail
            result.summary =
                "transit gateway route table \(index.label(id)) reaches more than the policy allows (\(problems.count) problem(s))"
            result.details = problems
        } else if !undecided.isEmpty {
            result.status = .error
            result.summary = "the snapshot cannot decide whether \(index.label(id)) stays inside the policy"
            result.details = undecided
        } else {
            result.summary =
                "\(index.label(id)) sends only to \(allowed.joined(separator: ", "))\(blocks.map { " inside \($0.map(\.description).joined(separator: ", "))" } ?? "")"
        }
    }

    func checkDNS(
        _ name: String, fromVPC vpcID: String, resolves: Bool, addresses expected: [IPv4Address]?,
        _ result: inout AssertionResult
    ) {
        guard snapshot.vpcs[vpcID] != nil else {
            result.status = .fail
            result.summary = "VPC \(vpcID) is not in the snapshot"
            return
        }
        let resolver = DNSResolver(index: index)
        defer { result.details += resolver.assumptions(fromVPC: vpcID).map { "assumes: \($0)" } }
        switch resolver.resolve(name, fromVPC: vpcID) {
        case .addresses(let found, let steps, let failure):
            result.details = steps + (failure.map { ["some lookups fail: \($0.reason)"] } ?? [])
            if let failure, resolves {
                result.status = .fail
                result.summary =
                    "\(name) resolves from \(vpcID) to \(found.map(\.description).joined(separator: ", ")), but some lookups fail: \(failure.reason)"
            } else if !resolves {
                result.status = .fail
                result.summary =
                    "\(name) resolves from \(vpcID) to \(found.map(\.description).joined(separator: ", ")), but should not"
            } else if let expected, Set(expected) != Set(found) {
                result.status = .fail
                result.summary =
                    "\(name) resolves from \(vpcID) to \(found.map(\.description).joined(separator: ", ")), not \(expected.map(\.description).joined(separator: ", "))"
            } else {
                result.summary = "\(name) resolves from \(vpcID) to \(found.map(\.description).joined(separator: ", "))"
            }
        case .failure(let failure):
            let reason = failure.reason
            result.details = [reason]
            result.evidence = failure.component.flatMap { snapshot.hostedZones[$0]?.source }.map { [$0] } ?? []
            result.status = resolves ? .fail : .pass
            result.summary =
                resolves
                ? "\(name) does not resolve from \(vpcID): \(reason)"
                : "\(name) does not resolve from \(vpcID), as required"
        case .unknown(let reason):
            result.status = .error
            result.summary = "the snapshot cannot decide whether \(name) resolves from \(vpcID): \(reason)"
        }
    }
}
