import PacketSets

/// How a DNS name resolved from one VPC.
public enum DNSAnswer: Hashable, Sendable {
    /// The name resolves to these addresses; `steps` tells how (zones, CNAMEs, aliases).
    case addresses([IPv4Address], steps: [String])
    /// The resolver answers NXDOMAIN (or no address record): authoritative from the snapshot.
    case nxdomain(zoneID: String?, reason: String)
    /// The snapshot cannot tell (public DNS, missing exports, resolver disabled).
    case unknown(String)
}

/// Resolves names as the Route 53 Resolver of a VPC would, from the snapshot's hosted zones.
///
/// Private zones associated with the VPC are consulted when `enableDnsSupport` and
/// `enableDnsHostnames` are both on; the most specific matching zone answers, and a name it does not
/// hold is NXDOMAIN with no fallback to public DNS. CNAMEs and aliases are followed within the snapshot.
struct DNSResolver {
    let index: NetworkIndex
    var snapshot: Snapshot { index.snapshot }

    /// Top-level domains reserved for private use or never delegated: public DNS answers NXDOMAIN.
    static let reservedTopLevelDomains: Set<String> = ["internal", "local", "localhost", "test", "invalid", "example", "home.arpa"]

    func resolve(_ name: String, fromVPC vpcID: String?) -> DNSAnswer {
        var steps: [String] = []
        return resolve(DNSName.canonical(name), fromVPC: vpcID, depth: 0, steps: &steps)
    }

    private func resolve(_ name: String, fromVPC vpcID: String?, depth: Int, steps: inout [String]) -> DNSAnswer {
        guard depth < 16 else { return .unknown("resolution of '\(name)' loops or chains more than 16 times") }
        guard let vpcID, let vpc = snapshot.vpcs[vpcID] else {
            return .unknown("'\(name)' is resolved outside the snapshot's VPCs, by public DNS")
        }
        let matching = snapshot.hostedZones.values.filter { $0.isPrivate && Self.name(name, isWithin: $0.name) }
            .sorted { ($0.name.count, $1.id) > ($1.name.count, $0.id) }
        let associated = matching.filter { zone in zone.vpcAssociations?.contains { $0.vpcID == vpcID } ?? false }
        let unassociated = matching.filter { zone in zone.vpcAssociations.map { !$0.contains { $0.vpcID == vpcID } } ?? false }
        if let undetermined = matching.first(where: { $0.vpcAssociations == nil }),
            associated.first.map({ $0.name.count <= undetermined.name.count }) ?? true
        {
            return .unknown(
                "private zone \(undetermined.id) (\(undetermined.name)) matches '\(name)' but its VPC associations are not in the snapshot (export get-hosted-zone)")
        }
        if !associated.isEmpty {
            switch (vpc.dnsSupport, vpc.dnsHostnames) {
            case (false, _):
                return .unknown(
                    "enableDnsSupport is off in \(index.label(vpcID)): the Route 53 Resolver does not answer there, so private zone \(associated[0].id) (\(associated[0].name)) is not used")
            case (_, false):
                return .unknown(
                    "enableDnsHostnames is off in \(index.label(vpcID)); AWS requires it for private hosted zones, so private zone \(associated[0].id) (\(associated[0].name)) may not answer")
            case (nil, _), (_, nil):
                return .unknown(
                    "the DNS attributes of \(index.label(vpcID)) are not in the snapshot (export describe-vpc-attribute for enableDnsSupport and enableDnsHostnames)")
            default: break
            }
        }
        if associated.isEmpty, let answer = amazonProvidedHostname(name, vpc: vpc, steps: &steps) {
            return answer
        }
        guard let zone = associated.first else {
            let missing = unassociated.map { "private zone \($0.id) (\($0.name)) holds the name but is not associated with \(index.label(vpcID))" }
            let note = missing.isEmpty ? "" : "; " + missing.joined(separator: "; ")
            if let tld = Self.topLevelDomain(name), Self.reservedTopLevelDomains.contains(tld) {
                return .nxdomain(
                    zoneID: unassociated.first?.id,
                    reason: "no private zone associated with \(index.label(vpcID)) holds '\(name)', and public DNS answers NXDOMAIN for the reserved domain .\(tld)\(note)")
            }
            return .unknown("no private zone associated with \(index.label(vpcID)) holds '\(name)', so public DNS outside the snapshot decides\(note)")
        }
        steps.append("\(name) is answered by private zone \(zone.id) (\(zone.name)) associated with \(vpcID)")
        return answer(name, in: zone, fromVPC: vpcID, depth: depth, steps: &steps)
    }

