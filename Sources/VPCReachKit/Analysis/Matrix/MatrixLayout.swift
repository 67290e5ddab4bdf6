import PacketSets

/// What planning a matrix reads of its interfaces whatever pairs it selects (``PairSelection``):
/// the classes of alike interfaces (``InterfaceClasses``) with their route keys and path ends, an
/// interface standing for each route key and each path end, and every address of each VPC. A diff
/// plans several matrices over the same interfaces from one layout.
struct MatrixLayout: Sendable {
    /// A class of alike interfaces.
    struct Class: Sendable {
        var members: [Int]
        var vpc: String
        /// The route table and kind of address, when the table may decide the class's pairs.
        var routeKey: RouteKey?
        /// Its subnet and kind of address, on which the stages between security groups depend.
        var pathEnd: MatrixPlan.PathEnd?
    }

    let classes: [Class]
    /// An interface standing for each route key, with its class's addresses.
    let senders: [RouteKey: Endpoint]
    /// For each path end, an interface standing for every interface there: with its subnet's
    /// block and every matrix interface's address in it.
    let pathEnds: [MatrixPlan.PathEnd: Endpoint]
    /// Every address of each VPC and of the matrix's interfaces in it.
    let vpcAddresses: [String: IntervalSet]
    let incompleteVPCs: Set<String>
    let incompleteEverywhere: Bool

    /// The layout of `endpoints` (the matrix's interfaces, in order).
    init(endpoints: [Endpoint], index: NetworkIndex) {
        var classes: [Class] = []
        var senders: [RouteKey: Endpoint] = [:]
        var pathEnds: [MatrixPlan.PathEnd: Endpoint] = [:]
        var subnetRanges: [String: [ClosedRange<UInt32>]] = [:]
        for positions in InterfaceClasses.partition(endpoints) {
            let first = endpoints[positions[0]]
            let routeKey = RouteKey(of: first, index: index)
            let pathEnd = first.subnetID.map { MatrixPlan.PathEnd(subnet: $0, pairing: first.publicPairing) }
            classes.append(Class(members: positions, vpc: first.vpcID ?? "", routeKey: routeKey, pathEnd: pathEnd))
            if let routeKey, senders[routeKey] == nil {
                senders[routeKey] = InterfaceClasses.merged(positions, of: endpoints)
            }
            if let pathEnd, pathEnds[pathEnd] == nil { pathEnds[pathEnd] = first }
            if let subnet = first.subnetID {
                subnetRanges[subnet, default: []] += positions.flatMap { endpoints[$0].addresses.ranges }
            }
        }
        for (end, endpoint) in pathEnds {
            var standing = endpoint
            switch end.pairing {
            case .none: standing.id = "\(end.subnet) private interfaces"
            case .all: standing.id = "\(end.subnet) public interfaces"
            case .partial(let id): standing.id = "\(end.subnet) interface \(id)"
            }
            standing.addresses = IntervalSet(
                (index.snapshot.subnets[end.subnet].map { [$0.cidrBlock.range] } ?? [])
                    + (subnetRanges[end.subnet] ?? []))
            pathEnds[end] = standing
        }
        var ranges: [String: [ClosedRange<UInt32>]] = [:]
        for endpoint in endpoints {
            ranges[endpoint.vpcID ?? "", default: []] += endpoint.addresses.ranges
        }
        self.classes = classes
        self.senders = senders
        self.pathEnds = pathEnds
        // The VPC's own blocks make few ranges (route lookups are cheaper on them); member
        // addresses are added in case one lies outside them.
        vpcAddresses = Dictionary(
            uniqueKeysWithValues: ranges.map { vpc, members in
                (vpc, IntervalSet((index.snapshot.vpcs[vpc]?.cidrBlocks.map(\.range) ?? []) + members))
            })
        let incomplete = index.snapshot.incompleteness
        incompleteVPCs = Set(incomplete.compactMap(\.vpcID))
        incompleteEverywhere = incomplete.contains { $0.vpcID == nil }
    }
}
