import PacketSets

/// References to groups whose peering is gone, or that are not in the snapshot.
struct StaleReferences: FindingCheck {
    static let rules = ["SG_STALE_REFERENCE", "SG_UNKNOWN_REFERENCE"]

    func evaluate(_ context: FindingContext) -> [Finding] {
        let (index, snapshot) = (context.index, context.snapshot)
        return snapshot.securityGroups.values.sorted { $0.id < $1.id }.flatMap { group in
            (group.ingress + group.egress).compactMap { rule -> Finding? in
                guard case .group(let reference) = rule.peer else { return nil }
                // A new active peering between the same VPCs makes the reference live again (§21).
                let revived = reference.vpcID.map { index.referenceIsLive(from: group.vpcID, to: $0) } ?? false
                if !revived, reference.isMarkedStale, let status = reference.peeringStatus {
                    return Finding(
                        rule: "SG_STALE_REFERENCE", severity: .medium,
                        title: "\(index.label(group.id)) references \(reference) across a peering that is \(status)",
                        evidence: ["peering \(reference.peeringConnectionID ?? "?") status \(status)"],
                        sources: [rule.source],
                        remediation: "remove the stale rule, or re-create the peering connection and the reference")
                }
                if !revived, let id = reference.peeringConnectionID,
                    snapshot.peeringConnections[id].map({ !$0.isActive }) ?? false
                {
                    return Finding(
                        rule: "SG_STALE_REFERENCE", severity: .medium,
                        title:
                            "\(index.label(group.id)) references \(reference) across peering \(id), which is not active",
                        evidence: ["peering \(id) status \(snapshot.peeringConnections[id]?.status ?? "?")"],
                        sources: [rule.source],
                        remediation: "remove the stale rule, or accept or re-create the peering connection")
                }
                guard snapshot.securityGroups[reference.groupID] == nil else { return nil }
                return Finding(
                    rule: "SG_UNKNOWN_REFERENCE", severity: .low,
                    title: "\(index.label(group.id)) references \(reference), which is not in the snapshot",
                    evidence: ["referenced group \(reference.groupID)\(reference.vpcID.map { " in \($0)" } ?? "")"],
                    sources: [rule.source],
                    remediation: "export the account that owns the group, or remove the rule if the group is gone")
            }
        }
    }
}
