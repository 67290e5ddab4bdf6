import PacketSets

/// Allow entries that an earlier deny entry of the same ACL and direction (partly) overrides.
struct ShadowedNetworkACLAllows: FindingCheck {
    static let rules = ["NACL_SHADOWED_ALLOW"]

    func evaluate(_ context: FindingContext) -> [Finding] {
        let (index, snapshot) = (context.index, context.snapshot)
        return snapshot.networkACLs.values.sorted { $0.id < $1.id }.flatMap { acl in
            [false, true].flatMap { egress -> [Finding] in
                // An entry whose ports were not exported shadows nothing known.
                let entries = acl.entries.filter { $0.isEgress == egress && $0.cidrBlock != nil && $0.portsExported }
                    .sorted {
                        $0.ruleNumber < $1.ruleNumber
                    }
                var earlierDenies: [(NetworkACLEntry, PacketSet)] = []
                var findings: [Finding] = []
                for entry in entries {
                    let field: PacketField = egress ? .destinationAddress : .sourceAddress
                    let set = TrafficSets.rule(entry.ipProtocol, portRange: entry.portRange, icmp: entry.icmpTypeCode)
                        .restricting(field, to: entry.cidrBlock?.range ?? 0...0)
                    if entry.allows, entry.ruleNumber < 32767 {
                        let shadowing = earlierDenies.filter { !$0.1.intersection(set).isEmpty }
                        if !shadowing.isEmpty {
                            let covered = set.isSubset(of: shadowing.reduce(PacketSet.empty) { $0.union($1.1) })
                            findings.append(
                                Finding(
                                    rule: "NACL_SHADOWED_ALLOW", severity: covered ? .medium : .low,
                                    title:
                                        "\(egress ? "outbound" : "inbound") allow rule \(entry.ruleNumber) of \(index.label(acl.id)) is \(covered ? "fully" : "partly") overridden by earlier deny rule(s) \(shadowing.map { String($0.0.ruleNumber) }.joined(separator: ", "))",
                                    evidence: shadowing.map {
                                        "rule \($0.0.ruleNumber) deny \($0.0.ipProtocol) \($0.0.portRange.map(PortText.range) ?? "all") \($0.0.cidrBlock?.description ?? "")"
                                    }
                                        + [
                                            "rule \(entry.ruleNumber) allow \(entry.ipProtocol) \(entry.portRange.map(PortText.range) ?? "all") \(entry.cidrBlock?.description ?? "")"
                                        ],
                                    sources: shadowing.map(\.0.source) + [entry.source],
                                    remediation:
                                        "renumber the rules so that the intended allow comes first, or narrow the deny")
                            )
                        }
                    }
                    if !entry.allows { earlierDenies.append((entry, set)) }
                }
                return findings
            }
        }
    }
}
