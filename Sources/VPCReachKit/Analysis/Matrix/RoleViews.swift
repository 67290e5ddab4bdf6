import PacketSets

/// Roles numbered in the order of their names, shared by the two matrices a diff compares, so
/// that role pairs are pairs of integers (a whole estate has millions of them).
struct RoleNumbers {
    /// The role names, sorted.
    let names: [String]
    /// Each interface's role number.
    let byMember: [String: Int]

    /// Numbers the roles of `members`, named by `role`.
    init(members: some Sequence<String>, role: (String) -> String) {
        var roleOf: [String: String] = [:]
        for member in members where roleOf[member] == nil { roleOf[member] = role(member) }
        self.init(roleOf: roleOf)
    }

    /// Numbers the roles of interfaces given by id.
    init(roleOf: [String: String]) {
        names = Set(roleOf.values).sorted()
        let numbers = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })
        byMember = roleOf.mapValues { numbers[$0] ?? 0 }
    }
}

/// What one matrix (or one matrix split in parts) says about each pair of roles (an ECS service,
/// a set of security groups): the traffic any member pair reaches, the traffic every member pair
/// reaches, the traffic undecided, and the blocking layers, with a component that is an end of a
/// pair named by its role.
struct RoleViews: Sendable {
    /// A pair of role numbers.
    struct Key: Hashable, Comparable, Sendable {
        var source: Int
        var destination: Int

        static func < (lhs: Key, rhs: Key) -> Bool {
            (lhs.source, lhs.destination) < (rhs.source, rhs.destination)
        }
    }

    /// A cell of one of the parts viewed.
    struct CellReference: Sendable {
        var part: Int
        var cell: Int
    }

    struct View: Sendable {
        var any = TrafficMap.empty
        var every: TrafficMap?
        var unknown = TrafficMap.empty
        var blockers = Set<BlockerKey>()
        /// Whether a cell's route table decided it alone (listing only its own blockers): the
        /// other layers of those pairs were not evaluated.
        var routeDecided = false
        /// The cells holding pairs of these roles.
        var cells: [CellReference] = []

        /// Whether the two hold the same traffic and blockers.
        func sameAnswers(as other: View) -> Bool {
            any == other.any && every == other.every && unknown == other.unknown && blockers == other.blockers
        }

        /// Adds the pairs of `other` (whose cells are in parts numbered from `offset`).
        mutating func absorb(_ other: View, partOffset offset: Int) {
            any = any.union(other.any)
            every = every.map { mine in other.every.map { mine.intersection($0) } ?? mine } ?? other.every
            unknown = unknown.union(other.unknown)
            blockers.formUnion(other.blockers)
            routeDecided = routeDecided || other.routeDecided
            cells += other.cells.map { CellReference(part: $0.part + offset, cell: $0.cell) }
        }
    }

    /// The members of one role in a group or a cell's groups: its only member, or several.
    enum Members: Equatable, Sendable {
        case one(String)
        case several
    }

    /// A matrix viewed, with the members of each role in the groups its views' cells hold.
    struct Part: Sendable {
        var matrix: ReachabilityMatrix
        var groupMembers: [Int: [Int: [String]]]
    }

    let roles: RoleNumbers
    private(set) var parts: [Part] = []
    private(set) var views: [Key: View] = [:]

    /// The views of `matrix`, whose interfaces `roles` numbers. With `wanted`, only those role
    /// pairs are viewed.
    init(_ matrix: ReachabilityMatrix, roles: RoleNumbers, only wanted: Set<Key>? = nil) {
        self.roles = roles
        let membership = Self.membership(of: matrix, roles)
        // Groups with a role of a wanted pair, on each side: a cell without one on both sides holds none.
        let wantedSources = wanted.map { Set($0.map(\.source)) }
        let wantedDestinations = wanted.map { Set($0.map(\.destination)) }
        let sourceGroups = membership.map { roles in
            wantedSources.map { wanted in roles.keys.contains(where: wanted.contains) } ?? true
        }
        let destinationGroups = membership.map { roles in
            wantedDestinations.map { wanted in roles.keys.contains(where: wanted.contains) } ?? true
        }
        for (number, cell) in matrix.cells.enumerated() {
            guard cell.sources.contains(where: { sourceGroups[$0] }),
                cell.destinations.contains(where: { destinationGroups[$0] })
            else { continue }
            // Blockers naming no end read the same for every role pair.
            let fixed = cell.blockers.filter { !$0.namesAnEnd }
            let endBlockers = cell.blockers.filter(\.namesAnEnd)
            Self.forEachRolePair(of: cell, membership) { key in
                if let wanted, !wanted.contains(key) { return }
                let named = endBlockers.map {
                    $0.naming(source: roles.names[key.source], destination: roles.names[key.destination])
                }
                Self.absorb(cell, number: number, blockers: fixed + named, into: &views[key, default: View()])
            }
        }
        let groups = Set(
            views.values.flatMap {
                $0.cells.flatMap { matrix.cells[$0.cell].sources + matrix.cells[$0.cell].destinations }
            })
        parts = [
            Part(
                matrix: matrix,
                groupMembers: Dictionary(
                    uniqueKeysWithValues: groups.map { group in
                        (group, Dictionary(grouping: matrix.groups[group]) { roles.byMember[$0] ?? 0 })
                    }))
        ]
    }

