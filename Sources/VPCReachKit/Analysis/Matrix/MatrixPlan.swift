import PacketSets

/// How the pairs of a matrix split into pairs a route table decides and pairs of classes to
/// evaluate, without visiting pairs one by one.
///
/// The source side is made of units: the classes (``InterfaceClasses``) sharing a route table,
/// a kind of address and a scope, or a class alone when no table can decide it. The destination
/// side is made of the classes of each VPC, in scope or not. A unit and another VPC's classes are
/// decided together when the unit's table drops everything toward that VPC.
struct MatrixPlan {
    /// A class of alike interfaces, all in the scope or all outside it, all or none wanted as
    /// sources, all or none wanted as destinations.
    struct Class {
        var members: [Int]
        var inScope: Bool
        var asSource: Bool
        var asDestination: Bool
        var vpc: String
        /// The route table and kind of address, when the table may decide the class's pairs.
        var routeKey: RouteKey?
        /// Its subnet and kind of address, on which the stages between security groups depend.
        var pathEnd: PathEnd?
    }

    /// Whether an interface is in the scope, wanted as a source, wanted as a destination.
    private struct Selected: Hashable {
        var inScope: Bool
        var asSource: Bool
        var asDestination: Bool
    }

    /// A subnet, and whether the interfaces in question have public addresses.
    struct PathEnd: Hashable, Sendable, Comparable {
        var subnet: String
        var pairing: PublicPairing

        static func < (lhs: PathEnd, rhs: PathEnd) -> Bool {
            (lhs.subnet, lhs.pairing) < (rhs.subnet, rhs.pairing)
        }
    }

    /// A path between two different subnets.
    struct PathKey: Hashable, Sendable, Comparable {
        var source: PathEnd
        var destination: PathEnd

        static func < (lhs: PathKey, rhs: PathKey) -> Bool {
            (lhs.source, lhs.destination) < (rhs.source, rhs.destination)
        }
    }

    /// A VPC, and whether the interfaces in question are in the scope.
    struct Place: Hashable {
        var vpc: String
        var inScope: Bool
    }

    /// What makes classes one source unit: their route key and scope, or the class alone.
    private enum UnitKey: Hashable {
        case route(RouteKey, inScope: Bool)
        case alone(classNumber: Int)
    }

    /// Classes with the same route key and scope, or one class without a key.
    struct SourceUnit {
        var routeKey: RouteKey?
        var vpc: String
        var inScope: Bool
        var classes: [Int] = []
        var members: [Int] = []

        var place: Place { Place(vpc: vpc, inScope: inScope) }
    }

    /// The classes of one VPC with the same scope.
    struct VPCGroup {
        var vpc: String
        var inScope: Bool
        var classes: [Int] = []
        var members: [Int] = []
    }

    /// A route table (with a kind of address) toward the interfaces of a VPC.
    struct DecisionKey: Hashable, Sendable, Comparable {
        var route: RouteKey
        var vpc: String

        static func < (lhs: DecisionKey, rhs: DecisionKey) -> Bool {
            (lhs.route, lhs.vpc) < (rhs.route, rhs.vpc)
        }
    }

    let classes: [Class]
    let units: [SourceUnit]
    let vpcGroups: [VPCGroup]
    /// What the plan reads of its interfaces, whatever the selection.
    let layout: MatrixLayout
    /// The VPC groups (positions) the units of each VPC and scope pair with.
    private let counterpartsOfUnits: [Place: [Int]]

    var senders: [RouteKey: Endpoint] { layout.senders }
    var pathEnds: [PathEnd: Endpoint] { layout.pathEnds }
    var vpcAddresses: [String: IntervalSet] { layout.vpcAddresses }

