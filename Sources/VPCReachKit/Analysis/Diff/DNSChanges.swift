import PacketSets

/// Names whose answer, from some VPC, differs between two snapshots (semantics §36a): a zone
/// associated or disassociated, a record added, removed or repointed, a DNS attribute turned off.
enum DNSChanges {
    /// What differs for DNS: the apexes of private zones that differ, and the VPCs whose DNS
    /// attributes differ; `nil` when nothing does.
    static func changes(between before: Snapshot, _ after: Snapshot) -> (zones: [String], vpcs: Set<String>)? {
        let changedZones = zones(differing: before, after)
        let (beforePeerings, afterPeerings) = (activePeerings(before), activePeerings(after))
        let changedVPCs = Set(before.vpcs.keys).union(after.vpcs.keys).filter { id in
            context(of: id, in: before, peerings: beforePeerings) != context(of: id, in: after, peerings: afterPeerings)
        }
        return changedZones.isEmpty && changedVPCs.isEmpty ? nil : (changedZones, changedVPCs)
    }

    /// Everything besides its zones' records that decides a VPC's DNS answers (§32-§35), without
    /// where it was read: DNS attributes, Region, DHCP servers, the Resolver rules, DNS Firewall
    /// rule groups (with their rules and domain lists) and Profile resources associated with it,
    /// the private zones it sees, and its active peerings' Regions and DNS options.
    /// Each VPC's active peerings, by VPC id: found once per snapshot, not once per VPC.
    static func activePeerings(_ snapshot: Snapshot) -> [String: [PeeringConnection]] {
        var byVPC: [String: [PeeringConnection]] = [:]
        for peering in snapshot.peeringConnections.values.sorted(by: { $0.id < $1.id }) where peering.isActive {
            byVPC[peering.requester.vpcID, default: []].append(peering)
            if peering.accepter.vpcID != peering.requester.vpcID {
                byVPC[peering.accepter.vpcID, default: []].append(peering)
            }
        }
        return byVPC
    }

    static func context(of vpcID: String, in snapshot: Snapshot, peerings: [String: [PeeringConnection]]) -> [String] {
        guard let vpc = snapshot.vpcs[vpcID] else { return [] }
        let configuration = snapshot.resolver
        var lines = [
            "attributes \(String(describing: vpc.dnsSupport)) \(String(describing: vpc.dnsHostnames)) region \(vpc.placement.region ?? "?")",
            "dhcp \(vpc.dhcpOptionsID ?? "?") \(vpc.dhcpOptionsID.flatMap { configuration.dhcpOptions[$0] }.map { String(describing: $0.domainNameServers) } ?? "not exported")",
            "exports \(configuration.exported.map(\.rawValue).sorted())",
        ]
        for association in configuration.ruleAssociations where association.vpcID == vpcID {
            let rule = configuration.rules[association.ruleID]
            lines.append(
                "rule \(association.ruleID) \(association.status) \(rule.map { "\($0.domainName) \($0.kind.rawValue) \($0.status) \($0.targets)" } ?? "missing")"
            )
        }
        var groups = configuration.firewallAssociations.filter { $0.vpcID == vpcID }.map {
            "\($0.groupID) \($0.priority) \($0.status)"
        }
        let profiles = configuration.profileAssociations.filter { $0.vpcID == vpcID }
        for profile in profiles {
            let resources = configuration.profileResources[profile.profileID]
            lines.append(
                "profile \(profile.profileID) \(profile.status) \(configuration.exportedProfileResources.contains(profile.profileID))"
            )
            for resource in resources ?? [] {
                lines.append(
                    "shares \(resource.kind) \(resource.resourceID) \(resource.priority.map(String.init) ?? "-") \(resource.status)"
                )
                if resource.kind == .resolverRule, let rule = configuration.rules[resource.resourceID] {
                    lines.append(
                        "rule \(rule.id) \(rule.domainName) \(rule.kind.rawValue) \(rule.status) \(rule.targets)")
                }
                if resource.kind == .firewallRuleGroup { groups.append(resource.resourceID) }
            }
        }
        for group in groups.sorted() {
            lines.append("firewall \(group)")
            let id = String(group.prefix { $0 != " " })
            for rule in (configuration.firewallRules[id] ?? []).sorted(by: { $0.priority < $1.priority }) {
                let domains = rule.domainListID.flatMap { configuration.firewallDomains[$0] }?.sorted()
                lines.append(
                    "  \(rule.priority) \(rule.action.rawValue) \(rule.blockResponse?.rawValue ?? "-") \(rule.overrideDomain ?? "-") \(rule.queryType ?? "-") \(rule.trustsRedirection) \(rule.domainListID ?? "-") \(domains.map { "\($0)" } ?? "not exported")"
                )
            }
        }
        for peering in peerings[vpcID] ?? [] {
            guard let peer = peering.peer(of: vpcID) else { continue }
            let peerVPC = snapshot.vpcs[peer.vpcID]
            lines.append(
                "peer \(peer.vpcID) \(peer.region ?? peerVPC?.placement.region ?? "?") \(String(describing: peer.allowsRemoteDNSResolution)) \(String(describing: peerVPC?.dnsSupport)) \(String(describing: peerVPC?.dnsHostnames))"
            )
        }
        return lines
    }

