import PacketSets

/// Sources that meet the same rules everywhere on the way to a destination: interfaces in one
/// subnet with the same security groups, all with or all without a public address.
///
/// Every stage of the path treats each address on its own (security group rules and ACL entries
/// match address ranges, routes match the destination address, group references match the
/// groups a source carries), so evaluating the class on the union of its addresses and
/// restricting to one member's addresses gives that member's answer. Hypothetical and external
/// sources stay alone.
struct SourceClass: Sendable {
    /// What decides a class's route toward the destination: its subnet's table, and whether it
    /// has a public address (an internet gateway carries only those).
    struct RouteKey: Hashable, Sendable {
        var tableID: String
        var hasPublicAddress: Bool
    }

    /// The members, as positions in the partitioned sources, ascending.
    var members: [Int]
    /// The first member standing for the class, with every member's addresses.
    var merged: Endpoint
    /// The route key, when the class may be decided by its route table alone: an interface
    /// outside the destination's subnet, in a part of the snapshot that is complete.
    var routeKey: RouteKey?

    private struct Key: Hashable {
        var subnetID: String
        var groupIDs: [String]
        var hasPublicAddress: Bool
    }

    /// Groups `sources` into classes, in the order of each class's first member.
    static func partition(_ sources: [Endpoint], toward destination: Endpoint, index: NetworkIndex) -> [SourceClass] {
        var order: [Key?] = []
        var positions: [Key: Int] = [:]
        var members: [[Int]] = []
        for (position, source) in sources.enumerated() {
            guard case .interface = source.kind, let subnetID = source.subnetID else {
                order.append(nil)
                members.append([position])
                continue
            }
            let groups = source.groupIDs.count < 2 ? source.groupIDs : source.groupIDs.sorted()
            let key = Key(subnetID: subnetID, groupIDs: groups, hasPublicAddress: source.hasPublicAddress)
            if let existing = positions[key] {
                members[existing].append(position)
            } else {
                positions[key] = members.count
                order.append(key)
                members.append([position])
            }
        }
        var complete: [String: Bool] = [:]
        return members.map { positions in
            let first = sources[positions[0]]
            let vpc = first.vpcID ?? ""
            if complete[vpc] == nil {
                complete[vpc] = index.snapshot.incompleteness(affecting: [first.vpcID, destination.vpcID].compactMap { $0 }).isEmpty
            }
            return SourceClass(members: positions, of: sources, toward: destination, index: index, complete: complete[vpc] ?? false)
        }
    }

    /// The class of `sources` at `members`; `complete` tells whether the snapshot holds
    /// everything about their VPC and the destination's.
    init(members: [Int], of sources: [Endpoint], toward destination: Endpoint, index: NetworkIndex, complete: Bool) {
        self.members = members
        var merged = sources[members[0]]
        if members.count > 1 {
            merged.addresses = IntervalSet(members.flatMap { sources[$0].addresses.ranges })
        }
        self.merged = merged
        if case .interface = merged.kind, complete, let subnetID = merged.subnetID, subnetID != destination.subnetID,
            let tableID = index.routeTableID(forSubnet: subnetID)
        {
            routeKey = RouteKey(tableID: tableID, hasPublicAddress: merged.hasPublicAddress)
        } else {
            routeKey = nil
        }
    }
}