    /// The plan of the pairs of `endpoints` (laid out in `layout`) with one end in the scope that
    /// `selection` wants.
    init(endpoints: [Endpoint], inScope: [Bool], layout: MatrixLayout, selection: PairSelection) {
        self.layout = layout
        var classes: [Class] = []
        for alike in layout.classes {
            let parts = Dictionary(grouping: alike.members) {
                Selected(
                    inScope: inScope[$0], asSource: selection.isSource(endpoints[$0]),
                    asDestination: selection.isDestination(endpoints[$0]))
            }
            for (selected, part) in parts where selected.asSource || selected.asDestination {
                classes.append(
                    Class(
                        members: part, inScope: selected.inScope, asSource: selected.asSource,
                        asDestination: selected.asDestination, vpc: alike.vpc,
                        routeKey: alike.routeKey, pathEnd: alike.pathEnd))
            }
        }
        classes.sort { $0.members[0] < $1.members[0] }
        var units: [SourceUnit] = []
        var unitOf: [UnitKey: Int] = [:]
        var vpcGroups: [VPCGroup] = []
        var vpcGroupOf: [Place: Int] = [:]
        for (number, item) in classes.enumerated() {
            if item.asSource {
                let unitKey =
                    item.routeKey.map { UnitKey.route($0, inScope: item.inScope) } ?? .alone(classNumber: number)
                let unit = unitOf[unitKey] ?? units.count
                if unit == units.count {
                    unitOf[unitKey] = unit
                    units.append(SourceUnit(routeKey: item.routeKey, vpc: item.vpc, inScope: item.inScope))
                }
                units[unit].classes.append(number)
                units[unit].members += item.members
            }
            if item.asDestination {
                let place = Place(vpc: item.vpc, inScope: item.inScope)
                let group = vpcGroupOf[place] ?? vpcGroups.count
                if group == vpcGroups.count {
                    vpcGroupOf[place] = group
                    vpcGroups.append(VPCGroup(vpc: item.vpc, inScope: item.inScope))
                }
                vpcGroups[group].classes.append(number)
                vpcGroups[group].members += item.members
            }
        }
        // Once per VPC and scope: a whole estate has thousands of units and of VPC groups.
        var counterparts: [Place: [Int]] = [:]
        let groupsOfVPC = Dictionary(grouping: vpcGroups.indices) { vpcGroups[$0].vpc }
        for unit in units where counterparts[unit.place] == nil {
            // Only the changed VPCs' groups, not every group, for a unit outside them.
            let candidates: [Int] =
                switch selection.vpcs {
                case .touching(let vpcs) where !vpcs.contains(unit.vpc): vpcs.flatMap { groupsOfVPC[$0] ?? [] }.sorted()
                default: Array(vpcGroups.indices)
                }
            counterparts[unit.place] = candidates.filter {
                (unit.inScope || vpcGroups[$0].inScope) && selection.vpcs.contains(unit.vpc, vpcGroups[$0].vpc)
            }
        }
        counterpartsOfUnits = counterparts
        self.classes = classes
        self.units = units
        self.vpcGroups = vpcGroups
    }

    /// The path between two classes in different subnets.
    func pathKey(_ a: Int, _ b: Int) -> PathKey? {
        guard let source = classes[a].pathEnd, let destination = classes[b].pathEnd, source.subnet != destination.subnet
        else { return nil }
        return PathKey(source: source, destination: destination)
    }

    /// The VPC groups (positions) a unit pairs with: every one for a unit in scope, the ones in
    /// scope otherwise, and of those the ones the selection wants.
    private func counterparts(of unit: SourceUnit) -> [Int] {
        counterpartsOfUnits[unit.place] ?? []
    }

    /// The decision a unit's pairs with a VPC group wait for, if a route table may decide them:
    /// across VPCs, and where the snapshot is complete for both (an incomplete part is unknown).
    private func decisionKey(_ unit: SourceUnit, _ group: VPCGroup) -> DecisionKey? {
        guard let route = unit.routeKey, unit.vpc != group.vpc, !layout.incompleteEverywhere,
            !layout.incompleteVPCs.contains(unit.vpc), !layout.incompleteVPCs.contains(group.vpc)
        else { return nil }
        return DecisionKey(route: route, vpc: group.vpc)
    }

    /// Every route decision the matrix needs, in a fixed order.
    func neededDecisions() -> [DecisionKey] {
        var keys = Set<DecisionKey>()
        for unit in units {
            for group in counterparts(of: unit) {
                if let key = decisionKey(unit, vpcGroups[group]) { keys.insert(key) }
            }
        }
        return keys.sorted()
    }

