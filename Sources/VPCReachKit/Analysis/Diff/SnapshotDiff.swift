/// Diffs of two snapshots, computing only the pairs a change may touch.
extension DiffEngine {
    /// Diffs two snapshots over the same scope.
    ///
    /// Pairs between VPCs that both snapshots describe alike (``VPCContext``) answer alike, so only
    /// pairs with an end in a changed VPC are evaluated in each snapshot; the pairs between
    /// unchanged VPCs that the diff still needs (those of the role pairs a change touches, since a
    /// role pair is compared over all its pairs) are evaluated once, and only those role pairs are
    /// compared again over all their pairs. The routes of a role are compared only where one of its
    /// endpoints is in a changed VPC, changed role, or is in one snapshot only; endpoints are
    /// described only when in one snapshot only. The result is the one comparing the two whole
    /// matrices gives.
    ///
    /// A scope that matches nothing in one of them (a service not deployed yet) gives that side an
    /// empty matrix; matching nothing in both is an error.
    ///
    /// - Parameter ephemeralPorts: the client range every pair's replies must reach; `nil`: each
    ///   source's own (semantics §26).
    public static func diff(
        base: Snapshot, candidate: Snapshot, scope: String?, ephemeralPorts: ClosedRange<Int>? = nil
    ) throws -> ReachabilityDiff {
        let indexes = [base, candidate].concurrentMap { NetworkIndex($0) }
        return try withDNSChanges(
            matrixDiff(base: indexes[0], candidate: indexes[1], scope: scope, ephemeralPorts: ephemeralPorts),
            base: indexes[0], candidate: indexes[1],
            scope: scope)
    }

    /// `diff` with the names answered differently from the VPCs in scope (every VPC without one).
    static func withDNSChanges(
        _ matrixDiff: ReachabilityDiff, base: NetworkIndex, candidate: NetworkIndex, scope: String?
    ) throws -> ReachabilityDiff {
        var diff = matrixDiff
        // Nothing is resolved unless some zone or DNS attribute differs.
        guard let changed = DNSChanges.changes(between: base.snapshot, candidate.snapshot) else { return diff }
        let indexes = [base, candidate]
        let scoped: Set<String>? = try scope.map { scope in
            let resolvers = indexes.map { SelectorResolver(index: $0) }
            let ends = resolvers.compactMap { try? $0.resolveSource(scope) }.joined()
            if ends.isEmpty { _ = try resolvers[1].resolveSource(scope) }
            return Set(ends.compactMap(\.vpcID))
        }
        diff.dns = DNSChanges.between(indexes[0], indexes[1], changed: changed, vpcs: scoped)
        return diff
    }

