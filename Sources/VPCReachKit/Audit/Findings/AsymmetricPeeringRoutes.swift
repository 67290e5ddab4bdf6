import PacketSets

/// A subnet routes to a peer subnet over a peering, but the peer subnet's table does not route back.
struct AsymmetricPeeringRoutes: FindingCheck {
    static let rules = ["PEERING_ASYMMETRIC_ROUTES"]

    func evaluate(_ context: FindingContext) -> [Finding] {
        let (index, snapshot) = (context.index, context.snapshot)
        var findings: [Finding] = []
        for table in snapshot.routeTables.values.sorted(by: { $0.id < $1.id }) {
            for route in table.routes {
                guard case .peeringConnection(let id) = route.target, route.state == .active,
                    case .cidr(let block) = route.destination,
                    let peering = snapshot.peeringConnections[id], peering.isActive,
                    let peer = peering.peer(of: table.vpcID)
                else { continue }
                let local = context.subnets(using: table)
                let remote = snapshot.subnets.values.filter { $0.vpcID == peer.vpcID && $0.cidrBlock.overlaps(block) }
                    .sorted { $0.id < $1.id }
                for far in remote {
                    guard let back = index.routeTable(forSubnet: far.id) else { continue }
                    // The way back as the route stage takes it: longest prefix, active, via this peering.
                    let missing = local.filter { near in
                        !back.sendsAll(
                            IntervalSet(near.cidrBlock.range), to: .peeringConnection(id),
                            prefixLists: index.prefixListBlocks)
                    }
                    guard !missing.isEmpty else { continue }
                    findings.append(
                        Finding(
                            rule: "PEERING_ASYMMETRIC_ROUTES", severity: .high,
                            title:
                                "\(index.label(table.id)) routes \(block) to \(index.label(id)), but \(index.label(back.id)) of \(index.label(far.id)) has no route back to \(missing.map { $0.cidrBlock.description }.joined(separator: ", "))",
                            evidence: [
                                "\(table.id): \(block) -> \(id)",
                                "\(back.id) used by \(far.id): no route to \(missing.map(\.id).joined(separator: ", ")) via \(id)",
                            ],
                            sources: [route.source, back.source],
                            remediation:
                                "add routes for \(missing.map { $0.cidrBlock.description }.joined(separator: ", ")) via \(id) to \(back.id), or remove the one-way route"
                        ))
                }
            }
        }
        return findings
    }
}
