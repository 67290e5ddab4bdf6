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
        names = Set(roleOf.values).sorted()
        let numbers = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })
        byMember = roleOf.mapValues { numbers[$0] ?? 0 }
    }

    /// The number of the role named `name`, if some member has it.
    func number(of name: String) -> Int? {
        var (low, high) = (0, names.count)
        while low < high {
            let middle = (low + high) / 2
            if names[middle] < name { low = middle + 1 } else { high = middle }
        }
        return low < names.count && names[low] == name ? low : nil
    }

    /// The numbered form of a pair of role names, if both roles are numbered.
    func key(_ pair: RolePair) -> RoleViews.Key? {
        guard let source = number(of: pair.source), let destination = number(of: pair.destination) else { return nil }
        return RoleViews.Key(source: source, destination: destination)
    }
}

/// A pair of roles by name.
struct RolePair: Hashable, Sendable {
    var source: String
    var destination: String
}

/// What one matrix says about each pair of roles (an ECS service, a set of security groups):
/// the traffic any member pair reaches, the traffic every member pair reaches, the traffic
/// undecided, and the blocking layers, with a component that is an end of a pair named by its role.
struct RoleViews {
    /// A pair of role numbers.
    struct Key: Hashable {
        var source: Int
        var destination: Int
    }

    struct View {
        var any = TrafficMap.empty
        var every: TrafficMap?
        var unknown = TrafficMap.empty
        var blockers = Set<String>()
        /// The cells holding pairs of these roles, as positions in the matrix.
        var cells: [Int] = []
    }

    let matrix: ReachabilityMatrix
    let members: [String: ReachabilityMatrix.Member]
    let roles: RoleNumbers
    private(set) var views: [Key: View] = [:]
    /// The members of each group by role number.
    private let groupRoles: [[Int: [String]]]

    /// The views of `matrix`, whose interfaces `roles` numbers; `members` describe them. With
    /// `wanted`, only those role pairs are viewed.
    init(_ matrix: ReachabilityMatrix, members: [String: ReachabilityMatrix.Member], roles: RoleNumbers, only wanted: Set<Key>? = nil) {
        self.matrix = matrix
        self.members = members
        self.roles = roles
        let groupRoles = matrix.groups.map { Dictionary(grouping: $0) { roles.byMember[$0] ?? 0 } }
        self.groupRoles = groupRoles
        for (number, cell) in matrix.cells.enumerated() {
            let sources = Self.byRole(cell.sources, groupRoles)
            let destinations = Self.byRole(cell.destinations, groupRoles)
            // Blockers naming no end read the same for every role pair.
            let fixed = cell.blockers.filter { !ReachabilityMatrix.Cell.namesAnEnd($0) }
            let endBlockers = cell.blockers.filter(ReachabilityMatrix.Cell.namesAnEnd)
            for (sourceRole, sourceMembers) in sources {
                for (destinationRole, destinationMembers) in destinations {
                    // No pair when the only member on both sides is the same interface.
                    if sourceMembers.count == 1 && destinationMembers == sourceMembers { continue }
                    let key = Key(source: sourceRole, destination: destinationRole)
                    if let wanted, !wanted.contains(key) { continue }
                    let named = endBlockers.map {
                        ReachabilityMatrix.Cell.naming($0, source: roles.names[sourceRole], destination: roles.names[destinationRole])
                    }
                    Self.absorb(cell, number: number, blockers: fixed + named, into: &views[key, default: View()])
                }
            }
        }
    }

    /// Adds one cell's pairs to a view, in place.
    private static func absorb(_ cell: ReachabilityMatrix.Cell, number: Int, blockers: [String], into view: inout View) {
        if !cell.reachable.isEmpty { view.any = view.any.union(cell.reachable) }
        view.every = view.every.map { $0.intersection(cell.reachable) } ?? cell.reachable
        if !cell.unknown.isEmpty { view.unknown = view.unknown.union(cell.unknown) }
        view.blockers.formUnion(blockers)
        view.cells.append(number)
    }

    private static func byRole(_ groups: [Int], _ groupRoles: [[Int: [String]]]) -> [Int: [String]] {
        guard groups.count > 1 else { return groupRoles[groups[0]] }
        var result: [Int: [String]] = [:]
        for group in groups {
            for (role, members) in groupRoles[group] { result[role, default: []] += members }
        }
        return result
    }

    /// Whether both views of a role pair hold the same traffic and blockers (or neither has it).
    func sameAnswers(as other: RoleViews, for key: Key) -> Bool {
        switch (views[key], other.views[key]) {
        case (nil, nil): true
        case let (mine?, theirs?):
            mine.any == theirs.any && mine.every == theirs.every && mine.unknown == theirs.unknown && mine.blockers == theirs.blockers
        default: false
        }
    }

    /// Every pair of interfaces with these roles, as `source -> destination`.
    func pairs(_ key: Key) -> [String] {
        var result: [String] = []
        forEachPair(key) { source, destination in result.append("\(source) -> \(destination)") }
        return result
    }

    /// The components a change could have touched for these roles: the blocking components and
    /// the security groups of every interface of a pair.
    func touched(_ key: Key) -> Set<String> {
        var result = Set<String>()
        for number in views[key]?.cells ?? [] {
            for blocker in matrix.cells[number].blockers {
                if let last = blocker.split(separator: " ").last, last != "source", last != "destination" { result.insert(String(last)) }
            }
        }
        var ends = Set<String>()
        forEachCell(key) { sources, destinations in
            // An interface is an end of some pair unless its only counterpart is itself.
            for source in sources where destinations.contains(where: { $0 != source }) { ends.insert(source) }
            for destination in destinations where sources.contains(where: { $0 != destination }) { ends.insert(destination) }
        }
        for end in ends { result.formUnion(members[end]?.securityGroups ?? []) }
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
        for number in views[key]?.cells ?? [] {
            let cell = matrix.cells[number]
            body(cell.sources.flatMap { groupRoles[$0][key.source] ?? [] }, cell.destinations.flatMap { groupRoles[$0][key.destination] ?? [] })
        }
    }
}