    /// The pairs decided by a route table (from a unit's members to a VPC group's, with the
    /// table's blockers), and the pairs of classes left to evaluate.
    func split(decisions: [DecisionKey: [BlockerKey]]) -> (
        decided: [(sources: [Int], destinations: [Int], blockers: [BlockerKey])], classPairs: [(Int, Int)]
    ) {
        var decided: [(sources: [Int], destinations: [Int], blockers: [BlockerKey])] = []
        var classPairs: [(Int, Int)] = []
        for unit in units {
            for position in counterparts(of: unit) {
                let group = vpcGroups[position]
                if let key = decisionKey(unit, group), let blockers = decisions[key] {
                    decided.append((unit.members, group.members, blockers))
                    continue
                }
                for a in unit.classes {
                    for b in group.classes where a != b || classes[a].members.count > 1 {
                        classPairs.append((a, b))
                    }
                }
            }
        }
        return (decided, classPairs)
    }
}

/// Which pairs of a matrix to compute besides "one end in the scope": a diff recomputes only
/// the pairs its changes may touch.
struct PairSelection: Sendable {
    /// Whether an interface is wanted as a source.
    var isSource: @Sendable (Endpoint) -> Bool = { _ in true }
    /// Whether an interface is wanted as a destination.
    var isDestination: @Sendable (Endpoint) -> Bool = { _ in true }
    /// The pairs of VPCs wanted.
    var vpcs = VPCPairs.all

    /// Which pairs of VPCs (from a source's to a destination's) are wanted.
    enum VPCPairs: Sendable {
        case all
        /// Those with at least one end in these VPCs.
        case touching(Set<String>)
        /// Those with neither end in these VPCs.
        case avoiding(Set<String>)

        func contains(_ source: String, _ destination: String) -> Bool {
            switch self {
            case .all: true
            case .touching(let vpcs): vpcs.contains(source) || vpcs.contains(destination)
            case .avoiding(let vpcs): !vpcs.contains(source) && !vpcs.contains(destination)
            }
        }
    }
}

/// Gathers cells over interface positions into numbered groups and merged cells.
struct MatrixAssembly {
    private struct CellKey: Hashable {
        var sources: Int
        var reachable: TrafficMap
        var unknown: TrafficMap
        var blockers: [BlockerKey]
        var decidedByRoute: Bool
    }

    private var groupNumbers: [[Int]: Int] = [:]
    private var groups: [[Int]] = []
    private var cellNumbers: [CellKey: Int] = [:]
    private var cells: [ReachabilityMatrix.Cell] = []

    /// Adds the pairs from `sources` to `destinations` (positions); cells with the same sources
    /// and the same answer become one.
    mutating func add(
        sources: [Int], destinations: [Int], reachable: TrafficMap, unknown: TrafficMap, blockers: [BlockerKey],
        decidedByRoute: Bool
    ) {
        let key = CellKey(
            sources: group(sources), reachable: reachable, unknown: unknown, blockers: blockers,
            decidedByRoute: decidedByRoute)
        let destination = group(destinations)
        if let number = cellNumbers[key] {
            cells[number].destinations.append(destination)
            return
        }
        cellNumbers[key] = cells.count
        cells.append(
            ReachabilityMatrix.Cell(
                sources: [key.sources], destinations: [destination], reachable: reachable, unknown: unknown,
                blockers: blockers, decidedByRoute: decidedByRoute))
    }

    private mutating func group(_ members: [Int]) -> Int {
        if let number = groupNumbers[members] { return number }
        groupNumbers[members] = groups.count
        groups.append(members)
        return groups.count - 1
    }

    /// The groups ordered by their members, and the cells over them, ordered by their groups.
    func finished() -> (groups: [[Int]], cells: [ReachabilityMatrix.Cell]) {
        let order = groups.indices.sorted { groups[$0].lexicographicallyPrecedes(groups[$1]) }
        var rank = [Int](repeating: 0, count: groups.count)
        for (newNumber, oldNumber) in order.enumerated() { rank[oldNumber] = newNumber }
        let renumbered = cells.map { cell in
            var copy = cell
            copy.sources = cell.sources.map { rank[$0] }.sorted()
            copy.destinations = cell.destinations.map { rank[$0] }.sorted()
            return copy
        }
        return (
            order.map { groups[$0] },
            renumbered.sorted {
                ($0.sources.lexicographicallyPrecedes($1.sources))
                    || ($0.sources == $1.sources && $0.destinations.lexicographicallyPrecedes($1.destinations))
            }
        )
    }
}
