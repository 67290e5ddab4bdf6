import PacketSets

/// What decides a class of sources' route toward a destination (semantics §37): its subnet's table, and which of its
/// addresses have a public address (an internet gateway carries only those).
struct RouteKey: Hashable, Sendable, Comparable {
    var tableID: String
    var pairing: PublicPairing

    static func < (lhs: RouteKey, rhs: RouteKey) -> Bool {
        (lhs.tableID, lhs.pairing) < (rhs.tableID, rhs.pairing)
    }

    /// The key of an interface (not a hypothetical or outside end) whose subnet's table is in the snapshot.
    init?(of endpoint: Endpoint, index: NetworkIndex) {
        guard case .interface = endpoint.kind, let subnetID = endpoint.subnetID,
            let tableID = index.routeTableID(forSubnet: subnetID)
        else {
            return nil
        }
        self.init(tableID: tableID, pairing: endpoint.publicPairing)
    }

    init(tableID: String, pairing: PublicPairing) {
        self.tableID = tableID
        self.pairing = pairing
    }
}
