import PacketSets

/// Ingress rules open to 0.0.0.0/0 or ::/0 on a sensitive port, or on a range that contains one.
struct OpenToWorld: FindingCheck {
    static let rules = ["SG_OPEN_TO_WORLD"]

    func evaluate(_ context: FindingContext) -> [Finding] {
        let (index, snapshot) = (context.index, context.snapshot)
        let used = Set(
            snapshot.networkInterfaces.values.flatMap(\.groupIDs)
                + snapshot.ecsServices.values.flatMap(\.securityGroupIDs))
        return snapshot.securityGroups.values.sorted { $0.id < $1.id }.flatMap { group in
            group.ingress.compactMap { rule -> Finding? in
                let world: Bool
                switch rule.peer {
                case .cidr(let block): world = block.prefixLength == 0
                case .ipv6(let text): world = text == "::/0"
                default: world = false
                }
                let traffic = TrafficSets.rule(rule)
                let ports = Set(context.sensitivePorts).sorted().filter {
                    !traffic.restricting(.ipProtocol, to: 6...6).restricting(
                        .destinationPort, to: UInt32($0)...UInt32($0)
                    ).isEmpty
                }
                guard world, !ports.isEmpty else { return nil }
                return Finding(
                    rule: "SG_OPEN_TO_WORLD", severity: used.contains(group.id) ? .high : .medium,
                    title:
                        "\(index.label(group.id)) admits \(rule.peer) on sensitive port(s) \(ports.map(String.init).joined(separator: ", "))",
                    evidence: [
                        ComponentChanges.ruleLine(rule, inbound: true),
                        used.contains(group.id) ? "in use (interfaces or ECS services)" : "attached to nothing",
                    ],
                    sources: [rule.source],
                    remediation:
                        "narrow the rule to the sources that need the port (a security group or known CIDR blocks)")
            }
        }
    }
}