    /// The flows, layers, routes, members and components of the diff.
    static func matrixDiff(
        base baseIndex: NetworkIndex, candidate candidateIndex: NetworkIndex, scope: String?,
        ephemeralPorts: ClosedRange<Int>?
    ) throws -> ReachabilityDiff {
        let (base, candidate) = (baseIndex.snapshot, candidateIndex.snapshot)
        let builders = [baseIndex, candidateIndex].map { MatrixBuilder(index: $0, ephemeralPorts: ephemeralPorts) }
        let (baseBuilder, candidateBuilder) = (builders[0], builders[1])
        let ends = builders.concurrentMap { try? $0.endpoints(scope: scope) }
        guard let baseEnds = ends[0], let candidateEnds = ends[1],
            let changed = VPCContext.changed(
                base, baseBuilder.index, scoped: scope == nil ? [] : baseEnds.scoped,
                candidate, candidateBuilder.index, scoped: scope == nil ? [] : candidateEnds.scoped)
        else {
            return try wholeMatrixDiff(
                base: baseIndex, candidate: candidateIndex, scope: scope, ephemeralPorts: ephemeralPorts)
        }
        let touching = PairSelection(vpcs: .touching(changed))
        // Each build runs on every core but has sequential parts: the two overlap.
        let partials = [(baseBuilder, baseEnds), (candidateBuilder, candidateEnds)].concurrentMap { builder, ends in
            let layout = MatrixLayout(endpoints: ends.endpoints, index: builder.index)
            return (matrix: builder.build(ends, layout: layout, scope: scope, selection: touching), layout: layout)
        }
        // Roles as the diff names them: the candidate's naming first; each computed once. The
        // whole matrices' members are every endpoint, unless there is only one (no pair).
        let baseRoles = roles(of: baseEnds.endpoints, in: baseBuilder.index)
        let candidateRoles = roles(of: candidateEnds.endpoints, in: candidateBuilder.index)
        let baseMembers = baseEnds.endpoints.count > 1 ? baseRoles : [:]
        let candidateMembers = candidateEnds.endpoints.count > 1 ? candidateRoles : [:]
        let roles = RoleNumbers(roleOf: baseMembers.merging(candidateMembers) { _, candidate in candidate })
        // A role pair whose pairs with an end in a changed VPC say the same in both snapshots is
        // the same in both, its other pairs being alike; the others need all their pairs. Views
        // are built only where the cells' answers differ (a whole estate has 500k role pairs).
        let answers = RoleAnswers.of(partials.map(\.matrix), roles: roles)
        let mayDiffer = answers[0].differingKeys(from: answers[1])
        let views = partials.concurrentMap { RoleViews($0.matrix, roles: roles, only: mayDiffer) }
        let changedKeys = views[0].differingKeys(from: views[1])
        let wantedSources = Set(changedKeys.map { roles.names[$0.source] })
        let wantedDestinations = Set(changedKeys.map { roles.names[$0.destination] })
        let unchangedPairs = PairSelection(
            isSource: { !changed.contains($0.vpcID ?? "") && wantedSources.contains(candidateRoles[$0.id] ?? $0.id) },
            isDestination: {
                !changed.contains($0.vpcID ?? "") && wantedDestinations.contains(candidateRoles[$0.id] ?? $0.id)
            },
            vpcs: .avoiding(changed))
        // Counted in both snapshots: these pairs answer alike.
        let unchanged = RoleViews(
            changedKeys.isEmpty
                ? emptyMatrix(of: candidate, scope: scope)
                : candidateBuilder.build(
                    candidateEnds, layout: partials[1].layout, scope: scope, selection: unchangedPairs),
            roles: roles, only: Set(changedKeys))
        let before = views[0].combined(with: unchanged, for: changedKeys)
        let after = views[1].combined(with: unchanged, for: changedKeys)
        let components = ComponentChanges.between(base, candidate, within: changed)
        let (flows, layers) = flowChanges(
            before: before, after: after, keys: before.differingKeys(from: after), components: components,
            securityGroups: (
                before: { groupIDs(of: $0, in: baseEnds.endpoints) },
                after: { groupIDs(of: $0, in: candidateEnds.endpoints) }
            ),
            allLayers: { keys in
                let sides = [(baseBuilder, baseEnds), (candidateBuilder, candidateEnds)].concurrentMap {
                    builder, ends in
                    everyLayer(of: keys, roles: roles, builder: builder, ends: ends, scope: scope)
                }
                return (sides[0], sides[1])
            })
        let relabelled = rolesOfRelabelledMembers(
            base: (baseEnds.endpoints, baseMembers), candidate: (candidateEnds.endpoints, candidateMembers),
            changedVPCs: changed)
        return ReachabilityDiff(
            base: base.root, candidate: candidate.root, scope: scope, flows: flows, layers: layers,
            routing: routingChanges(
                before: routes(of: relabelled, among: baseEnds, roles: baseMembers, builder: baseBuilder),
                after: routes(of: relabelled, among: candidateEnds, roles: candidateMembers, builder: candidateBuilder)),
            members: memberChanges(
                added: candidateBuilder.members(
                    candidateEnds.endpoints.filter { candidateMembers[$0.id] != nil && baseMembers[$0.id] == nil },
                    inScope: candidateEnds.scoped,
                    roles: candidateRoles),
                removed: baseBuilder.members(
                    baseEnds.endpoints.filter { baseMembers[$0.id] != nil && candidateMembers[$0.id] == nil },
                    inScope: baseEnds.scoped,
                    roles: baseRoles)),
            components: components)
    }

    /// The role of each endpoint by id, computed on every core.
    private static func roles(of endpoints: [Endpoint], in index: NetworkIndex) -> [String: String] {
        Dictionary(uniqueKeysWithValues: zip(endpoints.map(\.id), index.roles(of: endpoints)))
    }

    /// The security groups of the endpoint `id` among `endpoints` (sorted by id): a hypothetical
    /// interface in the scope has some, and is not in the snapshot.
    private static func groupIDs(of id: String, in endpoints: [Endpoint]) -> [String] {
        var (low, high) = (0, endpoints.count)
        while low < high {
            let middle = (low + high) / 2
            if endpoints[middle].id < id { low = middle + 1 } else { high = middle }
        }
        return low < endpoints.count && endpoints[low].id == id ? endpoints[low].groupIDs : []
    }