    private func answer(_ name: String, in zone: HostedZone, fromVPC vpcID: String, depth: Int, steps: inout [String]) -> DNSAnswer {
        // Aliases are followed here without passing through `resolve`: the same bound applies.
        guard depth < 16 else { return .unknown("resolution of '\(name)' loops or chains more than 16 times") }
        guard let records = zone.recordSets else {
            return .unknown("the records of zone \(zone.id) (\(zone.name)) are not in the snapshot (export list-resource-record-sets)")
        }
        let owned = Self.records(for: name, in: records, apex: zone.name)
        let addressRecords = owned.filter { $0.type == "A" }
        let aliases = addressRecords.filter { $0.aliasTarget != nil }
        if !aliases.isEmpty {
            return followAliases(name, aliases, zone: zone, fromVPC: vpcID, depth: depth, steps: &steps)
        }
        if !addressRecords.isEmpty {
            var addresses: [IPv4Address] = []
            for record in addressRecords {
                for value in record.values {
                    guard let address = IPv4Address(value) else {
                        return .unknown("record \(record.name) A has the value '\(value)', which is not an IPv4 address (\(record.source))")
                    }
                    if !addresses.contains(address) { addresses.append(address) }
                }
            }
            steps.append("\(name) A \(addresses.map(\.description).joined(separator: ", "))")
            return .addresses(addresses.sorted(), steps: steps)
        }
        if let cname = owned.first(where: { $0.type == "CNAME" }), let value = cname.values.first ?? cname.aliasTarget {
            let target = DNSName.canonical(value)
            steps.append("\(name) CNAME \(target)")
            return resolve(target, fromVPC: vpcID, depth: depth + 1, steps: &steps)
        }
        let reason =
            owned.isEmpty
            ? "zone \(zone.id) (\(zone.name)) has no record '\(name)', so the resolver answers NXDOMAIN (no fallback to public DNS)"
            : "zone \(zone.id) (\(zone.name)) has '\(name)' but no A, CNAME or alias record for it"
        return .nxdomain(zoneID: zone.id, reason: reason)
    }

    /// Follows every alias record of a name (weighted, failover and latency sets alike: any of them
    /// may answer) and joins their addresses; one unknown target makes the whole answer unknown.
    private func followAliases(
        _ name: String, _ aliases: [ResourceRecordSet], zone: HostedZone, fromVPC vpcID: String, depth: Int, steps: inout [String]
    ) -> DNSAnswer {
        var addresses: [IPv4Address] = []
        var nxdomain: DNSAnswer?
        for alias in aliases {
            guard let target = alias.aliasTarget else { continue }
            steps.append("\(name) is an alias to \(target)")
            guard let targetZone = alias.aliasZoneID.flatMap({ snapshot.hostedZones[$0] }) else {
                return .unknown("\(name) is an alias to \(target) (zone \(alias.aliasZoneID ?? "?")), an AWS resource outside the snapshot")
            }
            switch answer(target, in: targetZone, fromVPC: vpcID, depth: depth + 1, steps: &steps) {
            case .addresses(let found, _):
                for address in found where !addresses.contains(address) { addresses.append(address) }
            case .nxdomain(let zoneID, let reason):
                nxdomain = nxdomain ?? .nxdomain(zoneID: zoneID, reason: reason)
            case .unknown(let reason):
                return .unknown(reason)
            }
        }
        if addresses.isEmpty, let nxdomain { return nxdomain }
        return .addresses(addresses.sorted(), steps: steps)
    }

    /// EC2's private hostnames (`ip-10-1-2-3.eu-west-1.compute.internal`, `ip-10-1-2-3.ec2.internal` in
    /// us-east-1), which the Amazon resolver answers itself; `nil` for any other name.
    func amazonProvidedHostname(_ name: String, vpc: VPC, steps: inout [String]) -> DNSAnswer? {
        guard name.hasSuffix(".compute.internal.") || name.hasSuffix(".ec2.internal.") else { return nil }
        guard vpc.dnsSupport == true else {
            return .unknown("'\(name)' is an EC2 private hostname, which only the Amazon resolver answers, and enableDnsSupport in \(index.label(vpc.id)) is \(vpc.dnsSupport == false ? "off" : "not in the snapshot")")
        }
        let label = name.split(separator: ".").first.map(String.init) ?? ""
        let parts = label.split(separator: "-")
        guard parts.count == 5, parts[0] == "ip", let address = IPv4Address(parts[1...].joined(separator: ".")) else {
            return .unknown("'\(name)' is an EC2 resource-name hostname; the snapshot does not record which instance owns it")
        }
        steps.append("\(name) is an EC2 private hostname, answered by the Amazon resolver with \(address)")
        return .addresses([address], steps: steps)
    }

    /// Records owning `name`: exact ones, else the wildcard at the closest encloser (RFC 4592).
    ///
    /// The closest encloser is the nearest ancestor that exists, even as an empty non-terminal (a
    /// name with no records but names below it); only `*.<closest encloser>` can answer.
    static func records(for name: String, in records: [ResourceRecordSet], apex: String) -> [ResourceRecordSet] {
        func exists(_ candidate: String) -> Bool {
            records.contains { $0.name == candidate || $0.name.hasSuffix("." + candidate) }
        }
        let exact = records.filter { $0.name == name }
        if !exact.isEmpty || exists(name) { return exact }
        var labels = name.split(separator: ".").map(String.init)
        while labels.count > 1 {
            labels.removeFirst()
            let parent = labels.joined(separator: ".") + "."
            guard Self.name(parent, isWithin: apex) else { break }
            if parent == apex || exists(parent) { return records.filter { $0.name == "*." + parent } }
        }
        return []
    }

    /// Whether `name` equals `zone` or lies below it (both canonical, with trailing dots).
    static func name(_ name: String, isWithin zone: String) -> Bool {
        name == zone || name.hasSuffix("." + zone)
    }

    static func topLevelDomain(_ name: String) -> String? {
        let labels = name.split(separator: ".")
        if labels.count >= 2, labels.suffix(2).joined(separator: ".") == "home.arpa" { return "home.arpa" }
        return labels.last.map(String.init)
    }
}
