import PacketSets

/// Names whose answer, from some VPC, differs between two snapshots (semantics §36a): a zone
/// associated or disassociated, a record added, removed or repointed, a DNS attribute turned off.
enum DNSChanges {
    /// What differs for DNS: the apexes of private zones that differ, and the VPCs whose DNS
    /// attributes differ; `nil` when nothing does.
    static func changes(between before: Snapshot, _ after: Snapshot) -> (zones: [String], vpcs: Set<String>)? {
        let changedZones = zones(differing: before, after)
        let changedVPCs = Set(before.vpcs.keys).union(after.vpcs.keys).filter { id in
            let (old, new) = (before.vpcs[id], after.vpcs[id])
            return old?.dnsSupport != new?.dnsSupport || old?.dnsHostnames != new?.dnsHostnames
        }
        return changedZones.isEmpty && changedVPCs.isEmpty ? nil : (changedZones, changedVPCs)
    }

    /// The changed answers, sorted by name and VPC; only VPCs in `vpcs` when given (a diff's scope).
    static func between(
        _ base: NetworkIndex, _ candidate: NetworkIndex, changed: (zones: [String], vpcs: Set<String>), vpcs wanted: Set<String>?
    ) -> [ReachabilityDiff.DNSChange] {
        let (before, after) = (base.snapshot, candidate.snapshot)
        let (changedZones, changedVPCs) = changed
        let privateZones = [before, after].flatMap { $0.hostedZones.values.filter(\.isPrivate) }
        // Names a changed zone may answer differently: its own records (either side), those of
        // other zones below its apex (a new, more specific zone shadows them), and, from VPCs whose
        // attributes changed, every name of the zones they see.
        var names = Set<String>()
        for zone in privateZones {
            let touched = changedZones.contains { apex in DNSResolver.name(zone.name, isWithin: apex) || DNSResolver.name(apex, isWithin: zone.name) }
                || (zone.vpcAssociations ?? []).contains { changedVPCs.contains($0.vpcID) }
            guard touched else { continue }
            for record in zone.recordSets ?? [] where Self.answersAddresses(record) && !record.name.hasPrefix("*.") {
                if changedZones.contains(where: { DNSResolver.name(record.name, isWithin: $0) }) || (zone.vpcAssociations ?? []).contains(where: { changedVPCs.contains($0.vpcID) }) {
                    names.insert(record.name)
                }
            }
        }
        // Names that lead to those through CNAMEs or aliases answer differently too (bounded, as
        // chains are, §35).
        let links = privateZones.flatMap { $0.recordSets ?? [] }.filter(Self.answersAddresses).compactMap { record -> (String, String)? in
            (record.aliasTarget ?? (record.type == "CNAME" ? record.values.first.map(DNSName.canonical) : nil)).map { (record.name, $0) }
        }
        for _ in 0..<16 {
            let more = Set(links.filter { names.contains($0.1) && !names.contains($0.0) }.map(\.0))
            if more.isEmpty { break }
            names.formUnion(more)
        }
        var changes: [ReachabilityDiff.DNSChange] = []
        for name in names.sorted() {
            var vpcs = Set(privateZones.filter { DNSResolver.name(name, isWithin: $0.name) }.flatMap { ($0.vpcAssociations ?? []).map(\.vpcID) })
            if let wanted { vpcs.formIntersection(wanted) }
            for vpc in vpcs.sorted() {
                let old = DNSResolver(index: base).resolve(name, fromVPC: vpc)
                let new = DNSResolver(index: candidate).resolve(name, fromVPC: vpc)
                let (was, now) = (Self.outcome(old, vpcExists: before.vpcs[vpc] != nil), Self.outcome(new, vpcExists: after.vpcs[vpc] != nil))
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
            guard old.name == new.name, old.vpcAssociations.map({ Set($0.map(\.vpcID)) }) == new.vpcAssociations.map({ Set($0.map(\.vpcID)) }) else {
                return false
            }
            switch (old.recordSets, new.recordSets) {
            case (nil, nil): return true
            case (let oldRecords?, let newRecords?):
                return oldRecords.count == newRecords.count
                    && zip(oldRecords, newRecords).allSatisfy { a, b in
                        a.name == b.name && a.type == b.type && a.values == b.values && a.aliasTarget == b.aliasTarget
                            && a.aliasZoneID == b.aliasZoneID && a.setIdentifier == b.setIdentifier
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
        case .addresses(let addresses, _): return addresses.map(\.description).joined(separator: ", ")
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
        if case .addresses(let found, _) = answer { return Set(found) }
        return []
    }

    /// The interfaces (or addresses) at `addresses`, sorted.
    static func destinations(_ addresses: Set<IPv4Address>, in index: NetworkIndex) -> [String] {
        addresses.sorted { $0.value < $1.value }.map { address in
            (index.interface(privateAddress: address) ?? index.interface(publicAddress: address)).map { "\(index.label($0.id)) (\(address))" } ?? address.description
        }
    }
}
