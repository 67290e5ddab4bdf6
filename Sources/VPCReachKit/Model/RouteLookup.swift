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
        let (picked, unknownLists) = LongestPrefix.choose(
            routes, destinations: destinations, prefixLists: prefixLists, destination: \.destination,
            rank: { route in
                if case .prefixList = route.destination { return max(route.isPropagated ? 2 : 0, 1) }
                return route.isPropagated ? 2 : 0
            })
        let choices = picked.map { RouteChoice(route: $0.route, addresses: $0.addresses) }
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

/// Longest prefix match, the one rule VPC route tables and transit gateway route tables share
/// (semantics §9, §41): the most specific block wins; on equal blocks the lower `rank`, then the
/// route listed first (a tie AWS breaks at random: the order keeps the answer deterministic).
enum LongestPrefix {
    /// The route chosen for each part of `destinations` (`nil` where none matches), and whether a
    /// prefix list with unknown entries (`prefixLists` gives `nil`) could have captured some.
    static func choose<R>(
        _ routes: [R], destinations: IntervalSet, prefixLists: (String) -> [CIDRBlock]?,
        destination: (R) -> RouteDestination, rank: (R) -> Int
    ) -> (choices: [(route: R?, addresses: IntervalSet)], unknownLists: Bool) {
        var candidates: [(block: CIDRBlock, rank: Int, order: Int, route: R)] = []
        var unknownLists = false
        for (order, route) in routes.enumerated() {
            switch destination(route) {
            case .cidr(let block): candidates.append((block, rank(route), order, route))
            case .prefixList(let id):
                guard let blocks = prefixLists(id) else {
                    unknownLists = true
                    continue
                }
                candidates += blocks.map { ($0, rank(route), order, route) }
            case .ipv6: continue
            }
        }
        candidates.sort { ($0.block.prefixLength, -$0.rank, -$0.order) > ($1.block.prefixLength, -$1.rank, -$1.order) }
        var remaining = destinations
        var choices: [(route: R?, addresses: IntervalSet)] = []
        for candidate in candidates where !remaining.isEmpty {
            let matched = remaining.intersection(IntervalSet(candidate.block.range))
            guard !matched.isEmpty else { continue }
            choices.append((candidate.route, matched))
            remaining = remaining.subtracting(matched)
        }
        if !remaining.isEmpty { choices.append((nil, remaining)) }
        return (choices, unknownLists)
    }
}