    /// The roles (each snapshot's own) of the members in a changed VPC, of those whose role
    /// changed, and of those in only one snapshot. Any other role has the same members in both
    /// snapshots, in alike VPCs: the same routes.
    private static func rolesOfRelabelledMembers(
        base: (endpoints: [Endpoint], roles: [String: String]),
        candidate: (endpoints: [Endpoint], roles: [String: String]), changedVPCs: Set<String>
    ) -> Set<String> {
        var result = Set<String>()
        for (mine, theirs) in [(base, candidate.roles), (candidate, base.roles)] {
            for endpoint in mine.endpoints {
                let (own, other) = (mine.roles[endpoint.id], theirs[endpoint.id])
                guard own != nil, changedVPCs.contains(endpoint.vpcID ?? "") || own != other else { continue }
                result.formUnion([own, other].compactMap { $0 })
            }
        }
        return result
    }

    /// The routes the members in scope of each of `wanted` roles use (``routesByRole(_:)`` of
    /// the whole matrix, for these roles).
    private static func routes(
        of wanted: Set<String>, among ends: (endpoints: [Endpoint], scoped: Set<String>), roles: [String: String],
        builder: MatrixBuilder
    ) -> [String: Set<String>] {
        var tablesByRole: [String: Set<String>] = [:]
        for endpoint in ends.endpoints where ends.scoped.contains(endpoint.id) {
            guard let role = roles[endpoint.id], wanted.contains(role) else { continue }
            tablesByRole[role, default: []].formUnion(
                [endpoint.subnetID.flatMap(builder.index.routeTableID(forSubnet:))].compactMap { $0 })
        }
        let routes = builder.routes(ofTables: Set(tablesByRole.values.joined()))
        return tablesByRole.mapValues { tables in Set(tables.flatMap { routes[$0] ?? [] }) }
    }

    /// The blockers of the role pairs `keys` with every layer evaluated: their pairs built again
    /// with no route table deciding alone.
    static func everyLayer(
        of keys: [RoleViews.Key], roles: RoleNumbers, builder: MatrixBuilder,
        ends: (endpoints: [Endpoint], scoped: Set<String>), scope: String?
    ) -> [RoleViews.Key: Set<BlockerKey>] {
        let sources = Set(keys.map(\.source))
        let destinations = Set(keys.map(\.destination))
        let byMember = roles.byMember
        let selection = PairSelection(
            isSource: { byMember[$0.id].map(sources.contains) ?? false },
            isDestination: { byMember[$0.id].map(destinations.contains) ?? false })
        let views = RoleViews(
            builder.build(ends, scope: scope, selection: selection, decidingByRoute: false), roles: roles,
            only: Set(keys))
        return Dictionary(uniqueKeysWithValues: keys.map { ($0, views.views[$0]?.blockers ?? []) })
    }

    /// Diffs the two whole matrices of the scope.
    static func wholeDiff(base: Snapshot, candidate: Snapshot, scope: String?, ephemeralPorts: ClosedRange<Int>? = nil)
        throws -> ReachabilityDiff
    {
        let indexes = [base, candidate].concurrentMap { NetworkIndex($0) }
        return try withDNSChanges(
            wholeMatrixDiff(base: indexes[0], candidate: indexes[1], scope: scope, ephemeralPorts: ephemeralPorts),
            base: indexes[0],
            candidate: indexes[1], scope: scope)
    }

    /// The flows, layers, routes, members and components of the two whole matrices.
    static func wholeMatrixDiff(
        base baseIndex: NetworkIndex, candidate candidateIndex: NetworkIndex, scope: String?,
        ephemeralPorts: ClosedRange<Int>?
    ) throws -> ReachabilityDiff {
        let (base, candidate) = (baseIndex.snapshot, candidateIndex.snapshot)
        let builders = (
            MatrixBuilder(index: baseIndex, ephemeralPorts: ephemeralPorts),
            MatrixBuilder(index: candidateIndex, ephemeralPorts: ephemeralPorts)
        )
        let before = try? builders.0.build(scope: scope)
        let after = try? builders.1.build(scope: scope)
        guard before != nil || after != nil else {
            _ = try builders.1.build(scope: scope)
            throw VPCReachError.selector("scope '\(scope ?? "")' matches nothing in either snapshot")
        }
        return diff(
            base: before ?? emptyMatrix(of: base, scope: scope),
            candidate: after ?? emptyMatrix(of: candidate, scope: scope),
            components: ComponentChanges.between(base, candidate),
            allLayers: { keys, roles in
                let sides = [builders.0, builders.1].concurrentMap { builder in
                    (try? builder.endpoints(scope: scope)).map {
                        everyLayer(of: keys, roles: roles, builder: builder, ends: $0, scope: scope)
                    } ?? [:]
                }
                return (sides[0], sides[1])
            })
    }

    /// A matrix of no pair.
    private static func emptyMatrix(of snapshot: Snapshot, scope: String?) -> ReachabilityMatrix {
        ReachabilityMatrix(
            snapshot: snapshot.root, scope: scope, ephemeralPorts: "per source", members: [], groups: [], cells: [])
    }
}
