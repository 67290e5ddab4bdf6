import PacketSets

/// What one matrix says about each pair of roles (an ECS service, a set of security groups):
/// the traffic any member pair reaches, the traffic every member pair reaches, the traffic
/// undecided, and the blocking layers, with a component that is an end of a pair named by its role.
struct RoleViews {
    struct Key: Hashable {
        var source: String
        var destination: String
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
    let role: (String) -> String
    private(set) var views: [Key: View] = [:]
    /// The members of each group by role.
    private let groupRoles: [[String: [String]]]

    init(_ matrix: ReachabilityMatrix, members: [String: ReachabilityMatrix.Member], role: @escaping (String) -> String) {
        self.matrix = matrix
        self.members = members
        self.role = role
        let groupRoles = matrix.groups.map { Dictionary(grouping: $0, by: role) }
        self.groupRoles = groupRoles
        for (number, cell) in matrix.cells.enumerated() {
            let sources = Self.byRole(cell.sources, groupRoles)
            let destinations = Self.byRole(cell.destinations, groupRoles)
            for (sourceRole, sourceMembers) in sources {
                for (destinationRole, destinationMembers) in destinations {
                    // No pair when the only member on both sides is the same interface.
                    if sourceMembers.count == 1 && destinationMembers == sourceMembers { continue }
                    let key = Key(source: sourceRole, destination: destinationRole)
                    var view = views[key] ?? View()
                    view.any = view.any.union(cell.reachable)
                    view.every = view.every.map { $0.intersection(cell.reachable) } ?? cell.reachable
                    view.unknown = view.unknown.union(cell.unknown)
                    for blocker in cell.blockers {
                        view.blockers.insert(Self.naming(blocker, source: sourceRole, destination: destinationRole))
                    }
                    view.cells.append(number)
                    views[key] = view
                }
            }
        }
    }

    private static func byRole(_ groups: [Int], _ groupRoles: [[String: [String]]]) -> [String: [String]] {
        guard groups.count > 1 else { return groupRoles[groups[0]] }
        var result: [String: [String]] = [:]
        for group in groups {
            for (role, members) in groupRoles[group] { result[role, default: []] += members }
        }
        return result
    }

    /// `blocker` with an end of the pair written as its role.
    private static func naming(_ blocker: String, source: String, destination: String) -> String {
        if blocker.hasSuffix(" source") { return blocker.dropLast("source".count) + source }
        if blocker.hasSuffix(" destination") { return blocker.dropLast("destination".count) + destination }
        return blocker
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
        forEachPair(key) { source, destination, _ in result.append("\(source) -> \(destination)") }
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
        forEachPair(key) { source, destination, _ in
            ends.insert(source)
            ends.insert(destination)
        }
        for end in ends { result.formUnion(members[end]?.securityGroups ?? []) }
        return result
    }

    private func forEachPair(_ key: Key, _ body: (String, String, ReachabilityMatrix.Cell) -> Void) {
        for number in views[key]?.cells ?? [] {
            let cell = matrix.cells[number]
            let sources = cell.sources.flatMap { groupRoles[$0][key.source] ?? [] }
            let destinations = cell.destinations.flatMap { groupRoles[$0][key.destination] ?? [] }
            for source in sources {
                for destination in destinations where destination != source { body(source, destination, cell) }
            }
        }
    }
}
