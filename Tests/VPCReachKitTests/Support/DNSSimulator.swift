import PacketSets
@testable import VPCReachKit

/// A model of the Route 53 Resolver of a VPC written from docs/semantics.md Part H (§31-§35) alone,
/// apart from the engine's `DNSResolver`: DHCP options and the DNS attributes decide who answers,
/// DNS Firewall inspects every name looked up, the most specific domain among Resolver rules,
/// private zones and auto-defined EC2 domains wins, and the winning zone's records answer by closest
/// encloser and routing policy, CNAMEs resolved anew and aliases inside their target zone.
///
/// Besides the outcome it records the features that decided it (`features`), so a differential test
/// can demand that every feature decides some answers.
struct DNSSimulator {
    let snapshot: Snapshot

    static let maximumSteps = 16
    static let reservedTopLevelDomains: Set<String> = ["internal", "local", "localhost", "test", "invalid", "example"]

    /// Where each Region is, for geolocation records (continent, country, subdivision).
    static let regionLocations: [String: (continent: String, country: String, subdivision: String?)] = [
        "eu-west-1": ("EU", "IE", nil), "us-east-1": ("NA", "US", "VA"), "eu-central-1": ("EU", "DE", nil),
        "ap-southeast-2": ("OC", "AU", nil),
    ]

    enum Outcome: Hashable, CustomStringConvertible {
        case addresses(Set<UInt32>)
        case nxdomain
        case resolverDisabled
        case firewallBlock
        case unknown

        var description: String {
            switch self {
            case .addresses(let set): "addresses \(set.sorted().map(DNSSimulator.dotted).joined(separator: ","))"
            case .nxdomain: "NXDOMAIN"
            case .resolverDisabled: "RESOLVER_DISABLED"
            case .firewallBlock: "FIREWALL_BLOCK"
            case .unknown: "unknown"
            }
        }
    }

    /// The simulator's answer: the outcome, the component a failure names when the queried name
    /// itself failed (no chain followed, and the spec names one), why, and the deciding features.
    struct Answer {
        var outcome: Outcome
        var component: String?
        var reason: String
        var features: Set<String>
    }

    /// One branch's result while resolving.
    struct Partial {
        var outcome: Outcome
        var component: String?
        var reason: String
        /// Whether the result is about the queried name itself (no CNAME, alias or override followed).
        var direct: Bool = true
    }

    // MARK: - Names

    static func canonical(_ text: String) -> String {
        let lower = text.lowercased()
        return lower.hasSuffix(".") ? lower : lower + "."
    }

    /// Labels of an absolute name, the root having none.
    static func labels(_ name: String) -> [Substring] {
        name == "." ? [] : name.dropLast().split(separator: ".", omittingEmptySubsequences: false)
    }

    /// Whether `name` equals `domain` or lies below it.
    static func isAtOrBelow(_ name: String, _ domain: String) -> Bool {
        domain == "." || name == domain || name.hasSuffix("." + domain)
    }

    static func isStrictlyBelow(_ name: String, _ domain: String) -> Bool {
        name != domain && isAtOrBelow(name, domain)
    }

    static func parent(_ name: String) -> String? {
        guard name != "." else { return nil }
        guard let dot = name.firstIndex(of: ".") else { return nil }
        let rest = String(name[name.index(after: dot)...])
        return rest.isEmpty ? "." : rest
    }

    static func dotted(_ value: UInt32) -> String {
        "\(value >> 24).\((value >> 16) & 0xFF).\((value >> 8) & 0xFF).\(value & 0xFF)"
    }

