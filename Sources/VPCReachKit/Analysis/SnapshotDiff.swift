/// Diffs of two snapshots, computing only the pairs a change may touch.
extension DiffEngine {
    /// Diffs two snapshots over the same scope.
    ///
    /// Pairs between VPCs that both snapshots describe alike (``VPCContext``) answer alike, so only
    /// pairs with an end in a changed VPC are evaluated in each snapshot; the pairs between
    /// unchanged VPCs that the diff still needs (those of the role pairs a change touches, since a
    /// role pair is compared over all its pairs) are evaluated once, and only those role pairs are
    /// compared again over all their pairs. The result is the one comparing the two whole matrices
    /// gives.
    ///
    /// A scope that matches nothing in one of them (a service not deployed yet) gives that side an
    /// empty matrix; matching nothing in both is an error.
    public static func diff(base: Snapshot, candidate: Snapshot, scope: String?) throws -> ReachabilityDiff {
        let builders = [base, candidate].concurrentMap { MatrixBuilder(snapshot: $0) }
        let (baseBuilder, candidateBuilder) = (builders[0], builders[1])
        let ends = builders.concurrentMap { try? $0.endpoints(scope: scope) }
        guard let baseEnds = ends[0], let candidateEnds = ends[1],
            let changed = VPCContext.changed(
                base, baseBuilder.index, scoped: scope == nil ? [] : baseEnds.scoped,
                candidate, candidateBuilder.index, scoped: scope == nil ? [] : candidateEnds.scoped)
        else {
            return try wholeDiff(base: base, candidate: candidate, scope: scope)
        }
        let touching = PairSelection(vpcs: { changed.contains($0) || changed.contains($1) })
        // Each build runs on every core but has sequential parts: the two overlap.
        let partials = [(baseBuilder, baseEnds), (candidateBuilder, candidateEnds)].concurrentMap { builder, ends in
            builder.build(ends, scope: scope, selection: touching)
        }
        let (before, after) = (partials[0], partials[1])
        // Roles as the diff names them: the candidate's naming first; each computed once.
        let baseRoles = roles(of: baseEnds.endpoints, in: baseBuilder.index)
        let candidateRoles = roles(of: candidateEnds.endpoints, in: candidateBuilder.index)
        func role(_ id: String) -> String {
            candidateRoles[id] ?? baseRoles[id] ?? id
        }
        // A role pair whose pairs with an end in a changed VPC say the same in both snapshots is
        // the same in both, its other pairs being alike; the others need all their pairs.
        let roles = RoleNumbers(members: [before, after].lazy.flatMap { $0.groups.joined() }, role: role)
        let views = partials.concurrentMap { RoleViews($0, members: [:], roles: roles) }
        let (partialBefore, partialAfter) = (views[0], views[1])
        var changedPairs = Set<RolePair>()
        for key in Set(partialBefore.views.keys).union(partialAfter.views.keys) where !partialBefore.sameAnswers(as: partialAfter, for: key) {
            changedPairs.insert(RolePair(source: roles.names[key.source], destination: roles.names[key.destination]))
        }
        let wantedSources = Set(changedPairs.map(\.source))
        let wantedDestinations = Set(changedPairs.map(\.destination))
        let unchangedPairs = PairSelection(
            isSource: { !changed.contains($0.vpcID ?? "") && !wantedSources.isEmpty && wantedSources.contains(candidateRoles[$0.id] ?? $0.id) },
            isDestination: {
                !changed.contains($0.vpcID ?? "") && !wantedDestinations.isEmpty && wantedDestinations.contains(candidateRoles[$0.id] ?? $0.id)
            },
            vpcs: { !changed.contains($0) && !changed.contains($1) })
        let unchanged = candidateBuilder.build(candidateEnds, scope: scope, selection: unchangedPairs)
        // The interfaces the diff reads: those in a pair it compares, those in scope (their
        // routes), and those in only one snapshot.
        var wanted = Set([before, after, unchanged].flatMap { $0.groups.joined() })
        wanted.formUnion(baseEnds.scoped.union(candidateEnds.scoped))
        wanted.formUnion(Set(baseRoles.keys).symmetricDifference(candidateRoles.keys))
        func members(_ ends: (endpoints: [Endpoint], scoped: Set<String>), _ builder: MatrixBuilder, _ roles: [String: String]) -> [ReachabilityMatrix.Member] {
            // Every interface is in some pair of a whole matrix, unless there is only one.
            guard ends.endpoints.count > 1 else { return [] }
            return builder.members(ends.endpoints.filter { wanted.contains($0.id) }, inScope: ends.scoped, roles: roles)
        }
        return diff(
            base: combined(before, unchanged, members: members(baseEnds, baseBuilder, baseRoles)),
            candidate: combined(after, unchanged, members: members(candidateEnds, candidateBuilder, candidateRoles)),
            components: ComponentChanges.between(base, candidate, within: changed), within: changedPairs)
    }

    /// The role of each endpoint by id, computed on every core.
    private static func roles(of endpoints: [Endpoint], in index: NetworkIndex) -> [String: String] {
        Dictionary(uniqueKeysWithValues: zip(endpoints.map(\.id), endpoints.concurrentMap(index.role(of:))))
    }

    /// `matrix` with the cells of `other` added and `members` as its interfaces.
    static func combined(_ matrix: ReachabilityMatrix, _ other: ReachabilityMatrix, members: [ReachabilityMatrix.Member]) -> ReachabilityMatrix {
        var result = matrix
        let offset = matrix.groups.count
        result.groups += other.groups
        result.cells += other.cells.map { cell in
            var shifted = cell
            shifted.sources = cell.sources.map { $0 + offset }
            shifted.destinations = cell.destinations.map { $0 + offset }
            return shifted
        }
        result.members = members
        return result
    }

    /// Diffs the two whole matrices of the scope.
    static func wholeDiff(base: Snapshot, candidate: Snapshot, scope: String?) throws -> ReachabilityDiff {
        let before = try? MatrixBuilder(snapshot: base).build(scope: scope)
        let after = try? MatrixBuilder(snapshot: candidate).build(scope: scope)
        guard before != nil || after != nil else {
            _ = try MatrixBuilder(snapshot: candidate).build(scope: scope)
            throw VPCReachError.selector("scope '\(scope ?? "")' matches nothing in either snapshot")
        }
        func empty(_ snapshot: Snapshot) -> ReachabilityMatrix {
            ReachabilityMatrix(snapshot: snapshot.root, scope: scope, ephemeralPorts: PortText.range(Query.defaultEphemeralPorts), members: [], groups: [], cells: [])
        }
        return diff(base: before ?? empty(base), candidate: after ?? empty(candidate), components: ComponentChanges.between(base, candidate))
    }
}