    /// The changed answers, sorted by name and VPC; only VPCs in `vpcs` when given (a diff's scope).
    static func between(
        _ base: NetworkIndex, _ candidate: NetworkIndex, changed: (zones: [String], vpcs: Set<String>),
        vpcs wanted: Set<String>?
    ) -> [ReachabilityDiff.DNSChange] {
        let (before, after) = (base.snapshot, candidate.snapshot)
        let (changedZones, changedVPCs) = changed
        let privateZones = [before, after].flatMap { $0.hostedZones.values.filter(\.isPrivate) }
        // Names a changed zone may answer differently: its own records (either side), those of
        // other zones below its apex (a new, more specific zone shadows them), and, from VPCs whose
        // attributes changed, every name of the zones they see.
        var names = Set<String>()
        // A VPC whose DNS context changed may answer any name differently (a rule, the firewall, a
        // Profile): every record name, and the domains its rules and firewall lists name.
        let contextChanged = !changedVPCs.isEmpty
        for zone in privateZones {
            let touched =
                contextChanged
                || changedZones.contains { apex in
                    DNSResolver.name(zone.name, isWithin: apex) || DNSResolver.name(apex, isWithin: zone.name)
                }
            guard touched else { continue }
            for record in zone.recordSets ?? [] where Self.answersAddresses(record) && !record.name.hasPrefix("*.") {
                if contextChanged || changedZones.contains(where: { DNSResolver.name(record.name, isWithin: $0) }) {
                    names.insert(record.name)
                }
            }
        }
        if contextChanged {
            for snapshot in [before, after] {
                names.formUnion(snapshot.resolver.rules.values.map(\.domainName).filter { $0 != "." })
                names.formUnion(snapshot.resolver.firewallDomains.values.joined().filter { !$0.hasPrefix("*") })
            }
        }
        // Names that lead to those through CNAMEs or aliases answer differently too (bounded, as
        // chains are, §35).
        let links = privateZones.flatMap { $0.recordSets ?? [] }.filter(Self.answersAddresses).compactMap {
            record -> (String, String)? in
            (record.aliasTarget ?? (record.type == "CNAME" ? record.values.first.map(DNSName.canonical) : nil)).map {
                (record.name, $0)
            }
        }
        for _ in 0..<16 {
            let more = Set(links.filter { names.contains($0.1) && !names.contains($0.0) }.map(\.0))
            if more.isEmpty { break }
            names.formUnion(more)
        }
        // VPCs that see zones through a Route 53 Profile.
        let profileVPCs = Set([before, after].flatMap { $0.resolver.profileAssociations.map(\.vpcID) })
        var changes: [ReachabilityDiff.DNSChange] = []
        for name in names.sorted() {
            var vpcs = Set(
                privateZones.filter { DNSResolver.name(name, isWithin: $0.name) }.flatMap {
                    ($0.vpcAssociations ?? []).map(\.vpcID)
                }
            )
            .union(changedVPCs).union(profileVPCs)
            if let wanted { vpcs.formIntersection(wanted) }
            for vpc in vpcs.sorted() {
                let old = DNSResolver(index: base).resolve(name, fromVPC: vpc)
                let new = DNSResolver(index: candidate).resolve(name, fromVPC: vpc)
                let (was, now) = (
                    Self.outcome(old, vpcExists: before.vpcs[vpc] != nil),
                    Self.outcome(new, vpcExists: after.vpcs[vpc] != nil)
                )
                guard was != now else { continue }
                let oldAddresses = Self.addresses(old)
                let newAddresses = Self.addresses(new)
                changes.append(
                    ReachabilityDiff.DNSChange(
                        name: name, vpc: vpc, before: was, after: now,
                        destinationsAdded: Self.destinations(newAddresses.subtracting(oldAddresses), in: candidate),
                        destinationsRemoved: Self.destinations(oldAddresses.subtracting(newAddresses), in: base)))
            }
        }
        return changes
    }