    /// The members of each role in each group of `matrix`, by role number.
    static func membership(of matrix: ReachabilityMatrix, _ roles: RoleNumbers) -> [[Int: Members]] {
        matrix.groups.map { group in
            var result: [Int: Members] = [:]
            for member in group {
                let role = roles.byMember[member] ?? 0
                result[role] = result[role] == nil ? .one(member) : .several
            }
            return result
        }
    }

    /// Calls `body` with each role pair `cell` holds a pair of.
    static func forEachRolePair(of cell: ReachabilityMatrix.Cell, _ membership: [[Int: Members]], _ body: (Key) -> Void)
    {
        let sources = byRole(cell.sources, membership)
        let destinations = byRole(cell.destinations, membership)
        for (sourceRole, sourceMembers) in sources {
            for (destinationRole, destinationMembers) in destinations {
                // No pair when the only member on both sides is the same interface.
                if case .one = sourceMembers, destinationMembers == sourceMembers { continue }
                body(Key(source: sourceRole, destination: destinationRole))
            }
        }
    }

    /// The members of each role in the groups of a cell's side (the groups of a cell's side
    /// hold different interfaces).
    private static func byRole(_ groups: [Int], _ membership: [[Int: Members]]) -> [Int: Members] {
        guard groups.count > 1 else { return membership[groups[0]] }
        var result: [Int: Members] = [:]
        for group in groups {
            for (role, members) in membership[group] { result[role] = result[role] == nil ? members : .several }
        }
        return result
    }

    /// Adds one cell's pairs to a view, in place.
    private static func absorb(
        _ cell: ReachabilityMatrix.Cell, number: Int, blockers: [BlockerKey], into view: inout View
    ) {
        if !cell.reachable.isEmpty { view.any = view.any.union(cell.reachable) }
        view.every = view.every.map { $0.intersection(cell.reachable) } ?? cell.reachable
        if !cell.unknown.isEmpty { view.unknown = view.unknown.union(cell.unknown) }
        view.blockers.formUnion(blockers)
        if cell.decidedByRoute { view.routeDecided = true }
        view.cells.append(CellReference(part: 0, cell: number))
    }

    /// The views of `keys` over the parts of both: what the matrix holding the cells of both
    /// (numbered alike) says of these role pairs.
    func combined(with other: RoleViews, for keys: [Key]) -> RoleViews {
        var result = self
        result.parts += other.parts
        result.views = [:]
        for key in keys {
            var view = views[key] ?? View()
            if let theirs = other.views[key] { view.absorb(theirs, partOffset: parts.count) }
            if views[key] != nil || other.views[key] != nil { result.views[key] = view }
        }
        return result
    }

    /// The role pairs whose traffic or blockers differ between the two (or that only one has),
    /// sorted, compared on every core.
    func differingKeys(from other: RoleViews) -> [Key] {
        let mine = Array(views.keys)
        let onlyTheirs = other.views.keys.filter { views[$0] == nil }
        let differs = mine.concurrentMap { key in
            guard let view = views[key], let theirs = other.views[key] else { return true }
            return !view.sameAnswers(as: theirs)
        }
        return (zip(mine, differs).compactMap { $1 ? $0 : nil } + onlyTheirs).sorted()
    }

    /// Every pair of interfaces with these roles, as `source -> destination`.
    func pairs(_ key: Key) -> [String] {
        var result: [String] = []
        forEachPair(key) { source, destination in result.append("\(source) -> \(destination)") }
        return result
    }

    /// The components a change could have touched for these roles: the blocking components and
    /// the security groups (`securityGroups` of an interface id) of every interface of a pair.
    func touched(_ key: Key, securityGroups: (String) -> [String]) -> Set<String> {
        var result = Set<String>()
        for reference in views[key]?.cells ?? [] {
            for blocker in parts[reference.part].matrix.cells[reference.cell].blockers {
                if let id = blocker.componentID { result.insert(id) }
            }
        }
        var ends = Set<String>()
        forEachCell(key) { sources, destinations in
            // An interface is an end of some pair unless its only counterpart is itself.
            for source in sources where destinations.contains(where: { $0 != source }) { ends.insert(source) }
            for destination in destinations where sources.contains(where: { $0 != destination }) {
                ends.insert(destination)
            }
        }
        for end in ends { result.formUnion(securityGroups(end)) }
        return result
    }

    private func forEachPair(_ key: Key, _ body: (String, String) -> Void) {
        forEachCell(key) { sources, destinations in
            for source in sources {
                for destination in destinations where destination != source { body(source, destination) }
            }
        }
    }

    /// The sources and destinations with these roles of each cell holding pairs of them.
    private func forEachCell(_ key: Key, _ body: ([String], [String]) -> Void) {
        for reference in views[key]?.cells ?? [] {
            let part = parts[reference.part]
            let cell = part.matrix.cells[reference.cell]
            body(
                cell.sources.flatMap { part.groupMembers[$0]?[key.source] ?? [] },
                cell.destinations.flatMap { part.groupMembers[$0]?[key.destination] ?? [] })
        }
    }
}
