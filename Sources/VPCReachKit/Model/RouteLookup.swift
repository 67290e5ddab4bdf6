import PacketSets

/// A route chosen for some destination addresses; `route` is nil where nothing matches.
public struct RouteChoice: Sendable {
    public var route: Route?
    public var addresses: IntervalSet
}

extension RouteTable {
    /// Longest prefix match of `destinations` over the table (semantics §9-§11).
    ///
    /// Ties on equal prefixes: a static CIDR route beats a prefix-list route, which beats a
    /// propagated one; then the route listed first (a tie AWS breaks at random: the order keeps the
    /// answer deterministic). Returns the choices and the addresses a prefix list with unknown
    /// entries might capture.
    ///
    /// - Parameter prefixLists: a prefix list's blocks, or `nil` when the snapshot lacks its entries.
    public func lookup(_ destinations: IntervalSet, prefixLists: (String) -> [CIDRBlock]?) -> (
        choices: [RouteChoice], undecided: IntervalSet
    ) {
        var candidates: [(block: CIDRBlock, rank: Int, order: Int, route: Route)] = []
        var unknownLists = false
        for (order, route) in routes.enumerated() {
            let rank = route.isPropagated ? 2 : 0
            switch route.destination {
            case .cidr(let block): candidates.append((block, rank, order, route))
            case .prefixList(let id):
                guard let blocks = prefixLists(id) else {
                    unknownLists = true
                    continue
                }
                candidates += blocks.map { ($0, max(rank, 1), order, route) }
            case .ipv6: continue
            }
        }
        candidates.sort { ($0.block.prefixLength, -$0.rank, -$0.order) > ($1.block.prefixLength, -$1.rank, -$1.order) }
        var remaining = destinations
        var choices: [RouteChoice] = []
        for candidate in candidates where !remaining.isEmpty {
            let matched = remaining.intersection(IntervalSet(candidate.block.range))
            guard !matched.isEmpty else { continue }
            choices.append(RouteChoice(route: candidate.route, addresses: matched))
            remaining = remaining.subtracting(matched)
        }
        if !remaining.isEmpty { choices.append(RouteChoice(route: nil, addresses: remaining)) }
        var undecided = IntervalSet()
        if unknownLists {
            for choice in choices where choice.route?.target != .local { undecided.formUnion(choice.addresses) }
        }
        return (choices, undecided)
    }

    /// Whether every address of `destinations` is sent by an `active` route to `target` (and no
    /// prefix list with unknown entries might capture any).
    public func sendsAll(_ destinations: IntervalSet, to target: RouteTarget, prefixLists: (String) -> [CIDRBlock]?)
        -> Bool
    {
        let (choices, undecided) = lookup(destinations, prefixLists: prefixLists)
        return undecided.isEmpty
            && choices.allSatisfy { $0.route.map { $0.state == .active && $0.target == target } ?? false }
    }
}
