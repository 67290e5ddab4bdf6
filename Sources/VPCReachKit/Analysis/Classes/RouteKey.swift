import PacketSets

/// What decides a class of sources' route toward a destination (semantics §37): its subnet's table, which of its
/// addresses have a public address (an internet gateway carries only those), and, for a table that routes to a
/// transit gateway, its subnet's Availability Zone (the gateway is reached only where its attachment has a subnet, §41).
struct RouteKey: Hashable, Sendable, Comparable {
    var tableID: String
    var pairing: PublicPairing
    var zone: String?

    static func < (lhs: RouteKey, rhs: RouteKey) -> Bool {
        (lhs.tableID, lhs.zone ?? "", lhs.pairing) < (rhs.tableID, rhs.zone ?? "", rhs.pairing)
    }

    /// The key of an interface (not a hypothetical or outside end) whose subnet's table is in the snapshot.
    init?(of endpoint: Endpoint, index: NetworkIndex) {
        guard case .interface = endpoint.kind, let subnetID = endpoint.subnetID,
            let tableID = index.routeTableID(forSubnet: subnetID)
        else {
            return nil
        }
        self.init(tableID: tableID, subnetID: subnetID, pairing: endpoint.publicPairing, index: index)
    }

    init(tableID: String, subnetID: String, pairing: PublicPairing, index: NetworkIndex) {
        self.tableID = tableID
        self.pairing = pairing
        zone =
            index.tablesRoutingToTransitGateways.contains(tableID)
            ? index.snapshot.subnets[subnetID]?.availabilityZone ?? "" : nil
    }
}