    /// A strict dotted quad (`a.b.c.d`, each 0-255 in decimal).
    static func parseIPv4(_ text: String) -> UInt32? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var value: UInt32 = 0
        for part in parts {
            guard (1...3).contains(part.count), part.allSatisfy({ $0.isASCII && $0.isNumber }), let octet = UInt32(part), octet <= 255 else { return nil }
            value = value << 8 | octet
        }
        return value
    }

    static func isRFC1918(_ address: UInt32) -> Bool {
        address >> 24 == 10 || address >> 20 == (172 << 4 | 1) || address >> 16 == (192 << 8 | 168)
    }

    // MARK: - Entry point

    func resolve(_ query: String, fromVPC vpcID: String?) -> Answer {
        var features = Set<String>()
        guard let vpcID, let vpc = snapshot.vpcs[vpcID] else {
            features.insert("source-outside")
            return Answer(outcome: .unknown, component: nil, reason: "source outside every snapshot VPC: public DNS", features: features)
        }
        // §32: who answers.
        let servers = servers(of: vpc)
        switch servers {
        case .custom:
            features.insert("dhcp-custom")
            return Answer(outcome: .unknown, component: nil, reason: "custom DNS servers", features: features)
        case .none:
            features.insert("dhcp-no-server")
            return Answer(outcome: .unknown, component: nil, reason: "DHCP gives no DNS server", features: features)
        case .resolver(let known):
            if !known { features.insert("dhcp-assumed") }
            if vpc.dnsSupport == false {
                if known {
                    features.insert("resolver-disabled")
                    return Answer(outcome: .resolverDisabled, component: vpc.id, reason: "enableDnsSupport false", features: features)
                }
                features.insert("dns-support-off-unknown")
                return Answer(outcome: .unknown, component: nil, reason: "enableDnsSupport false, DHCP options not exported", features: features)
            }
        }
        let partial = lookup(Self.canonical(query), vpc: vpc, steps: 0, inspecting: true, features: &features)
        return Answer(outcome: partial.outcome, component: partial.direct ? partial.component : nil, reason: partial.reason, features: features)
    }

    enum Servers { case resolver(known: Bool), custom, none }

    func servers(of vpc: VPC) -> Servers {
        guard let optionsID = vpc.dhcpOptionsID else { return .resolver(known: false) }
        if optionsID == "default" { return .none }
        guard let options = snapshot.resolver.dhcpOptions[optionsID] else { return .resolver(known: false) }
        guard let list = options.domainNameServers else { return .none }
        var allowed: Set<String> = ["AmazonProvidedDNS", "169.254.169.253"]
        if let primary = vpc.cidrBlocks.first { allowed.insert(Self.dotted(primary.network.value + 2)) }
        return list.allSatisfy { allowed.contains($0) } ? .resolver(known: true) : .custom
    }

    // MARK: - One name looked up by the Resolver (§34b, §34, §31)

    func lookup(_ name: String, vpc: VPC, steps: Int, inspecting: Bool, features: inout Set<String>) -> Partial {
        var inspecting = inspecting
        if inspecting {
            switch firewall(name, vpc: vpc, features: &features) {
            case .pass(let trust):
                if trust { inspecting = false }
            case .block(let group):
                features.insert(steps == 0 ? "firewall-block" : "firewall-block-in-chain")
                return Partial(outcome: .firewallBlock, component: group, reason: "DNS Firewall \(group) blocks \(name)")
            case .override(let target):
                features.insert("firewall-override")
                guard steps + 1 <= Self.maximumSteps else {
                    features.insert("chain-limit")
                    return Partial(outcome: .unknown, reason: "chain longer than 16 steps", direct: false)
                }
                var result = lookup(Self.canonical(target), vpc: vpc, steps: steps + 1, inspecting: true, features: &features)
                result.direct = false
                return result
            case .unknown(let why):
                features.insert("firewall-unknown")
                return Partial(outcome: .unknown, reason: why)
            }
        } else {
            features.insert("trusted-redirection")
            var ignored = Set<String>()
            if case .pass = firewall(name, vpc: vpc, features: &ignored) {} else { features.insert("trusted-redirection-skips-a-rule") }
        }

        // §34a: Resolver rules in force, a missing one makes every answer unknown.
        let (rules, missing) = rulesInForce(for: vpc)
        if let missing {
            features.insert("missing-rule")
            return Partial(outcome: .unknown, reason: "rule \(missing) associated but not in the snapshot")
        }

        // Candidates.
        let zoneMatches = privateZones(matching: name, vpc: vpc)
        let both = vpc.dnsSupport == true && vpc.dnsHostnames == true
        // §34: a missing attribute leaves the EC2 domains undecided unless the other one is false.
        let attributesMissing = (vpc.dnsSupport == nil || vpc.dnsHostnames == nil) && vpc.dnsSupport != false && vpc.dnsHostnames != false
        let ec2Domains = autoDefinedDomains(of: vpc)
        var candidates: [Candidate] = []
        for rule in rules where Self.isAtOrBelow(name, rule.domainName) {
            candidates.append(Candidate(domain: rule.domainName, rank: 2, kind: .rule(rule)))
        }
        for zone in zoneMatches.associated {
            candidates.append(Candidate(domain: zone.name, rank: 1, kind: .zone(zone)))
        }
        if both {
            for domain in ec2Domains where Self.isAtOrBelow(name, domain) {
                candidates.append(Candidate(domain: domain, rank: 0, kind: .autoDefined(domain)))
            }
        }
        var winner = Self.best(candidates)
        if let chosen = winner, case .rule(let rule) = chosen.kind, rule.kind == .system {
            features.insert("system-rule")
            winner = Self.best(candidates.filter { $0.rank != 2 })
        }

        // §31: an undetermined zone at least as specific as the winner.
        let winnerDepth = winner.map { Self.labels($0.domain).count } ?? -1
        if zoneMatches.undetermined.contains(where: { Self.labels($0.name).count >= winnerDepth }) {
            features.insert("undetermined-zone")
            return Partial(outcome: .unknown, reason: "a matching zone's associations are not exported")
        }

        guard let winner else {
            // §34: names under the VPC's EC2 domains with attributes missing are unknown.
            if attributesMissing && ec2Domains.contains(where: { Self.isAtOrBelow(name, $0) }) {
                features.insert("ec2-attributes-missing")
                return Partial(outcome: .unknown, reason: "DNS attributes missing for an EC2 domain")
            }
            return internetResolver(name, vpc: vpc, unassociated: zoneMatches.unassociated, features: &features)
        }
        switch winner.kind {
        case .rule(let rule):
            features.insert(rule.domainName == "." ? "forward-root" : "forward-rule")
            return Partial(outcome: .unknown, reason: "forwarded by \(rule.id)")
        case .autoDefined(let domain):
            return ec2Answer(name, domain: domain, vpc: vpc, features: &features)
        case .zone(let zone):
            if zoneMatches.shared.contains(zone.id) { features.insert("profile-zone") }
            if ec2Domains.contains(where: { Self.isAtOrBelow(name, $0) }) && both { features.insert("zone-beats-ec2") }
            guard both else {
                features.insert(attributesMissing ? "zone-attributes-missing" : "zone-hostnames-off")
                return Partial(outcome: .unknown, reason: "the zone needs both DNS attributes true")
            }
            return zoneAnswer(name, zone: zone, vpc: vpc, steps: steps, inspecting: inspecting, features: &features)
        }
    }

    struct Candidate {
        enum Kind { case rule(ResolverRule), zone(HostedZone), autoDefined(String) }
        var domain: String
        /// On equal domains a rule (2) beats a zone (1), which beats an auto-defined domain (0).
        var rank: Int
        var kind: Kind
    }

    static func best(_ candidates: [Candidate]) -> Candidate? {
        candidates.max { a, b in
            let (la, lb) = (labels(a.domain).count, labels(b.domain).count)
            return la != lb ? la < lb : a.rank < b.rank
        }
    }

    // MARK: - §34a Resolver rules and Profiles

    /// Profiles associated with the VPC (`COMPLETE`).
    func profiles(of vpc: VPC) -> [String] {
        snapshot.resolver.profileAssociations.filter { $0.vpcID == vpc.id && $0.status == "COMPLETE" }.map(\.profileID)
    }

    func profileResources(of vpc: VPC) -> [ProfileResource] {
        profiles(of: vpc).flatMap { snapshot.resolver.profileResources[$0] ?? [] }
    }

    func rulesInForce(for vpc: VPC) -> (rules: [ResolverRule], missing: String?) {
        var ids = snapshot.resolver.ruleAssociations.filter { $0.vpcID == vpc.id && $0.status == "COMPLETE" }.map(\.ruleID)
        ids += profileResources(of: vpc).filter { $0.kind == .resolverRule }.map(\.resourceID)
        var rules: [ResolverRule] = []
        for id in ids {
            guard let rule = snapshot.resolver.rules[id] else {
                if id.hasPrefix("rslvr-autodefined-") { continue }
                return ([], id)
            }
            guard rule.status == "COMPLETE", rule.kind != .recursive else { continue }
            rules.append(rule)
        }
        return (rules, nil)
    }

    // MARK: - §31 zones

    struct ZoneMatches {
        var associated: [HostedZone] = []
        var unassociated: [HostedZone] = []
        var undetermined: [HostedZone] = []
        var shared: Set<String> = []
    }

    func privateZones(matching name: String, vpc: VPC) -> ZoneMatches {
        let shared = Set(profileResources(of: vpc).filter { $0.kind == .hostedZone }.map(\.resourceID))
        var result = ZoneMatches(shared: shared)
        for zone in snapshot.hostedZones.values.sorted(by: { $0.id < $1.id }) where zone.isPrivate && Self.isAtOrBelow(name, zone.name) {
            if shared.contains(zone.id) || zone.vpcAssociations?.contains(where: { $0.vpcID == vpc.id }) == true {
                result.associated.append(zone)
            } else if zone.vpcAssociations == nil {
                result.undetermined.append(zone)
            } else {
                result.unassociated.append(zone)
            }
        }
        return result
    }

    // MARK: - §34 auto-defined EC2 domains and the internet resolver

    static func ec2Domains(ofRegion region: String) -> [String] {
        region == "us-east-1" ? ["ec2.internal.", "compute-1.internal."] : ["\(region).compute.internal."]
    }

    /// The auto-defined domains the VPC has when both attributes are true: its Region's and those
    /// of the VPCs it has an active peering with.
    func autoDefinedDomains(of vpc: VPC) -> [String] {
        var regions: [String] = []
        if let region = vpc.placement.region { regions.append(region) }
        for peering in snapshot.peeringConnections.values where peering.status == "active" {
            let other: PeeringSide
            if peering.requester.vpcID == vpc.id { other = peering.accepter } else if peering.accepter.vpcID == vpc.id { other = peering.requester } else { continue }
            if let region = snapshot.vpcs[other.vpcID]?.placement.region ?? other.region { regions.append(region) }
        }
        var domains: [String] = []
        for region in regions { for domain in Self.ec2Domains(ofRegion: region) where !domains.contains(domain) { domains.append(domain) } }
        return domains
    }

    func ec2Answer(_ name: String, domain: String, vpc: VPC, features: inout Set<String>) -> Partial {
        let prefix = name == domain ? "" : String(name.dropLast(domain.count + 1))
        if !prefix.contains("."), prefix.hasPrefix("ip-"), let address = Self.parseIPv4(prefix.dropFirst(3).split(separator: "-", omittingEmptySubsequences: false).joined(separator: ".")) {
            let inVPC = vpc.cidrBlocks.contains { $0.range.contains(address) }
            if inVPC || Self.isRFC1918(address) {
                features.insert(Self.isRFC1918(address) ? "ec2-address" : "ec2-address-own-nonprivate")
                if !Self.ec2Domains(ofRegion: vpc.placement.region ?? "").contains(domain) { features.insert("ec2-peer-region") }
                return Partial(outcome: .addresses([address]), reason: "EC2 hostname in the VPC or RFC 1918 space")
            }
            features.insert("ec2-public-unknown")
            return Partial(outcome: .unknown, reason: "EC2 hostname outside the VPC and RFC 1918")
        }
        features.insert("ec2-resource-unknown")
        return Partial(outcome: .unknown, reason: "not an IP-based EC2 hostname")
    }

    func internetResolver(_ name: String, vpc: VPC, unassociated: [HostedZone], features: inout Set<String>) -> Partial {
        if name.hasSuffix(".compute.internal.") || Self.isAtOrBelow(name, "ec2.internal.") || Self.isAtOrBelow(name, "compute-1.internal.") {
            features.insert("ec2-nxdomain")
            return Partial(outcome: .nxdomain, component: vpc.id, reason: "EC2 hostname of a domain the VPC does not have")
        }
        let labels = Self.labels(name)
        if let last = labels.last, Self.reservedTopLevelDomains.contains(String(last)) || Self.isAtOrBelow(name, "home.arpa.") {
            features.insert(unassociated.isEmpty ? "reserved-tld" : "unassociated-zone")
            let deepest = unassociated.map { Self.labels($0.name).count }.max()
            let zones = unassociated.filter { Self.labels($0.name).count == deepest }
            // Two unassociated zones of the same name: the spec does not say which one is named.
            let component: String? = zones.isEmpty ? String(name.dropLast()) : zones.count == 1 ? zones[0].id : nil
            return Partial(outcome: .nxdomain, component: component, reason: "reserved top-level domain")
        }
        features.insert("public-unknown")
        return Partial(outcome: .unknown, reason: "public DNS")
    }

    // MARK: - §34b DNS Firewall

    enum FirewallVerdict { case pass(trust: Bool), block(String), override(String), unknown(String) }

    func firewall(_ name: String, vpc: VPC, features: inout Set<String>) -> FirewallVerdict {
        var groups: [(priority: Int, id: String)] = snapshot.resolver.firewallAssociations
            .filter { $0.vpcID == vpc.id && ($0.status == "COMPLETE" || $0.status == "UPDATING") }
            .map { ($0.priority, $0.groupID) }
        let shared = profileResources(of: vpc).filter { $0.kind == .firewallRuleGroup }
        groups += shared.map { ($0.priority ?? Int.max, $0.resourceID) }
        groups.sort { $0.priority != $1.priority ? $0.priority < $1.priority : $0.id < $1.id }
        for group in groups {
            guard let rules = snapshot.resolver.firewallRules[group.id] else {
                return .unknown("rule group \(group.id) not exported")
            }
            for rule in rules.sorted(by: { $0.priority < $1.priority }) {
                if let type = rule.queryType, type != "A" { continue }
                guard let listID = rule.domainListID else { return .unknown("threat-protection rule in \(group.id)") }
                guard let domains = snapshot.resolver.firewallDomains[listID] else { return .unknown("domain list \(listID) not exported") }
                guard domains.contains(where: { Self.firewallEntry($0, matches: name) }) else { continue }
                if shared.contains(where: { $0.resourceID == group.id }) { features.insert("profile-firewall") }
                switch rule.action {
                case .allow, .alert:
                    features.insert(rule.action == .allow ? "firewall-allow" : "firewall-alert")
                    return .pass(trust: rule.trustsRedirection)
                case .block:
                    switch rule.blockResponse {
                    case .override?:
                        return .override(rule.overrideDomain ?? ".")
                    default:
                        return .block(group.id)
                    }
                }
            }
        }
        return .pass(trust: false)
    }

    static func firewallEntry(_ raw: String, matches name: String) -> Bool {
        let entry = canonical(raw)
        if entry == "*." { return true }
        if entry.hasPrefix("*.") { return isStrictlyBelow(name, String(entry.dropFirst(2))) }
        return entry == name
    }

    // MARK: - §33, §35 records

    func zoneAnswer(_ name: String, zone: HostedZone, vpc: VPC, steps: Int, inspecting: Bool, features: inout Set<String>) -> Partial {
        guard let sets = zone.recordSets else {
            return Partial(outcome: .unknown, reason: "records of \(zone.id) not exported")
        }
        func exists(_ candidate: String) -> Bool {
            sets.contains { Self.isAtOrBelow($0.name, candidate) }
        }
        let owned: [ResourceRecordSet]
        if exists(name) {
            owned = sets.filter { $0.name == name }
            if owned.isEmpty { features.insert("empty-non-terminal") }
        } else if name == zone.name {
            owned = []
        } else {
            // The closest encloser: the nearest existing ancestor, the apex at the latest.
            var encloser = Self.parent(name) ?? zone.name
            while encloser != zone.name && !exists(encloser) {
                encloser = Self.parent(encloser) ?? zone.name
            }
            owned = sets.filter { $0.name == "*." + encloser }
            if !owned.isEmpty { features.insert("wildcard") }
        }
        var chosen = owned.filter { $0.type == "A" }
        if chosen.isEmpty { chosen = owned.filter { $0.type == "CNAME" } }
        if chosen.isEmpty {
            features.insert(owned.isEmpty ? "zone-nxdomain" : "nodata")
            return Partial(outcome: .nxdomain, component: zone.id, reason: "no A or CNAME record for \(name) in \(zone.id)")
        }
        let selected = select(chosen, region: vpc.placement.region, features: &features)
        if selected.isEmpty {
            return Partial(outcome: .nxdomain, component: zone.id, reason: "geolocation: no location holds the Region, no default")
        }
        var addresses = Set<UInt32>()
        var anyAddress = false
        var failure: Partial?
        var unknown: Partial?
        for set in selected {
            let result: Partial
            if let target = set.aliasTarget {
                features.insert("alias")
                guard let targetZone = set.aliasZoneID.flatMap({ snapshot.hostedZones[$0] }) else {
                    features.insert("alias-outside")
                    result = Partial(outcome: .unknown, reason: "alias target outside the snapshot")
                    unknown = unknown ?? result
                    continue
                }
                guard steps + 1 <= Self.maximumSteps else {
                    features.insert("chain-limit")
                    unknown = unknown ?? Partial(outcome: .unknown, reason: "chain longer than 16 steps")
                    continue
                }
                result = zoneAnswer(Self.canonical(target), zone: targetZone, vpc: vpc, steps: steps + 1, inspecting: inspecting, features: &features)
            } else if set.type == "A" {
                var values = Set<UInt32>()
                var bad = false
                for value in set.values {
                    if let address = Self.parseIPv4(value) { values.insert(address) } else { bad = true }
                }
                if bad {
                    features.insert("non-ipv4")
                    result = Partial(outcome: .unknown, reason: "a value is not an IPv4 address")
                } else {
                    features.insert("plain-a")
                    result = Partial(outcome: .addresses(values), reason: "A record")
                }
            } else {
                features.insert("cname")
                guard steps + 1 <= Self.maximumSteps else {
                    features.insert("chain-limit")
                    unknown = unknown ?? Partial(outcome: .unknown, reason: "chain longer than 16 steps")
                    continue
                }
                guard let value = set.values.first else { continue }
                result = lookup(Self.canonical(value), vpc: vpc, steps: steps + 1, inspecting: inspecting, features: &features)
            }
            switch result.outcome {
            case .addresses(let found):
                anyAddress = true
                addresses.formUnion(found)
            case .unknown:
                unknown = unknown ?? result
            case .nxdomain, .resolverDisabled, .firewallBlock:
                failure = failure ?? result
            }
        }
        if var unknown {
            unknown.direct = false
            return unknown
        }
        if anyAddress {
            if failure != nil { features.insert("union-drops-failure") }
            return Partial(outcome: .addresses(addresses), reason: "records of \(zone.id)")
        }
        if var failure {
            failure.direct = false
            return failure
        }
        return Partial(outcome: .unknown, reason: "no set yields anything", direct: false)
    }

    /// §35: the record sets of one name and type that may answer from `region`.
    func select(_ sets: [ResourceRecordSet], region: String?, features: inout Set<String>) -> [ResourceRecordSet] {
        func policy(_ set: ResourceRecordSet) -> String {
            switch set.routing {
            case .simple: "simple"
            case .multivalue: "multivalue"
            case .weighted: "weighted"
            case .failover: "failover"
            case .latency: "latency"
            case .geolocation: "geolocation"
            case .other: "other"
            }
        }
        let policies = Set(sets.map(policy))
        guard policies.count == 1, let only = policies.first else { return sets }
        switch only {
        case "weighted":
            let weights = sets.map { set -> Int in
                if case .weighted(let weight) = set.routing { return weight }
                return 0
            }
            if sets.contains(where: \.isHealthChecked) {
                if weights.contains(0) && weights.contains(where: { $0 > 0 }) { features.insert("weighted-health-keeps-zero") }
                return sets
            }
            let positive = zip(sets, weights).filter { $0.1 > 0 }.map(\.0)
            if positive.isEmpty {
                features.insert("weighted-all-zero")
                return sets
            }
            if positive.count < sets.count { features.insert("weighted-zero-dropped") }
            return positive
        case "failover":
            // The PRIMARY alone when it has no health check (always healthy), else both.
            let primaries = sets.filter { $0.routing == .failover(primary: true) }
            if !primaries.isEmpty && !primaries.contains(where: \.isHealthChecked) {
                if primaries.count < sets.count { features.insert("failover-primary-alone") }
                return primaries
            }
            features.insert("failover-both")
            return sets
        case "latency":
            guard let region else { return sets }
            let local = sets.filter { if case .latency(let r) = $0.routing { return r == region } else { return false } }
            if local.isEmpty {
                features.insert("latency-none-local")
                return sets
            }
            if local.count < sets.count { features.insert("latency-choice") }
            return local
        case "geolocation":
            guard let region, let origin = Self.regionLocations[region] else { return sets }
            var ranked: [(Int, ResourceRecordSet)] = []
            for set in sets {
                guard case .geolocation(let location) = set.routing else { continue }
                let score: Int?
                if location.country == "*" {
                    score = 0
                } else if let subdivision = location.subdivision {
                    score = location.country == origin.country && subdivision == origin.subdivision ? 3 : nil
                } else if let country = location.country {
                    score = country == origin.country ? 2 : nil
                } else if let continent = location.continent {
                    score = continent == origin.continent ? 1 : nil
                } else {
                    score = nil
                }
                if let score { ranked.append((score, set)) }
            }
            guard let top = ranked.map(\.0).max() else {
                features.insert("geolocation-none")
                return []
            }
            let best = ranked.filter { $0.0 == top }.map(\.1)
            if best.count < sets.count { features.insert("geolocation-choice") }
            if top == 0 { features.insert("geolocation-default") }
            return best
        default:
            if only == "multivalue" { features.insert("multivalue") }
            return sets
        }
    }
}
