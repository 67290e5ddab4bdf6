import PacketSets

/// Routes in state `blackhole`: their target is gone.
struct BlackholeRoutes: FindingCheck {
    static let rules = ["ROUTE_BLACKHOLE"]

    func evaluate(_ context: FindingContext) -> [Finding] {
        let (index, snapshot) = (context.index, context.snapshot)
        return snapshot.routeTables.values.sorted { $0.id < $1.id }.flatMap { table in
            table.routes.filter { $0.state == .blackhole }.map { route in
                Finding(
                    rule: "ROUTE_BLACKHOLE", severity: .medium,
                    title: "route \(route.destination) -> \(route.target) in \(index.label(table.id)) is a blackhole",
                    evidence: ["\(table.id): \(route.destination) -> \(route.target) (blackhole)"],
                    sources: [route.source],
                    remediation: "delete the route or point it at a working target")
            }
        }
    }
}
