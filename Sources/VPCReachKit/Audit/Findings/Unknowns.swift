import PacketSets

/// What the snapshot cannot decide: unreadable parts and targets that are not modelled.
struct Unknowns: FindingCheck {
    static let rules = ["SNAPSHOT_INCOMPLETE", "UNMODELLED_TARGET"]

    func evaluate(_ context: FindingContext) -> [Finding] {
        let (index, snapshot) = (context.index, context.snapshot)
        let incomplete = snapshot.incompleteness.map { item in
            Finding(
                rule: "SNAPSHOT_INCOMPLETE", severity: .high, title: item.reason,
                evidence: [item.vpcID ?? "whole snapshot"], sources: [],
                remediation: "re-export the file; answers touching this part are unknown")
        }
        let unmodelled = snapshot.routeTables.values.sorted { $0.id < $1.id }.flatMap { table in
            table.routes.filter { $0.state == .active }.compactMap { route -> Finding? in
                let missing: Bool
                switch route.target {
                case .internetGateway(let id): missing = snapshot.internetGateways[id] == nil
                case .natGateway(let id): missing = snapshot.natGateways[id] == nil
                case .peeringConnection(let id): missing = snapshot.peeringConnections[id] == nil
                case .transitGateway(let id):
                    // With the transit gateway exports, its routes are followed (§41).
                    if snapshot.transitGateways[id] != nil { return nil }
                    missing = !snapshot.transitGateways.isEmpty
                default: missing = false
                }
                if missing {
                    return Finding(
                        rule: "UNMODELLED_TARGET", severity: .info,
                        title:
                            "\(index.label(table.id)) routes \(route.destination) to \(route.target), which is not in the snapshot",
                        evidence: ["\(table.id): \(route.destination) -> \(route.target)"], sources: [route.source],
                        remediation:
                            "answers through this route are unknown; export the resource (or the account that owns it)")
                }
                switch route.target {
                case .transitGateway, .virtualPrivateGateway, .vpcEndpoint, .networkInterface, .instance,
                    .egressOnlyInternetGateway, .other:
                    return Finding(
                        rule: "UNMODELLED_TARGET", severity: .info,
                        title:
                            "\(index.label(table.id)) routes \(route.destination) to \(route.target); what lies beyond is outside the snapshot",
                        evidence: ["\(table.id): \(route.destination) -> \(route.target)"], sources: [route.source],
                        remediation:
                            "answers through this route are unknown: the snapshot does not cover what lies beyond \(route.target)"
                    )
                default: return nil
                }
            }
        }
        return incomplete + unmodelled
    }
}
