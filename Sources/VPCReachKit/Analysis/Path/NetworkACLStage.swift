import PacketSets

/// Network ACLs: stateless, per direction, lowest rule number first, the first match decides.
extension PathAnalyzer {
    /// Evaluates the ACL of `subnetID` on `packets` as they cross it (`outbound` or inbound).
    func networkACLStage(subnet subnetID: String, outbound: Bool, packets: PacketSet, direction: Direction)
        -> StageResult
    {
        guard let acl = index.networkACL(forSubnet: subnetID) else {
            var stage = StageResult(
                direction, kind: outbound ? .networkACLOutbound : .networkACLInbound, component: subnetID,
                name: index.name(of: subnetID), explains: explains)
            stage.markUnknown(packets, "the network ACL of subnet \(index.label(subnetID)) is not in the snapshot")
            return stage
        }
        var stage = StageResult(
            direction, kind: outbound ? .networkACLOutbound : .networkACLInbound, component: acl.id,
            name: acl.tags.name, explains: explains)
        let field: PacketField = outbound ? .destinationAddress : .sourceAddress
        var remaining = packets
        var deniedBy: [(NetworkACLEntry, PacketSet)] = []
        for entry in acl.entries.filter({ $0.isEgress == outbound }).sorted(by: { $0.ruleNumber < $1.ruleNumber }) {
            guard !remaining.isEmpty else { break }
            guard let block = entry.cidrBlock else { continue }
            let matched = remaining.intersection(
                TrafficSets.rule(entry.ipProtocol, portRange: entry.portRange, icmp: entry.icmpTypeCode).restricting(
                    field, to: block.range))
            guard !matched.isEmpty else { continue }
            remaining = remaining.subtracting(matched)
            guard entry.portsExported else {
                // Which of these packets the entry matches is unknown: whether it or a later rule decides them too.
                stage.hop.details.append(
                    "rule \(ruleNumberText(entry.ruleNumber)) \(entry.allows ? "allows" : "denies") \(entry.ipProtocol) on ports not exported to \(entry.cidrBlock?.description ?? "")"
                )
                stage.markUnknown(
                    matched,
                    "rule \(ruleNumberText(entry.ruleNumber)) of network ACL \(index.label(acl.id)) is a \(entry.ipProtocol) entry without a PortRange (\(entry.source)): the ports it \(entry.allows ? "allows" : "denies") are unknown"
                )
                continue
            }
            stage.hop.details.append(
                "rule \(ruleNumberText(entry.ruleNumber)) \(entry.allows ? "allows" : "denies") \(entryText(entry))")
            if !entry.allows { deniedBy.append((entry, matched)) }
        }
        if !remaining.isEmpty {
            stage.hop.details.append("no rule matches: denied by the implicit default rule (*)")
        }
        let denied = deniedBy.reduce(remaining) { $0.union($1.1) }
        if !denied.isEmpty {
            let rules =
                deniedBy.map { "rule \(ruleNumberText($0.0.ruleNumber))" }
                + (remaining.isEmpty ? [] : ["the default rule (*)"])
            let traffic = TrafficSets.describe(denied, direction: .forward, within: packets)
            let way = outbound ? "outbound" : "inbound"
            let before = deniedBy.first.map { " with a rule number below \($0.0.ruleNumber)" } ?? ""
            stage.deny(
                denied, code: .subnetACLRestriction,
                "\(way) \(rules.joined(separator: " and ")) of network ACL \(index.label(acl.id)) on subnet \(index.label(subnetID)) \(rules.count == 1 ? "denies" : "deny") \(traffic)",
                fix: "add an \(way) allow rule to \(acl.id)\(before) for \(traffic)",
                sources: deniedBy.map(\.0.source) + (remaining.isEmpty ? [] : [acl.source]))
        }
        return stage
    }

    func ruleNumberText(_ number: Int) -> String {
        number == 32767 ? "32767 (*)" : "\(number)"
    }

    func entryText(_ entry: NetworkACLEntry) -> String {
        var words: String
        switch entry.ipProtocol {
        case .all: words = "all traffic"
        case .tcp, .udp: words = "\(entry.ipProtocol) \(entry.portRange.map(PortText.range) ?? "all ports")"
        case .icmp: words = "icmp" + (entry.icmpTypeCode.map { " type \($0.type) code \($0.code)" } ?? "")
        default: words = "protocol \(entry.ipProtocol)"
        }
        words += entry.isEgress ? " to " : " from "
        words += entry.cidrBlock?.description ?? "(IPv6)"
        return words
    }
}
