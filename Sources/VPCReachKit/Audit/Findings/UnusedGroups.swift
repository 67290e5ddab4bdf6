import PacketSets

/// Groups no interface and no ECS service uses.
struct UnusedGroups: FindingCheck {
    static let rules = ["SG_UNUSED"]

    func evaluate(_ context: FindingContext) -> [Finding] {
        let (index, snapshot) = (context.index, context.snapshot)
        let used = Set(
            snapshot.networkInterfaces.values.flatMap(\.groupIDs)
                + snapshot.ecsServices.values.flatMap(\.securityGroupIDs))
        return snapshot.securityGroups.values.sorted { $0.id < $1.id }.filter {
            !used.contains($0.id) && $0.name != "default"
        }.map { group in
            Finding(
                rule: "SG_UNUSED", severity: .low,
                title: "\(index.label(group.id)) is attached to no interface and used by no ECS service",
                evidence: [group.id], sources: [group.source], remediation: "delete the group if nothing will use it")
        }
    }
}