    static func answersAddresses(_ record: ResourceRecordSet) -> Bool {
        record.type == "A" || record.type == "CNAME"
    }

    /// The names (apexes) of private zones that differ between the snapshots, or exist in one only.
    /// Records in order, compared by content (not by where they were read). Two exports listing
    /// the same records in another order read as a change: the answers are then compared, and alike.
    static func zones(differing before: Snapshot, _ after: Snapshot) -> [String] {
        func same(_ old: HostedZone?, _ new: HostedZone?) -> Bool {
            let old = old?.isPrivate == true ? old : nil
            let new = new?.isPrivate == true ? new : nil
            guard let old, let new else { return old == nil && new == nil }
            guard old.name == new.name,
                old.vpcAssociations.map({ Set($0.map(\.vpcID)) }) == new.vpcAssociations.map({ Set($0.map(\.vpcID)) })
            else {
                return false
            }
            switch (old.recordSets, new.recordSets) {
            case (nil, nil): return true
            case (let oldRecords?, let newRecords?):
                return oldRecords.count == newRecords.count
                    && zip(oldRecords, newRecords).allSatisfy { a, b in
                        a.name == b.name && a.type == b.type && a.values == b.values && a.aliasTarget == b.aliasTarget
                            && a.aliasZoneID == b.aliasZoneID && a.setIdentifier == b.setIdentifier
                            && a.routing == b.routing
                            && a.isHealthChecked == b.isHealthChecked
                    }
            default: return false
            }
        }
        return Set(before.hostedZones.keys).union(after.hostedZones.keys).sorted().compactMap { id in
            let (old, new) = (before.hostedZones[id], after.hostedZones[id])
            return same(old, new) ? nil : (new ?? old)?.name
        }
    }

    /// An answer in words, without the steps: what a diff compares.
    static func outcome(_ answer: DNSAnswer, vpcExists: Bool) -> String {
        guard vpcExists else { return "no answer (the VPC is not in this snapshot)" }
        switch answer {
        case .addresses(let addresses, _, let failure):
            let text = addresses.map(\.description).joined(separator: ", ")
            return failure.map { text + " or " + outcome(.failure($0), vpcExists: true) } ?? text
        case .failure(let failure):
            switch failure.code {
            case .nxdomain: return "NXDOMAIN"
            case .resolverDisabled: return "no answer (the Route 53 Resolver is off)"
            case .firewallBlock: return "blocked by DNS Firewall (\(failure.component ?? "?"))"
            }
        case .unknown(let reason): return "unknown (\(reason))"
        }
    }

    static func addresses(_ answer: DNSAnswer) -> Set<IPv4Address> {
        if case .addresses(let found, _, _) = answer { return Set(found) }
        return []
    }

    /// The interfaces (or addresses) at `addresses`, sorted.
    static func destinations(_ addresses: Set<IPv4Address>, in index: NetworkIndex) -> [String] {
        addresses.sorted { $0.value < $1.value }.map { address in
            (index.interface(privateAddress: address) ?? index.interface(publicAddress: address)).map {
                "\(index.label($0.id)) (\(address))"
            } ?? address.description
        }
    }
}
