import PacketSets

/// A class of sources (see ``InterfaceClasses``) on its way to one destination.
struct SourceClass: Sendable {
    /// The members, as positions in the partitioned sources, ascending.
    var members: [Int]
    /// The first member standing for the class, with every member's addresses.
    var merged: Endpoint
    /// The route key, when the class may be decided by its route table alone: an interface
    /// outside the destination's subnet, in a part of the snapshot that is complete.
    var routeKey: RouteKey?

    /// Groups `sources` into classes (see ``InterfaceClasses``), in the order of each class's
    /// first member.
    static func partition(_ sources: [Endpoint], toward destination: Endpoint, index: NetworkIndex) -> [SourceClass] {
        var complete: [String: Bool] = [:]
        return InterfaceClasses.partition(sources).map { positions in
            let first = sources[positions[0]]
            let vpc = first.vpcID ?? ""
            if complete[vpc] == nil {
                complete[vpc] =
                    index.snapshot.incompleteness(affecting: [first.vpcID, destination.vpcID].compactMap { $0 }).isEmpty
            }
            return SourceClass(
                members: positions, of: sources, toward: destination, index: index, complete: complete[vpc] ?? false)
        }
    }

    /// The class of `sources` at `members`; `complete` tells whether the snapshot holds
    /// everything about their VPC and the destination's.
    init(members: [Int], of sources: [Endpoint], toward destination: Endpoint, index: NetworkIndex, complete: Bool) {
        self.members = members
        let merged = InterfaceClasses.merged(members, of: sources)
        self.merged = merged
        routeKey = complete && merged.subnetID != destination.subnetID ? RouteKey(of: merged, index: index) : nil
    }
}
