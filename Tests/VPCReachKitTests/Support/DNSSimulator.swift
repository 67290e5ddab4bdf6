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
    /// §35: at most this many record sets followed per resolution.
    static let lookupBudget = 1000
    static let reservedTopLevelDomains: Set<String> = ["internal", "local", "localhost", "test", "invalid", "example"]

    /// Where each Region is, for geolocation records (continent, country, subdivision).
    static let regionLocations: [String: (continent: String, country: String, subdivision: String?)] = [
        "eu-west-1": ("EU", "IE", nil), "us-east-1": ("NA", "US", "VA"), "eu-central-1": ("EU", "DE", nil),
        "ap-southeast-2": ("OC", "AU", nil),
    ]

    enum FailureCode: String, Hashable, Comparable {
        case nxdomain = "NXDOMAIN"
        case resolverDisabled = "RESOLVER_DISABLED"
        case firewallBlock = "FIREWALL_BLOCK"

        static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
    }

    enum Outcome: Hashable, CustomStringConvertible {
        /// The name resolves to these addresses; `alsoFails`: some lookups fail instead (§35), with
        /// this code.
        case addresses(Set<UInt32>, alsoFails: FailureCode?)
        case failure(FailureCode)
        case unknown

        var description: String {
            switch self {
            case .addresses(let set, let fails):
                "addresses \(set.sorted().map(DNSSimulator.dotted).joined(separator: ","))"
                    + (fails.map { " + some lookups \($0.rawValue)" } ?? "")
            case .failure(let code): code.rawValue
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
        /// Every code a failure of the outcome may carry: the spec says which sets fail, not which
        /// of several failing sets' codes the answer names.
        var failureCodes: Set<FailureCode> = []
    }

    /// One branch's result while resolving.
    struct Partial {
        var outcome: Outcome
        var component: String?
        var reason: String
        /// Whether the result is about the queried name itself (no CNAME, alias or override followed).
        var direct: Bool = true
        /// The codes of the failing sets behind a failure or `alsoFails`.
        var failureCodes: Set<FailureCode> = []

        static func failure(_ code: FailureCode, component: String?, reason: String, direct: Bool = true) -> Partial {
            Partial(outcome: .failure(code), component: component, reason: reason, direct: direct, failureCodes: [code])
        }

        static func unknown(_ reason: String, direct: Bool = true) -> Partial {
            Partial(outcome: .unknown, reason: reason, direct: direct)
        }
    }

    /// What one resolution carries along: the deciding features and the record sets followed.
    struct State {
        var features: Set<String> = []
        var lookups = 0
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
            guard (1...3).contains(part.count), part.allSatisfy({ $0.isASCII && $0.isNumber }),
                let octet = UInt32(part), octet <= 255
            else { return nil }
            value = value << 8 | octet
        }
        return value
    }

    static func isRFC1918(_ address: UInt32) -> Bool {
        address >> 24 == 10 || address >> 20 == (172 << 4 | 1) || address >> 16 == (192 << 8 | 168)
    }

    // MARK: - Statuses (§34a)

    /// §34a, written from the text: `COMPLETE`, `UPDATING`, `DELETING` are in force; `CREATING`,
    /// `FAILED`, `DELETED` are not; any other status is not known (`nil`).
    static func inForce(_ status: String) -> Bool? {
        switch status {
        case "COMPLETE", "UPDATING", "DELETING": true
        case "CREATING", "FAILED", "DELETED": false
        default: nil
        }
    }

    /// "Every status on the way is in force": false as soon as one is not, else unknown as soon as
    /// one is unknown.
    static func all(_ values: Bool?...) -> Bool? {
        if values.contains(false) { return false }
        if values.contains(where: { $0 == nil }) { return nil }
        return true
    }

    // MARK: - Entry point

    func resolve(_ query: String, fromVPC vpcID: String?) -> Answer {
        var state = State()
        guard let vpcID, let vpc = snapshot.vpcs[vpcID] else {
            state.features.insert("source-outside")
            return Answer(
                outcome: .unknown, component: nil, reason: "source outside every snapshot VPC: public DNS",
                features: state.features)
        }
        // §32: who answers.
        let servers = servers(of: vpc)
        switch servers {
        case .custom:
            state.features.insert("dhcp-custom")
            return Answer(outcome: .unknown, component: nil, reason: "custom DNS servers", features: state.features)
        case .none:
            state.features.insert("dhcp-no-server")
            return Answer(
                outcome: .unknown, component: nil, reason: "DHCP gives no DNS server", features: state.features)
        case .resolver(let known):
            if !known { state.features.insert("dhcp-assumed") }
            if vpc.dnsSupport == false {
                if known {
                    state.features.insert("resolver-disabled")
                    return Answer(
                        outcome: .failure(.resolverDisabled), component: vpc.id, reason: "enableDnsSupport false",
                        features: state.features,
                        failureCodes: [.resolverDisabled])
                }
                state.features.insert("dns-support-off-unknown")
                return Answer(
                    outcome: .unknown, component: nil, reason: "enableDnsSupport false, DHCP options not exported",
                    features: state.features)
            }
        }
        // §34a: a Profile associated with the VPC whose resources are not exported.
        if let profile = profileLinks(of: vpc).first(where: { $0.status != false && !$0.exported }) {
            state.features.insert("profile-unexported")
            return Answer(
                outcome: .unknown, component: nil, reason: "Profile \(profile.id)'s resources are not exported",
                features: state.features)
        }
        let partial = lookup(Self.canonical(query), vpc: vpc, steps: 0, inspecting: true, state: &state)
        return Answer(
            outcome: partial.outcome, component: partial.direct ? partial.component : nil, reason: partial.reason,
            features: state.features,
            failureCodes: partial.failureCodes)
    }

    enum Servers {
        case resolver(known: Bool)
        case custom, none
    }

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

    func lookup(_ name: String, vpc: VPC, steps: Int, inspecting: Bool, state: inout State) -> Partial {
        var inspecting = inspecting
        if inspecting {
            switch firewall(name, vpc: vpc, state: &state) {
            case .pass(let trust):
                if trust { inspecting = false }
            case .block(let group):
                state.features.insert(steps == 0 ? "firewall-block" : "firewall-block-in-chain")
                return .failure(.firewallBlock, component: group, reason: "DNS Firewall \(group) blocks \(name)")
            case .override(let target):
                state.features.insert("firewall-override")
                guard steps + 1 <= Self.maximumSteps else {
                    state.features.insert("chain-limit")
                    return .unknown("chain longer than 16 steps", direct: false)
                }
                var result = lookup(Self.canonical(target), vpc: vpc, steps: steps + 1, inspecting: true, state: &state)
                result.direct = false
                return result
            case .unknown(let why, let feature):
                state.features.insert(feature)
                return .unknown(why)
            }
        } else {
            state.features.insert("trusted-redirection")
            var ignored = State()
            if case .pass = firewall(name, vpc: vpc, state: &ignored) {
            } else {
                state.features.insert("trusted-redirection-skips-a-rule")
            }
        }

        // §34a: Resolver rules and Profile zones in force; a missing rule or a status not known
        // makes every answer unknown.
        let configuration = configuration(of: vpc)
        if let unknown = configuration.unknown {
            state.features.insert(unknown.feature)
            return .unknown(unknown.reason)
        }
        let rules = configuration.rules
        if configuration.skippedRules.contains(where: { rules[$0.id] == nil && Self.isAtOrBelow(name, $0.domainName) })
        {
            state.features.insert("rule-not-in-force")
        }

        // Candidates.
        let zoneMatches = privateZones(matching: name, vpc: vpc, configuration: configuration)
        if configuration.skippedZones.contains(where: { zone in zoneMatches.unassociated.contains { $0.id == zone } }) {
            state.features.insert("profile-zone-not-in-force")
        }
        let both = vpc.dnsSupport == true && vpc.dnsHostnames == true
        // §34: a missing attribute leaves the EC2 domains undecided unless the other one is false.
        let attributesMissing =
            (vpc.dnsSupport == nil || vpc.dnsHostnames == nil) && vpc.dnsSupport != false && vpc.dnsHostnames != false
        let ec2 = autoDefinedDomains(of: vpc)
        var candidates: [Candidate] = []
        for rule in rules.values.sorted(by: { $0.rule.id < $1.rule.id })
        where Self.isAtOrBelow(name, rule.rule.domainName) {
            candidates.append(
                Candidate(domain: rule.rule.domainName, rank: 2, kind: .rule(rule.rule), notComplete: rule.notComplete))
        }
        for zone in zoneMatches.associated {
            candidates.append(
                Candidate(
                    domain: zone.name, rank: 1, kind: .zone(zone),
                    notComplete: configuration.zonesNotComplete.contains(zone.id)))
        }
        if both {
            for domain in ec2.certain where Self.isAtOrBelow(name, domain) {
                candidates.append(Candidate(domain: domain, rank: 0, kind: .autoDefined(domain), notComplete: false))
            }
        }
        var winner = Self.best(candidates)
        // §34: two candidates of the same kind for the same domain: no documented precedence.
        func tie(_ winner: Candidate?, among candidates: [Candidate]) -> Partial? {
            guard let winner else { return nil }
            let alike = candidates.filter {
                Self.labels($0.domain).count == Self.labels(winner.domain).count && $0.rank == winner.rank
            }
            guard alike.count > 1 else { return nil }
            state.features.insert(winner.rank == 2 ? "tie-rule" : "tie-zone")
            return .unknown("two candidates of the same kind for \(winner.domain)")
        }
        if let unknown = tie(winner, among: candidates) { return unknown }
        if let chosen = winner, case .rule(let rule) = chosen.kind, rule.kind == .system {
            state.features.insert("system-rule")
            if chosen.notComplete { state.features.insert("in-force-not-complete") }
            let rest = candidates.filter { $0.rank != 2 }
            winner = Self.best(rest)
            if let unknown = tie(winner, among: rest) { return unknown }
        }

        // §31: an undetermined zone at least as specific as the winner.
        let winnerDepth = winner.map { Self.labels($0.domain).count } ?? -1
        if zoneMatches.undetermined.contains(where: { Self.labels($0.name).count >= winnerDepth }) {
            state.features.insert("undetermined-zone")
            return .unknown("a matching zone's associations are not exported")
        }
        // §34: a peering whose DNS option or peer attributes are not known: that Region's domains
        // may exist, and would win when more specific than the winner.
        if both && ec2.uncertain.contains(where: { Self.isAtOrBelow(name, $0) && Self.labels($0).count > winnerDepth })
        {
            state.features.insert("peer-dns-unknown")
            return .unknown("a peering's DNS option or peer attributes are not known")
        }

        guard let winner else {
            // §34: names under the VPC's EC2 domains with attributes missing are unknown.
            if attributesMissing && (ec2.certain + ec2.uncertain).contains(where: { Self.isAtOrBelow(name, $0) }) {
                state.features.insert("ec2-attributes-missing")
                return .unknown("DNS attributes missing for an EC2 domain")
            }
            return internetResolver(
                name, vpc: vpc, unassociated: zoneMatches.unassociated, peersOff: ec2.off, state: &state)
        }
        if winner.notComplete { state.features.insert("in-force-not-complete") }
        switch winner.kind {
        case .rule(let rule):
            state.features.insert(rule.domainName == "." ? "forward-root" : "forward-rule")
            return .unknown("forwarded by \(rule.id)")
        case .autoDefined(let domain):
            return ec2Answer(name, domain: domain, vpc: vpc, state: &state)
        case .zone(let zone):
            if zoneMatches.shared.contains(zone.id) { state.features.insert("profile-zone") }
            if ec2.certain.contains(where: { Self.isAtOrBelow(name, $0) }) && both {
                state.features.insert("zone-beats-ec2")
            }
            guard both else {
                state.features.insert(attributesMissing ? "zone-attributes-missing" : "zone-hostnames-off")
                return .unknown("the zone needs both DNS attributes true")
            }
            return zoneAnswer(name, zone: zone, vpc: vpc, steps: steps, inspecting: inspecting, state: &state)
        }
    }

    struct Candidate {
        enum Kind {
            case rule(ResolverRule)
            case zone(HostedZone)
            case autoDefined(String)
        }
        var domain: String
        /// On equal domains a rule (2) beats a zone (1), which beats an auto-defined domain (0).
        var rank: Int
        var kind: Kind
        /// In force through an `UPDATING` or `DELETING` status somewhere on the way.
        var notComplete: Bool
    }

    static func best(_ candidates: [Candidate]) -> Candidate? {
        candidates.max { a, b in
            let (la, lb) = (labels(a.domain).count, labels(b.domain).count)
            return la != lb ? la < lb : a.rank < b.rank
        }
    }

    // MARK: - §34a Resolver rules and Profiles

    /// A Profile associated with the VPC: the association's status in force (or not, or unknown)
    /// and whether its resources are in the snapshot (a file named after it, or rows naming it).
    struct ProfileLink {
        var id: String
        var status: Bool?
        var statusText: String
        var exported: Bool
        var resources: [ProfileResource]
    }

    func profileLinks(of vpc: VPC) -> [ProfileLink] {
        snapshot.resolver.profileAssociations.filter { $0.vpcID == vpc.id }.map { association in
            let rows = snapshot.resolver.profileResources[association.profileID] ?? []
            return ProfileLink(
                id: association.profileID, status: Self.inForce(association.status), statusText: association.status,
                exported: snapshot.resolver.exportedProfileResources.contains(association.profileID) || !rows.isEmpty,
                resources: rows)
        }
    }

    /// What §34a gives a VPC: its rules in force, the zones its Profile shares, or why every answer
    /// is unknown.
    struct Configuration {
        var rules: [String: (rule: ResolverRule, notComplete: Bool)] = [:]
        var skippedRules: [ResolverRule] = []
        var sharedZones: Set<String> = []
        var zonesNotComplete: Set<String> = []
        var skippedZones: Set<String> = []
        var unknown: (reason: String, feature: String)?
    }

    func configuration(of vpc: VPC) -> Configuration {
        var result = Configuration()
        // Every way a rule reaches the VPC: its status along the way, and whether all of it is COMPLETE.
        var paths: [(ruleID: String, status: Bool?, complete: Bool)] = snapshot.resolver.ruleAssociations.filter {
            $0.vpcID == vpc.id
        }.map {
            ($0.ruleID, Self.inForce($0.status), $0.status == "COMPLETE")
        }
        for link in profileLinks(of: vpc) {
            for resource in link.resources {
                let status = Self.all(link.status, Self.inForce(resource.status))
                let complete = link.statusText == "COMPLETE" && resource.status == "COMPLETE"
                switch resource.kind {
                case .resolverRule:
                    paths.append((resource.resourceID, status, complete))
                case .hostedZone:
                    switch status {
                    case true?:
                        result.sharedZones.insert(resource.resourceID)
                        if !complete { result.zonesNotComplete.insert(resource.resourceID) }
                    case false?:
                        result.skippedZones.insert(resource.resourceID)
                    case nil:
                        result.unknown =
                            result.unknown
                            ?? (
                                "zone \(resource.resourceID) shared by \(link.id) in a status not known",
                                "status-unknown"
                            )
                    }
                case .firewallRuleGroup, .other:
                    break
                }
            }
        }
        for path in paths {
            guard let rule = snapshot.resolver.rules[path.ruleID] else {
                if path.ruleID.hasPrefix("rslvr-autodefined-") || path.status == false { continue }
                result.unknown =
                    result.unknown ?? ("rule \(path.ruleID) associated but not in the snapshot", "missing-rule")
                continue
            }
            switch Self.all(path.status, Self.inForce(rule.status)) {
            case false?:
                result.skippedRules.append(rule)
            case nil:
                result.unknown = result.unknown ?? ("rule \(rule.id) in a status not known", "status-unknown")
            case true?:
                guard rule.kind != .recursive else { continue }
                let notComplete = !path.complete || rule.status != "COMPLETE"
                if let known = result.rules[rule.id] {
                    result.rules[rule.id] = (rule, known.notComplete && notComplete)
                } else {
                    result.rules[rule.id] = (rule, notComplete)
                }
            }
        }
        return result
    }

    // MARK: - §31 zones

    struct ZoneMatches {
        var associated: [HostedZone] = []
        var unassociated: [HostedZone] = []
        var undetermined: [HostedZone] = []
        var shared: Set<String> = []
    }

    func privateZones(matching name: String, vpc: VPC, configuration: Configuration) -> ZoneMatches {
        let shared = configuration.sharedZones
        var result = ZoneMatches(shared: shared)
        for zone in snapshot.hostedZones.values.sorted(by: { $0.id < $1.id })
        where zone.isPrivate && Self.isAtOrBelow(name, zone.name) {
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

    /// The auto-defined domains the VPC has when both attributes are true (`certain`): its Region's
    /// and those of the VPCs it has an active peering with that allows DNS resolution from it (the
    /// peer side's option) to a peer with both attributes on; `uncertain`: the Regions of peerings
    /// where the snapshot lacks the option or a peer attribute; `off`: those where one is off.
    func autoDefinedDomains(of vpc: VPC) -> (certain: [String], uncertain: [String], off: [String]) {
        var certain: [String] = []
        var uncertain: [String] = []
        var off: [String] = []
        if let region = vpc.placement.region { certain += Self.ec2Domains(ofRegion: region) }
        for peering in snapshot.peeringConnections.values.sorted(by: { $0.id < $1.id }) where peering.status == "active"
        {
            let other: PeeringSide
            if peering.requester.vpcID == vpc.id {
                other = peering.accepter
            } else if peering.accepter.vpcID == vpc.id {
                other = peering.requester
            } else {
                continue
            }
            let peer = snapshot.vpcs[other.vpcID]
            guard let region = peer?.placement.region ?? other.region else { continue }
            switch Self.all(other.allowsRemoteDNSResolution, peer?.dnsSupport, peer?.dnsHostnames) {
            case true?: certain += Self.ec2Domains(ofRegion: region)
            case nil: uncertain += Self.ec2Domains(ofRegion: region)
            case false?: off += Self.ec2Domains(ofRegion: region)
            }
        }
        func unique(_ list: [String]) -> [String] {
            var seen: [String] = []
            for item in list where !seen.contains(item) { seen.append(item) }
            return seen
        }
        certain = unique(certain)
        uncertain = unique(uncertain.filter { !certain.contains($0) })
        off = unique(off.filter { !certain.contains($0) && !uncertain.contains($0) })
        return (certain, uncertain, off)
    }

    func ec2Answer(_ name: String, domain: String, vpc: VPC, state: inout State) -> Partial {
        let prefix = name == domain ? "" : String(name.dropLast(domain.count + 1))
        if !prefix.contains("."), prefix.hasPrefix("ip-"),
            let address = Self.parseIPv4(
                prefix.dropFirst(3).split(separator: "-", omittingEmptySubsequences: false).joined(separator: "."))
        {
            let inVPC = vpc.cidrBlocks.contains { $0.range.contains(address) }
            if inVPC || Self.isRFC1918(address) {
                state.features.insert(Self.isRFC1918(address) ? "ec2-address" : "ec2-address-own-nonprivate")
                if !Self.ec2Domains(ofRegion: vpc.placement.region ?? "").contains(domain) {
                    state.features.insert("ec2-peer-region")
                }
                return Partial(
                    outcome: .addresses([address], alsoFails: nil), reason: "EC2 hostname in the VPC or RFC 1918 space")
            }
            state.features.insert("ec2-public-unknown")
            return .unknown("EC2 hostname outside the VPC and RFC 1918")
        }
        state.features.insert("ec2-resource-unknown")
        return .unknown("not an IP-based EC2 hostname")
    }

    func internetResolver(_ name: String, vpc: VPC, unassociated: [HostedZone], peersOff: [String], state: inout State)
        -> Partial
    {
        if name.hasSuffix(".compute.internal.") || Self.isAtOrBelow(name, "ec2.internal.")
            || Self.isAtOrBelow(name, "compute-1.internal.")
        {
            state.features.insert("ec2-nxdomain")
            if peersOff.contains(where: { Self.isAtOrBelow(name, $0) }) && vpc.dnsSupport == true
                && vpc.dnsHostnames == true
            {
                state.features.insert("peer-dns-off")
            }
            return .failure(.nxdomain, component: vpc.id, reason: "EC2 hostname of a domain the VPC does not have")
        }
        let labels = Self.labels(name)
        if let last = labels.last,
            Self.reservedTopLevelDomains.contains(String(last)) || Self.isAtOrBelow(name, "home.arpa.")
        {
            state.features.insert(unassociated.isEmpty ? "reserved-tld" : "unassociated-zone")
            let deepest = unassociated.map { Self.labels($0.name).count }.max()
            let zones = unassociated.filter { Self.labels($0.name).count == deepest }
            // Two unassociated zones of the same name: the spec does not say which one is named.
            let component: String? = zones.isEmpty ? String(name.dropLast()) : zones.count == 1 ? zones[0].id : nil
            return .failure(.nxdomain, component: component, reason: "reserved top-level domain")
        }
        state.features.insert("public-unknown")
        return .unknown("public DNS")
    }

    // MARK: - §34b DNS Firewall

    enum FirewallVerdict {
        case pass(trust: Bool)
        case block(String)
        case override(String)
        case unknown(String, feature: String)
    }

    func firewall(_ name: String, vpc: VPC, state: inout State) -> FirewallVerdict {
        // Rule groups whose status is in force: associated directly, or shared by the Profile.
        var groups: [(priority: Int, id: String, shared: Bool, complete: Bool)] = []
        for association in snapshot.resolver.firewallAssociations where association.vpcID == vpc.id {
            switch Self.inForce(association.status) {
            case true?:
                groups.append((association.priority, association.groupID, false, association.status == "COMPLETE"))
            case false?: continue
            case nil:
                return .unknown("rule group \(association.groupID) in a status not known", feature: "status-unknown")
            }
        }
        for link in profileLinks(of: vpc) {
            for resource in link.resources where resource.kind == .firewallRuleGroup {
                switch Self.all(link.status, Self.inForce(resource.status)) {
                case true?:
                    guard let priority = resource.priority else {
                        return .unknown(
                            "Profile rule group \(resource.resourceID) without a priority",
                            feature: "profile-firewall-no-priority")
                    }
                    groups.append(
                        (
                            priority, resource.resourceID, true,
                            link.statusText == "COMPLETE" && resource.status == "COMPLETE"
                        ))
                case false?: continue
                case nil:
                    return .unknown(
                        "Profile rule group \(resource.resourceID) in a status not known", feature: "status-unknown")
                }
            }
        }
        groups.sort { $0.priority != $1.priority ? $0.priority < $1.priority : $0.id < $1.id }
        for group in groups {
            let rules: [FirewallRule]
            if let listed = snapshot.resolver.firewallRules[group.id] {
                rules = listed
            } else if snapshot.resolver.exportedFirewallRuleGroups.contains(group.id) {
                // An empty list-firewall-rules output: no rules.
                state.features.insert("firewall-empty-group")
                rules = []
            } else {
                return .unknown("rule group \(group.id) not exported", feature: "firewall-unknown")
            }
            for rule in rules.sorted(by: { $0.priority < $1.priority }) {
                if let type = rule.queryType, type != "A" { continue }
                guard let listID = rule.domainListID else {
                    return .unknown("threat-protection rule in \(group.id)", feature: "firewall-unknown")
                }
                guard let domains = snapshot.resolver.firewallDomains[listID] else {
                    return .unknown("domain list \(listID) not exported", feature: "firewall-unknown")
                }
                guard domains.contains(where: { Self.firewallEntry($0, matches: name) }) else { continue }
                if group.shared { state.features.insert("profile-firewall") }
                if !group.complete { state.features.insert("firewall-in-force-not-complete") }
                switch rule.action {
                case .unmodelled:
                    return .unknown("an action this simulator does not model", feature: "firewall-unknown")
                case .allow, .alert:
                    state.features.insert(rule.action == .allow ? "firewall-allow" : "firewall-alert")
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

    func zoneAnswer(_ name: String, zone: HostedZone, vpc: VPC, steps: Int, inspecting: Bool, state: inout State)
        -> Partial
    {
        guard let sets = zone.recordSets else {
            return .unknown("records of \(zone.id) not exported")
        }
        func exists(_ candidate: String) -> Bool {
            sets.contains { Self.isAtOrBelow($0.name, candidate) }
        }
        let owned: [ResourceRecordSet]
        if exists(name) {
            owned = sets.filter { $0.name == name }
            if owned.isEmpty { state.features.insert("empty-non-terminal") }
        } else if name == zone.name {
            owned = []
        } else {
            // The closest encloser: the nearest existing ancestor, the apex at the latest.
            var encloser = Self.parent(name) ?? zone.name
            while encloser != zone.name && !exists(encloser) {
                encloser = Self.parent(encloser) ?? zone.name
            }
            owned = sets.filter { $0.name == "*." + encloser }
            if !owned.isEmpty { state.features.insert("wildcard") }
        }
        var chosen = owned.filter { $0.type == "A" }
        if chosen.isEmpty { chosen = owned.filter { $0.type == "CNAME" } }
        if chosen.isEmpty {
            state.features.insert(owned.isEmpty ? "zone-nxdomain" : "nodata")
            return .failure(.nxdomain, component: zone.id, reason: "no A or CNAME record for \(name) in \(zone.id)")
        }
        let selected = select(chosen, region: vpc.placement.region, state: &state)
        if selected.isEmpty {
            return .failure(
                .nxdomain, component: zone.id, reason: "geolocation: no location holds the Region, no default")
        }
        var addresses = Set<UInt32>()
        var anyAddress = false
        /// The first failing set, for an answer that is only the failure.
        var failure: Partial?
        /// Every failing set's codes; those of sets not health-checked (and of partial failures
        /// further down) make "some lookups fail".
        var allCodes = Set<FailureCode>()
        var partialCodes = Set<FailureCode>()
        var firstPartial: FailureCode?
        var healthSkipped = false
        for set in selected {
            state.lookups += 1
            guard state.lookups <= Self.lookupBudget else {
                state.features.insert("lookup-budget")
                return .unknown("more than \(Self.lookupBudget) lookups", direct: false)
            }
            let result: Partial
            if let target = set.aliasTarget {
                state.features.insert("alias")
                guard let targetZone = set.aliasZoneID.flatMap({ snapshot.hostedZones[$0] }) else {
                    state.features.insert("alias-outside")
                    return .unknown("alias target outside the snapshot", direct: false)
                }
                guard steps + 1 <= Self.maximumSteps else {
                    state.features.insert("chain-limit")
                    return .unknown("chain longer than 16 steps", direct: false)
                }
                result = zoneAnswer(
                    Self.canonical(target), zone: targetZone, vpc: vpc, steps: steps + 1, inspecting: inspecting,
                    state: &state)
            } else if set.values.isEmpty {
                // §35: a set with no value (NODATA) fails.
                state.features.insert("nodata-set")
                result = .failure(
                    .nxdomain, component: zone.id,
                    reason: "record set \(set.setIdentifier ?? set.name) has no value (NODATA)")
            } else if set.type == "A" {
                var values = Set<UInt32>()
                var bad = false
                for value in set.values {
                    if let address = Self.parseIPv4(value) { values.insert(address) } else { bad = true }
                }
                if bad {
                    state.features.insert("non-ipv4")
                    return .unknown("a value is not an IPv4 address", direct: false)
                }
                state.features.insert("plain-a")
                result = Partial(outcome: .addresses(values, alsoFails: nil), reason: "A record")
            } else {
                state.features.insert("cname")
                guard steps + 1 <= Self.maximumSteps else {
                    state.features.insert("chain-limit")
                    return .unknown("chain longer than 16 steps", direct: false)
                }
                result = lookup(
                    Self.canonical(set.values[0]), vpc: vpc, steps: steps + 1, inspecting: inspecting, state: &state)
            }
            switch result.outcome {
            case .addresses(let found, let fails):
                anyAddress = true
                addresses.formUnion(found)
                if let fails {
                    // Some lookups down this set's chain fail: so do some of this name's.
                    state.features.insert("nested-partial-failure")
                    firstPartial = firstPartial ?? fails
                    partialCodes.formUnion(result.failureCodes)
                }
            case .unknown:
                // Any unknown makes the answer unknown.
                var unknown = result
                unknown.direct = false
                return unknown
            case .failure:
                failure = failure ?? result
                allCodes.formUnion(result.failureCodes)
                if set.isHealthChecked {
                    healthSkipped = true
                } else {
                    if case .failure(let code) = result.outcome { firstPartial = firstPartial ?? code }
                    partialCodes.formUnion(result.failureCodes)
                }
            }
        }
        if anyAddress {
            if let firstPartial {
                if failure != nil { state.features.insert("partial-failure") }
                if selected.count > 1 && selected.allSatisfy({ if case .weighted = $0.routing { true } else { false } })
                    && failure != nil
                {
                    state.features.insert("partial-failure-weighted")
                }
                return Partial(
                    outcome: .addresses(addresses, alsoFails: firstPartial),
                    reason: "records of \(zone.id), some failing", direct: false,
                    failureCodes: partialCodes)
            }
            if healthSkipped { state.features.insert("failing-set-health-checked") }
            return Partial(outcome: .addresses(addresses, alsoFails: nil), reason: "records of \(zone.id)")
        }
        if var failure {
            failure.direct = false
            failure.failureCodes = allCodes
            return failure
        }
        return .unknown("no set yields anything", direct: false)
    }

    /// §35: the record sets of one name and type that may answer from `region`.
    func select(_ sets: [ResourceRecordSet], region: String?, state: inout State) -> [ResourceRecordSet] {
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
                if weights.contains(0) && weights.contains(where: { $0 > 0 }) {
                    state.features.insert("weighted-health-keeps-zero")
                }
                return sets
            }
            let positive = zip(sets, weights).filter { $0.1 > 0 }.map(\.0)
            if positive.isEmpty {
                state.features.insert("weighted-all-zero")
                return sets
            }
            if positive.count < sets.count { state.features.insert("weighted-zero-dropped") }
            return positive
        case "failover":
            // The PRIMARY alone when it has no health check (always healthy), else both.
            let primaries = sets.filter { $0.routing == .failover(primary: true) }
            if !primaries.isEmpty && !primaries.contains(where: \.isHealthChecked) {
                if primaries.count < sets.count { state.features.insert("failover-primary-alone") }
                return primaries
            }
            state.features.insert("failover-both")
            return sets
        case "latency":
            guard let region else { return sets }
            let local = sets.filter {
                if case .latency(let r) = $0.routing { return r == region } else { return false }
            }
            if local.isEmpty {
                state.features.insert("latency-none-local")
                return sets
            }
            // A health-checked local set may give way to the next closest: every set.
            if local.contains(where: \.isHealthChecked) {
                if local.count < sets.count { state.features.insert("latency-health-widens") }
                return sets
            }
            if local.count < sets.count { state.features.insert("latency-choice") }
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
                state.features.insert("geolocation-none")
                return []
            }
            let best = ranked.filter { $0.0 == top }.map(\.1)
            // A health-checked best match gives way to the less specific matches and the default.
            if best.contains(where: \.isHealthChecked) {
                if ranked.count > best.count { state.features.insert("geolocation-health-widens") }
                return ranked.map(\.1)
            }
            if best.count < sets.count { state.features.insert("geolocation-choice") }
            if top == 0 { state.features.insert("geolocation-default") }
            return best
        default:
            if only == "multivalue" { state.features.insert("multivalue") }
            return sets
        }
    }
}
