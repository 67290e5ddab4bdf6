import PacketSets

/// Routes to a peering wider than the peer VPC's blocks.
struct WidePeeringRoutes: FindingCheck {
    static let rules = ["PEERING_WIDE_ROUTE"]

    func evaluate(_ context: FindingContext) -> [Finding] {
        let (index, snapshot) = (context.index, context.snapshot)
        return snapshot.routeTables.values.sorted { $0.id < $1.id }.flatMap { table in
            table.routes.compactMap { route -> Finding? in
                guard case .peeringConnection(let id) = route.target, case .cidr(let block) = route.destination,
                    let peering = snapshot.peeringConnections[id], let peer = peering.peer(of: table.vpcID)
                else { return nil }
                let peerBlocks = snapshot.vpcs[peer.vpcID]?.cidrBlocks ?? peer.cidrBlocks
                guard block.prefixLength == 0 || peerBlocks.contains(where: { block.contains($0) }) else { return nil }
                return Finding(
                    rule: "PEERING_WIDE_ROUTE", severity: .medium,
                    title:
                        "\(index.label(table.id)) routes \(block) to \(index.label(id)): the whole \(block.prefixLength == 0 ? "address space" : "peer VPC"), not only the subnets in use",
                    evidence: [
                        "\(table.id): \(block) -> \(id)",
                        "subnets using it: \(context.subnets(using: table).map(\.id).joined(separator: ", "))",
                    ],
                    sources: [route.source],
                    remediation:
                        "route only the peer subnets that are needed, and only in the route tables of the subnets that need them"
                )
            }
        }
    }
}
