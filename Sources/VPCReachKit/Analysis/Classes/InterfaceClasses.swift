import PacketSets

/// Interfaces that meet the same rules everywhere on a path: in one subnet, with the same
/// security groups, all with or all without a public address, accepting the same traffic
/// addressed to them (§38), opening connections from the same ephemeral ports (§26).
///
/// Every stage of the path treats each address on its own (security group rules and ACL entries
/// match address ranges, routes match destination addresses, group references match the groups
/// an interface carries), so evaluating a class on the union of its addresses and restricting the
/// result to one member's addresses gives that member's answer, exactly. Hypothetical and external
/// endpoints stay alone. A per-interface attribute the engine starts to honour (such as
/// `DenyAllIgwTraffic`, not modelled yet) must join the key.
enum InterfaceClasses {
    private struct Key: Hashable {
        var subnetID: String
        var groupIDs: [String]
        var pairing: PublicPairing
        var acceptance: Acceptance
        var ephemeralPorts: ClosedRange<Int>
    }

    /// The positions of `endpoints` grouped into classes, each ascending, in the order of each
    /// class's first member.
    static func partition(_ endpoints: [Endpoint]) -> [[Int]] {
        // Sized up front: growing these at 100k interfaces frees large buffers again and again,
        // each of which makes the allocator consolidate its free lists.
        var positions: [Key: Int] = [:]
        positions.reserveCapacity(endpoints.count)
        var classes: [[Int]] = []
        classes.reserveCapacity(endpoints.count)
        for (position, endpoint) in endpoints.enumerated() {
            guard case .interface = endpoint.kind, let subnetID = endpoint.subnetID else {
                classes.append([position])
                continue
            }
            let groups = endpoint.groupIDs.count < 2 ? endpoint.groupIDs : endpoint.groupIDs.sorted()
            let key = Key(
                subnetID: subnetID, groupIDs: groups, pairing: endpoint.publicPairing, acceptance: endpoint.acceptance,
                ephemeralPorts: endpoint.ephemeralPorts)
            if let existing = positions[key] {
                classes[existing].append(position)
            } else {
                positions[key] = classes.count
                classes.append([position])
            }
        }
        return classes
    }

    /// The first member of a class, standing for it with every member's addresses.
    static func merged(_ members: [Int], of endpoints: [Endpoint]) -> Endpoint {
        var merged = endpoints[members[0]]
        if members.count > 1 {
            merged.addresses = IntervalSet(members.flatMap { endpoints[$0].addresses.ranges })
        }
        return merged
    }
}
