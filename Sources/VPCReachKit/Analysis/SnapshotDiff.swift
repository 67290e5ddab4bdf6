/// Diffs of two snapshots, computing only the pairs a change may touch.
extension DiffEngine {
    /// Diffs two snapshots over the same scope.
    ///
    /// Pairs between VPCs that both snapshots describe alike (``VPCContext``) answer alike, so only
    /// pairs with an end in a changed VPC are evaluated in each snapshot; the pairs between
    /// unchanged VPCs that the diff still needs (those of the role pairs a change touches, since a
    /// role pair is compared over all its pairs) are evaluated once. The result is the one
    /// comparing the two whole matrices gives.
    ///
    /// A scope that matches nothing in one of them (a service not deployed yet) gives that side an
    /// empty matrix; matching nothing in both is an error.
    public static func diff(base: Snapshot, candidate: Snapshot, scope: String?) throws -> ReachabilityDiff {
        let baseBuilder = MatrixBuilder(snapshot: base)
        let candidateBuilder = MatrixBuilder(snapshot: candidate)
        guard let (baseEnds, baseScope) = try? baseBuilder.endpoints(scope: scope),
            let (candidateEnds, candidateScope) = try? candidateBuilder.endpoints(scope: scope),
            let changed = VPCContext.changed(
                base, baseBuilder.index, scoped: scope == nil ? [] : baseScope,
                candidate, candidateBuilder.index, scoped: scope == nil ? [] : candidateScope)
        else {
            return try wholeDiff(base: base, candidate: candidate, scope: scope)
        }
        let touching = PairSelection(vpcs: { changed.contains($0) || changed.contains($1) })
        let before = try baseBuilder.build(scope: scope, selection: touching)
        let after = try candidateBuilder.build(scope: scope, selection: touching)
        // Every interface is in some pair of a whole matrix, unless there is only one.
        let baseMembers = baseEnds.count < 2 ? [] : baseEnds.map { baseBuilder.member($0, inScope: baseScope.contains($0.id)) }
        let candidateMembers = candidateEnds.count < 2 ? [] : candidateEnds.map { candidateBuilder.member($0, inScope: candidateScope.contains($0.id)) }
        let roles = Dictionary((baseMembers + candidateMembers).map { ($0.id, $0.role) }, uniquingKeysWith: { _, candidateRole in candidateRole })
        var sourceRoles = Set<String>()
        var destinationRoles = Set<String>()
        for matrix in [before, after] {
            for cell in matrix.cells {
                for group in cell.sources { sourceRoles.formUnion(matrix.groups[group].compactMap { roles[$0] }) }
                for group in cell.destinations { destinationRoles.formUnion(matrix.groups[group].compactMap { roles[$0] }) }
            }
        }
        let (wantedSources, wantedDestinations) = (sourceRoles, destinationRoles)
        let unchangedPairs = PairSelection(
            isSource: { !changed.contains($0.vpcID ?? "") && wantedSources.contains(roles[$0.id] ?? $0.id) },
            isDestination: { !changed.contains($0.vpcID ?? "") && wantedDestinations.contains(roles[$0.id] ?? $0.id) },
            vpcs: { !changed.contains($0) && !changed.contains($1) })
        let unchanged = try candidateBuilder.build(scope: scope, selection: unchangedPairs)
        return diff(
            base: combined(before, unchanged, members: baseMembers), candidate: combined(after, unchanged, members: candidateMembers),
            components: ComponentChanges.between(base, candidate))
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
