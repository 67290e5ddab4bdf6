import PacketSets

/// How a DNS name resolved from one VPC.
public enum DNSAnswer: Hashable, Sendable {
    /// The name resolves to these addresses; `steps` tells how (rules, zones, record sets, CNAMEs,
    /// aliases). `failure`: some lookups may fail instead (a record set of the name that Route 53
    /// may answer with leads nowhere), which a query must count as unreachable too.
    case addresses([IPv4Address], steps: [String], failure: DNSFailure?)
    /// The lookup fails, decided by the snapshot (NXDOMAIN, a disabled Resolver, a DNS Firewall block).
    case failure(DNSFailure)
    /// The snapshot cannot tell (public DNS, forwarded domains, missing exports).
    case unknown(String)
}

/// A lookup that fails, with what makes it fail.
public struct DNSFailure: Hashable, Sendable {
    /// Why the lookup fails.
    public enum Code: String, Hashable, Sendable {
        /// The name does not exist (or has no address record) where the Resolver looks.
        case nxdomain = "DNS_NXDOMAIN"
        /// The VPC's instances ask the Route 53 Resolver, which `enableDnsSupport` false turns off.
        case resolverDisabled = "DNS_RESOLVER_DISABLED"
        /// A DNS Firewall rule blocks the name.
        case firewallBlock = "DNS_FIREWALL_BLOCK"

        /// The code a query's blocker carries.
        public var explanationCode: ExplanationCode {
            switch self {
            case .nxdomain: .dnsNXDOMAIN
            case .resolverDisabled: .dnsResolverDisabled
            case .firewallBlock: .dnsFirewallBlock
            }
        }
    }
    public var code: Code
    /// The hosted zone, VPC or firewall rule group that decides, if any.
    public var component: String?
    /// Why, in one sentence.
    public var reason: String
    /// The change that would let the name resolve.
    public var fix: String
}

/// Resolves names as the Route 53 Resolver of a VPC would (docs/semantics.md §31-§35): the VPC's
/// DHCP options say whether its instances ask the Resolver at all; DNS Firewall may block the
/// name; then the rule with the most specific domain answers, among the VPC's Resolver rules, its
/// private hosted zones and the auto-defined EC2 domains.
struct DNSResolver {
    let index: NetworkIndex
    var snapshot: Snapshot { index.snapshot }
    var configuration: ResolverConfiguration { snapshot.resolver }

    static let maximumSteps = 16
    /// Lookups one resolution may make (record sets of every CNAME and alias on the way): beyond
    /// it the answer is unknown, so a zone of many weighted CNAMEs cannot make it exponential.
    static let maximumLookups = 1_000

    /// What one resolution has done so far.
    struct Trace {
        var steps: [String] = []
        var lookups = 0

        /// Counts a lookup; `false` once the budget is spent.
        mutating func count() -> Bool {
            lookups += 1
            return lookups <= DNSResolver.maximumLookups
        }
    }

    /// Top-level domains reserved for private use or never delegated: public DNS answers NXDOMAIN.
    static let reservedTopLevelDomains: Set<String> = [
        "internal", "local", "localhost", "test", "invalid", "example", "home.arpa",
    ]

    func resolve(_ name: String, fromVPC vpcID: String?) -> DNSAnswer {
        var trace = Trace()
        guard let vpcID, let vpc = snapshot.vpcs[vpcID] else {
            return .unknown("'\(DNSName.canonical(name))' is resolved outside the snapshot's VPCs, by public DNS")
        }
        if let answer = servers(of: vpc) { return answer }
        return resolve(DNSName.canonical(name), from: vpc, depth: 0, inspected: true, trace: &trace)
    }

    /// What a DNS answer from `vpcID` assumes because an export is missing (said in every answer).
    func assumptions(fromVPC vpcID: String?) -> [String] {
        guard let vpcID, let vpc = snapshot.vpcs[vpcID] else { return [] }
        var assumptions: [String] = []
        if vpc.dhcpOptionsID.map({ $0 != "default" && configuration.dhcpOptions[$0] == nil }) ?? true {
            let set =
                vpc.dhcpOptionsID.map { "DHCP options \($0) of \(vpcID) are" } ?? "the DHCP options of \(vpcID) are"
            assumptions.append(
                "\(set) not in the snapshot (export ec2 describe-dhcp-options): DNS answers assume its instances ask the Route 53 Resolver"
            )
        }
        for export in [ResolverConfiguration.Export.resolverRules, .firewall, .profiles]
        where !configuration.exported.contains(export) {
            let what =
                switch export {
                case .resolverRules: "Resolver rules"
                case .firewall: "DNS Firewall rule groups"
                default: "Route 53 Profiles"
                }
            assumptions.append("no \(what) exported (\(export.rawValue)): DNS answers assume none")
        }
        return assumptions
    }

    // MARK: - Which servers answer

    /// `nil` when the VPC's instances ask the Route 53 Resolver; otherwise the answer that follows.
    private func servers(of vpc: VPC) -> DNSAnswer? {
        let label = index.label(vpc.id)
        var exported = false
        if let id = vpc.dhcpOptionsID {
            if id == "default" {
                return .unknown(
                    "\(label) has no DHCP options set (DhcpOptionsId 'default'), so its instances get no DNS server from DHCP; which server they ask is outside the snapshot"
                )
            }
            if let options = configuration.dhcpOptions[id] {
                exported = true
                let resolverAddresses =
                    ["AmazonProvidedDNS", "169.254.169.253"]
                    + (vpc.cidrBlocks.first.map { [IPv4Address($0.range.lowerBound + 2).description] } ?? [])
                guard let servers = options.domainNameServers, !servers.isEmpty else {
                    return .unknown(
                        "DHCP options \(id) of \(label) name no domain-name-servers, so its instances get no DNS server from DHCP"
                    )
                }
                let custom = servers.filter { !resolverAddresses.contains($0) }
                if !custom.isEmpty {
                    return .unknown(
                        "DHCP options \(id) of \(label) send its instances to DNS servers \(custom.joined(separator: ", ")), whose answers are outside the snapshot (they reach private zones only by forwarding to the Route 53 Resolver)"
                    )
                }
            }
        }
        guard vpc.dnsSupport == false else { return nil }
        guard exported, let id = vpc.dhcpOptionsID else {
            return .unknown(
                "enableDnsSupport is off in \(label): the Route 53 Resolver does not answer there, and the DHCP options that would name another DNS server are not in the snapshot"
            )
        }
        return .failure(
            DNSFailure(
                code: .resolverDisabled, component: vpc.id,
                reason:
                    "enableDnsSupport is off in \(label), and its DHCP options \(id) send its instances to the Route 53 Resolver, which then answers nothing",
                fix:
                    "turn enableDnsSupport on for \(vpc.id) (aws ec2 modify-vpc-attribute --vpc-id \(vpc.id) --enable-dns-support)"
            ))
    }

    // MARK: - One name

    /// - Parameter inspected: whether DNS Firewall inspects this name (every name of a CNAME
    ///   chain, unless a rule trusting redirection let the first one through).
    private func resolve(_ name: String, from vpc: VPC, depth: Int, inspected: Bool, trace: inout Trace) -> DNSAnswer {
        guard depth < Self.maximumSteps else {
            return .unknown("resolution of '\(name)' loops or chains more than \(Self.maximumSteps) times")
        }
        guard trace.count() else {
            return .unknown(
                "resolving the name takes more than \(Self.maximumLookups) lookups (many record sets of CNAMEs and aliases)"
            )
        }
        var inspectsChain = inspected
        if inspected {
            switch firewall(name, vpc: vpc, trace: &trace) {
            case .pass(let trustsRedirection): inspectsChain = !trustsRedirection
            case .decided(let answer): return answer
            case .override(let target):
                trace.steps.append("DNS Firewall answers \(name) with CNAME \(target)")
                return resolve(target, from: vpc, depth: depth + 1, inspected: true, trace: &trace)
            }
        }
        let label = index.label(vpc.id)
        if let reason = undecidedProfile(of: vpc.id) { return .unknown(reason) }
        let choice = answeringRule(name, vpc: vpc)
        if let undetermined = choice.undetermined {
            return .unknown(
                "private zone \(undetermined.id) (\(undetermined.name)) matches '\(name)' but its VPC associations are not in the snapshot (export get-hosted-zone)"
            )
        }
        switch choice.winner {
        case .forward(let rule)? where rule.kind == .unmodelled:
            return .unknown(
                "Resolver rule \(rule.id) for \(rule.domainName) is of a type vpcreach does not model, so who answers from \(label) is unknown"
            )
        case .forward(let rule)?:
            let targets = rule.targets.isEmpty ? "" : " (\(rule.targets.joined(separator: ", ")))"
            return .unknown(
                "Resolver rule \(rule.id)\(rule.name.map { " (\($0))" } ?? "") forwards \(rule.domainName) from \(label) to DNS servers outside the snapshot\(targets)"
            )
        case .unknownRule(let id)?:
            return .unknown(
                "Resolver rule \(id) is associated with \(label) but is not in the snapshot (export route53resolver list-resolver-rules), and it may forward '\(name)'"
            )
        case .zone(let zone)?:
            switch (vpc.dnsSupport, vpc.dnsHostnames) {
            case (_, false):
                return .unknown(
                    "enableDnsHostnames is off in \(label); AWS requires it for private hosted zones, so private zone \(zone.id) (\(zone.name)) may not answer"
                )
            case (nil, _), (_, nil):
                return .unknown(
                    "the DNS attributes of \(label) are not in the snapshot (export describe-vpc-attribute for enableDnsSupport and enableDnsHostnames)"
                )
            default: break
            }
            trace.steps.append(
                "\(name) is answered by private zone \(zone.id) (\(zone.name)) associated with \(vpc.id)")
            return answer(name, in: zone, from: vpc, depth: depth, inspected: inspectsChain, trace: &trace)
        case .ec2Domain(let domain)?:
            return ec2Hostname(name, domain: domain, vpc: vpc, trace: &trace)
        case .undecidedEC2Domain(let reason)?:
            return .unknown(reason)
        case .tie(let domain)?:
            return .unknown(
                "two Resolver rules or two private zones for \(domain) apply to \(label), and AWS documents no precedence between them"
            )
        case nil:
            let missing = choice.unassociated.map {
                "private zone \($0.id) (\($0.name)) holds the name but is not associated with \(label)"
            }
            let note = missing.isEmpty ? "" : "; " + missing.joined(separator: "; ")
            if Self.isEC2PrivateHostname(name) {
                let reason =
                    vpc.dnsHostnames == false
                    ? "enableDnsHostnames is off in \(label), so the Route 53 Resolver does not resolve EC2 private hostnames such as '\(name)', and public DNS answers NXDOMAIN for .internal"
                    : "'\(name)' is an EC2 private hostname of a Region whose auto-defined rule \(label) does not have (only its own Region's, and those of Regions it peers with), and public DNS answers NXDOMAIN for .internal"
                return .failure(
                    DNSFailure(
                        code: .nxdomain, component: vpc.id, reason: reason,
                        fix: vpc.dnsHostnames == false
                            ? "turn enableDnsHostnames on for \(vpc.id) (aws ec2 modify-vpc-attribute --vpc-id \(vpc.id) --enable-dns-hostnames)"
                            : "address the instance by its IP address or a private hosted zone record"))
            }
            if let tld = Self.topLevelDomain(name), Self.reservedTopLevelDomains.contains(tld) {
                let component = choice.unassociated.first?.id
                return .failure(
                    DNSFailure(
                        code: .nxdomain, component: component ?? name,
                        reason:
                            "no private zone associated with \(label) holds '\(name)', and public DNS answers NXDOMAIN for the reserved domain .\(tld)\(note)",
                        fix: component.map { "associate private zone \($0) with \(vpc.id) or add the record" }
                            ?? "create the record"))
            }
            return .unknown(
                "no private zone associated with \(label) holds '\(name)', so public DNS outside the snapshot decides\(note)"
            )
        }
    }

    // MARK: - Which rule answers

    /// The rule that answers a name from a VPC.
    enum AnsweringRule {
        case forward(ResolverRule)
        case unknownRule(String)
        case zone(HostedZone)
        case ec2Domain(String)
        case undecidedEC2Domain(String)
        /// Two Resolver rules, or two private zones, for the same domain.
        case tie(String)
    }

    struct RuleChoice {
        var winner: AnsweringRule?
        /// A private zone as specific as the winner whose associations are not exported.
        var undetermined: HostedZone?
        /// Private zones holding the name that are not associated with the VPC.
        var unassociated: [HostedZone]
    }

    /// The most specific domain wins among the VPC's Resolver rules, its private zones and the
    /// auto-defined EC2 domains; on equal domains a Resolver rule beats a private zone, which beats
    /// an auto-defined rule. A winning SYSTEM rule hands the name back to the zones and auto-defined
    /// rules.
    func answeringRule(_ name: String, vpc: VPC) -> RuleChoice {
        // (domain, rank, rule): rank 0 Resolver rule, 1 private zone, 2 auto-defined.
        var candidates: [(domain: String, rank: Int, rule: AnsweringRule?, system: Bool)] = []
        for rule in resolverRules(of: vpc.id) {
            switch rule {
            case .known(let rule):
                guard rule.kind != .recursive, Self.name(name, isWithin: rule.domainName) else { continue }
                candidates.append(
                    (rule.domainName, 0, rule.kind == .system ? nil : .forward(rule), rule.kind == .system))
            case .missing(let id):
                // Its domain is unknown: it may match any name.
                candidates.append(("", 0, .unknownRule(id), false))
            }
        }
        let matching = snapshot.hostedZones.values.filter { $0.isPrivate && Self.name(name, isWithin: $0.name) }
            .sorted { ($0.name.count, $1.id) > ($1.name.count, $0.id) }
        let viaProfile = profileZones(of: vpc.id)
        var unassociated: [HostedZone] = []
        var undetermined: [HostedZone] = []
        for zone in matching {
            if viaProfile.contains(zone.id) || zone.vpcAssociations?.contains(where: { $0.vpcID == vpc.id }) == true {
                candidates.append((zone.name, 1, .zone(zone), false))
            } else if zone.vpcAssociations == nil {
                undetermined.append(zone)
            } else {
                unassociated.append(zone)
            }
        }
        for domain in ec2Domains(of: vpc) where Self.name(name, isWithin: domain.name) {
            candidates.append((domain.name, 2, domain.rule, false))
        }
        // An unknown rule's domain is unknown: it competes with every candidate.
        if let unknown = candidates.first(where: { if case .unknownRule = $0.rule { true } else { false } }) {
            return RuleChoice(winner: unknown.rule, undetermined: nil, unassociated: unassociated)
        }
        var ordered = candidates.sorted { ($0.domain.count, -$0.rank) > ($1.domain.count, -$1.rank) }
        // Two resources of one kind for the same domain (a zone associated directly and one shared
        // by a Profile, two rules): AWS documents no precedence between them.
        func tied() -> Bool {
            ordered.count > 1 && ordered[0].domain == ordered[1].domain && ordered[0].rank == ordered[1].rank
        }
        if tied() { return RuleChoice(winner: .tie(ordered[0].domain), undetermined: nil, unassociated: unassociated) }
        if let first = ordered.first, first.system {
            ordered.removeAll { $0.rank == 0 }
            if tied() {
                return RuleChoice(winner: .tie(ordered[0].domain), undetermined: nil, unassociated: unassociated)
            }
        }
        let winner = ordered.first
        let shadowing = undetermined.first { zone in winner.map { zone.name.count >= $0.domain.count } ?? true }
        return RuleChoice(winner: winner?.rule, undetermined: shadowing, unassociated: unassociated)
    }

    enum AssociatedRule {
        case known(ResolverRule)
        case missing(String)
    }

    /// Resolver rules in force for a VPC: associated directly or through its Route 53 Profile.
    func resolverRules(of vpcID: String) -> [AssociatedRule] {
        var ids: [String] = []
        var undecided: [String] = []
        for association in configuration.ruleAssociations where association.vpcID == vpcID {
            switch ResolverConfiguration.inForce(association.status) {
            case true?: ids.append(association.ruleID)
            case nil: undecided.append(association.ruleID)
            case false?: break
            }
        }
        for profile in profiles(of: vpcID) {
            ids += (configuration.profileResources[profile] ?? []).filter {
                $0.kind == .resolverRule && ResolverConfiguration.inForce($0.status) == true
            }.map(\.resourceID)
        }
        let rules: [AssociatedRule] = Set(ids).sorted().compactMap { id in
            guard let rule = configuration.rules[id] else {
                // The internet resolver's association names a rule the listing may omit.
                return id.hasPrefix("rslvr-autodefined-") ? nil : .missing(id)
            }
            switch ResolverConfiguration.inForce(rule.status) {
            case true?: return .known(rule)
            case nil: return .missing(id)
            case false?: return nil
            }
        }
        return rules + Set(undecided).subtracting(ids).sorted().map(AssociatedRule.missing)
    }

    func profiles(of vpcID: String) -> [String] {
        configuration.profileAssociations.filter {
            $0.vpcID == vpcID && ResolverConfiguration.inForce($0.status) == true
        }.map(\.profileID).sorted()
    }

    /// Private zones shared with a VPC through its Route 53 Profile.
    func profileZones(of vpcID: String) -> Set<String> {
        Set(
            profiles(of: vpcID).flatMap {
                (configuration.profileResources[$0] ?? []).filter {
                    $0.kind == .hostedZone && ResolverConfiguration.inForce($0.status) == true
                }.map(\.resourceID)
            })
    }

    /// Why what the VPC's Route 53 Profile shares is unknown: its resources are not in the snapshot,
    /// or its association or a resource is in a status AWS does not explain; `nil` when known.
    func undecidedProfile(of vpcID: String) -> String? {
        for association in configuration.profileAssociations where association.vpcID == vpcID {
            // Undecided only if the Profile may share something: a resource that is not in force
            // is shared by no association.
            let resources = configuration.profileResources[association.profileID]
            let sharesNothing =
                (resources != nil || configuration.exportedProfileResources.contains(association.profileID))
                && (resources ?? []).allSatisfy { resource in
                    ResolverConfiguration.inForce(resource.status) == false
                        || (resource.kind == .resolverRule
                            && configuration.rules[resource.resourceID].map {
                                ResolverConfiguration.inForce($0.status) == false
                            } ?? false)
                }
            if ResolverConfiguration.inForce(association.status) == nil, !sharesNothing {
                return
                    "the association of Route 53 Profile \(association.profileID) with \(index.label(vpcID)) is \(association.status), which AWS does not explain"
            }
        }
        for profile in profiles(of: vpcID) {
            if configuration.profileResources[profile] == nil
                && !configuration.exportedProfileResources.contains(profile)
            {
                return
                    "Route 53 Profile \(profile) is associated with \(index.label(vpcID)), but what it shares is not in the snapshot (export route53profiles list-profile-resource-associations)"
            }
            if let resource = configuration.profileResources[profile]?.first(where: {
                ResolverConfiguration.inForce($0.status) == nil
            }) {
                return
                    "resource \(resource.resourceID) of Route 53 Profile \(profile) is \(resource.status), which AWS does not explain"
            }
        }
        return nil
    }

    /// The auto-defined EC2 domains of a VPC: its Region's (`<region>.compute.internal`, or
    /// `ec2.internal` and `compute-1.internal` in us-east-1) and those of the Regions of VPCs it
    /// peers with. They exist only when both DNS attributes are on.
    func ec2Domains(of vpc: VPC) -> [(name: String, rule: AnsweringRule)] {
        func domains(_ region: String) -> [String] {
            region == "us-east-1" ? ["ec2.internal.", "compute-1.internal."] : ["\(region).compute.internal."]
        }
        let label = index.label(vpc.id)
        if vpc.dnsSupport == false || vpc.dnsHostnames == false { return [] }
        guard let region = vpc.placement.region else {
            let reason =
                "the Region of \(label) is not known, and EC2 private hostnames resolve only for its own Region (and Regions it peers with)"
            return (["compute.internal.", "ec2.internal.", "compute-1.internal."]).map {
                ($0, .undecidedEC2Domain(reason))
            }
        }
        // Another Region's hostnames resolve over an active peering that allows DNS resolution from
        // this VPC (the peer side's AllowDnsResolutionFromRemoteVpc), the peer VPC having both
        // attributes on too; an option or attribute the snapshot lacks leaves them undecided.
        var regions = [region]
        var undecidedRegions: [(String, String)] = []
        for peering in snapshot.peeringConnections.values.sorted(by: { $0.id < $1.id }) where peering.isActive {
            guard let peer = peering.peer(of: vpc.id),
                let peerRegion = peer.region ?? snapshot.vpcs[peer.vpcID]?.placement.region,
                peerRegion != region, !regions.contains(peerRegion)
            else { continue }
            let peerVPC = snapshot.vpcs[peer.vpcID]
            switch (peer.allowsRemoteDNSResolution, peerVPC?.dnsSupport, peerVPC?.dnsHostnames) {
            case (true?, true?, true?): regions.append(peerRegion)
            case (false?, _, _), (_, false?, _), (_, _, false?): continue
            default:
                undecidedRegions.append(
                    (
                        peerRegion,
                        "\(peerRegion)'s EC2 hostnames resolve from \(label) over peering \(peering.id) only when it allows DNS resolution from \(vpc.id) (AllowDnsResolutionFromRemoteVpc) and \(peer.vpcID) has both DNS attributes on, which the snapshot does not show"
                    ))
            }
        }
        let undecided = undecidedRegions.filter { !regions.contains($0.0) }.flatMap { region, reason in
            domains(region).map { ($0, AnsweringRule.undecidedEC2Domain(reason)) }
        }
        guard vpc.dnsSupport == true, vpc.dnsHostnames == true else {
            // Only both attributes on create these domains: a missing one leaves them undecided.
            let reason =
                "the DNS attributes of \(label) are not in the snapshot (export describe-vpc-attribute): the Route 53 Resolver answers EC2 private hostnames only when enableDnsSupport and enableDnsHostnames are both on"
            return (regions.flatMap(domains) + undecided.map(\.0)).map { ($0, .undecidedEC2Domain(reason)) }
        }
        return regions.flatMap(domains).map { ($0, .ec2Domain($0)) } + undecided
    }

    /// An EC2 private hostname under an auto-defined domain: `ip-a-b-c-d.<domain>` is a.b.c.d when
    /// the address is in the VPC or in private (RFC 1918) space; resource names are unknown.
    private func ec2Hostname(_ name: String, domain: String, vpc: VPC, trace: inout Trace) -> DNSAnswer {
        let label = name.split(separator: ".").first.map(String.init) ?? ""
        let parts = label.split(separator: "-")
        guard name == label + "." + domain, parts.count == 5, parts[0] == "ip",
            let address = IPv4Address(parts[1...].joined(separator: "."))
        else {
            return .unknown(
                "'\(name)' is an EC2 resource-name hostname; the snapshot does not record which instance owns it")
        }
        guard vpc.contains(address) || AddressSpace.rfc1918.contains(address.value) else {
            return .unknown(
                "'\(name)' names \(address), outside \(index.label(vpc.id)) and outside private (RFC 1918) space, where AWS documents no resolution of other VPCs' hostnames"
            )
        }
        trace.steps.append(
            "\(name) is an EC2 private hostname, answered by the Route 53 Resolver's auto-defined rule for \(domain) with \(address)"
        )
        return .addresses([address], steps: trace.steps, failure: nil)
    }

    // MARK: - DNS Firewall

    enum FirewallOutcome {
        /// Through; `trustsRedirection` when the rule that let it through does not inspect the
        /// rest of a CNAME chain.
        case pass(trustsRedirection: Bool)
        case decided(DNSAnswer)
        case override(String)
    }

    /// DNS Firewall's rule groups of the VPC (directly and through its Profile), lowest priority
    /// first, rules within a group lowest priority first: the first rule whose domain list holds the
    /// name decides (ALLOW and ALERT let it through, BLOCK answers for it). No match: it passes.
    func firewall(_ name: String, vpc: VPC, trace: inout Trace) -> FirewallOutcome {
        var groups = configuration.firewallAssociations.filter {
            $0.vpcID == vpc.id && ResolverConfiguration.inForce($0.status) == true
        }.map { ($0.priority, $0.groupID) }
        for profile in profiles(of: vpc.id) {
            for resource in configuration.profileResources[profile] ?? []
            where resource.kind == .firewallRuleGroup && ResolverConfiguration.inForce(resource.status) == true {
                guard let priority = resource.priority else {
                    return .decided(
                        .unknown(
                            "DNS Firewall rule group \(resource.resourceID) is shared by Route 53 Profile \(profile) without a priority the snapshot can read (ResourceProperties)"
                        ))
                }
                groups.append((priority, resource.resourceID))
            }
        }
        for (_, groupID) in groups.sorted(by: { ($0.0, $0.1) < ($1.0, $1.1) }) {
            guard
                let rules = configuration.firewallRules[groupID]
                    ?? (configuration.exportedFirewallRuleGroups.contains(groupID) ? [] : nil)
            else {
                return .decided(
                    .unknown(
                        "DNS Firewall rule group \(groupID) is associated with \(index.label(vpc.id)) but its rules are not in the snapshot (export route53resolver list-firewall-rules)"
                    ))
            }
            for rule in rules.sorted(by: { $0.priority < $1.priority }) where rule.queryType.map({ $0 == "A" }) ?? true
            {
                let ruleName = "\(groupID) rule \(rule.name ?? String(rule.priority))"
                guard let listID = rule.domainListID else {
                    return .decided(
                        .unknown(
                            "DNS Firewall \(ruleName) inspects queries for threats (DNS Firewall Advanced), which the snapshot cannot evaluate"
                        ))
                }
                guard let domains = configuration.firewallDomains[listID] else {
                    return .decided(
                        .unknown(
                            "DNS Firewall \(ruleName) matches domain list \(listID), whose domains are not in the snapshot (export route53resolver list-firewall-domains; AWS-managed lists cannot be exported)"
                        ))
                }
                guard domains.contains(where: { Self.firewallDomain($0, matches: name) }) else { continue }
                switch (rule.action, rule.blockResponse) {
                case (.unmodelled, _):
                    return .decided(
                        .unknown("DNS Firewall \(ruleName) matches '\(name)' with an action vpcreach does not model"))
                case (.allow, _), (.alert, _):
                    trace.steps.append("DNS Firewall \(ruleName) lets \(name) through (\(rule.action.rawValue))")
                    return .pass(trustsRedirection: rule.trustsRedirection)
                case (.block, .override?):
                    guard let target = rule.overrideDomain else {
                        return .decided(.unknown("DNS Firewall \(ruleName) overrides \(name) without a target"))
                    }
                    return .override(target)
                case (.block, _):
                    return .decided(
                        .failure(
                            DNSFailure(
                                code: .firewallBlock, component: groupID,
                                reason:
                                    "DNS Firewall \(ruleName) blocks '\(name)' from \(index.label(vpc.id)) (domain list \(listID), answer \(rule.blockResponse?.rawValue ?? "NODATA"))",
                                fix:
                                    "allow \(name) in DNS Firewall rule group \(groupID), or remove it from domain list \(listID)"
                            )))
                }
            }
        }
        return .pass(trustsRedirection: false)
    }

    /// A domain list entry: a name matches itself; `*.example.com.` matches names below
    /// example.com; `*.` matches every name.
    static func firewallDomain(_ entry: String, matches name: String) -> Bool {
        if entry == "*." { return true }
        if entry.hasPrefix("*.") { return name.hasSuffix(String(entry.dropFirst(1))) }
        return entry == name
    }

    // MARK: - Records

    private func answer(
        _ name: String, in zone: HostedZone, from vpc: VPC, depth: Int, inspected: Bool, trace: inout Trace
    ) -> DNSAnswer {
        // Aliases are followed here without passing through `resolve`: the same bound applies.
        guard depth < Self.maximumSteps else {
            return .unknown("resolution of '\(name)' loops or chains more than \(Self.maximumSteps) times")
        }
        guard trace.count() else {
            return .unknown(
                "resolving the name takes more than \(Self.maximumLookups) lookups (many record sets of CNAMEs and aliases)"
            )
        }
        guard let records = zone.recordSets else {
            return .unknown(
                "the records of zone \(zone.id) (\(zone.name)) are not in the snapshot (export list-resource-record-sets)"
            )
        }
        let owned = Self.records(for: name, in: records, apex: zone.name)
        let addressSets = owned.filter { $0.type == "A" }
        let sets = addressSets.isEmpty ? owned.filter { $0.type == "CNAME" } : addressSets
        let nxdomain = DNSFailure(
            code: .nxdomain, component: zone.id,
            reason: owned.isEmpty
                ? "zone \(zone.id) (\(zone.name)) has no record '\(name)', so the resolver answers NXDOMAIN (no fallback to public DNS)"
                : "zone \(zone.id) (\(zone.name)) has '\(name)' but no A, CNAME or alias record for it",
            fix: "add the record for \(name) to private zone \(zone.id)")
        guard !sets.isEmpty else { return .failure(nxdomain) }
        let nodata = DNSFailure(
            code: .nxdomain, component: zone.id,
            reason: "zone \(zone.id) (\(zone.name)) has '\(name)' with no address in a record set that may answer",
            fix: "give the record of \(name) in \(zone.id) a value")
        let selection = sets.answering(fromRegion: vpc.placement.region)
        if let note = selection.note { trace.steps.append("\(name): \(note)") }
        guard !selection.sets.isEmpty else {
            return .failure(
                DNSFailure(
                    code: .nxdomain, component: zone.id,
                    reason:
                        "zone \(zone.id) (\(zone.name)) has no record set of '\(name)' for \(vpc.placement.region ?? "the source's Region") (\(selection.note ?? "")), so Route 53 answers with no record",
                    fix: "add a default (*) geolocation record for \(name)"))
        }
        var addresses: [IPv4Address] = []
        // A set that fails makes some lookups fail, unless Route 53 skips it as unhealthy.
        var failure: DNSFailure?
        var skipped: DNSFailure?
        for set in selection.sets {
            let result: DNSAnswer
            if let target = set.aliasTarget, set.type == "A" {
                trace.steps.append("\(name) is an alias to \(target)\(Self.setName(set))")
                guard let targetZone = set.aliasZoneID.flatMap({ snapshot.hostedZones[$0] }) else {
                    return .unknown(
                        "\(name) is an alias to \(target) (zone \(set.aliasZoneID ?? "?")), an AWS resource outside the snapshot"
                    )
                }
                result = answer(
                    target, in: targetZone, from: vpc, depth: depth + 1, inspected: inspected, trace: &trace)
            } else if set.type == "A" {
                var found: [IPv4Address] = []
                for value in set.values {
                    guard let address = IPv4Address(value) else {
                        return .unknown(
                            "record \(set.name) A has the value '\(value)', which is not an IPv4 address (\(set.source))"
                        )
                    }
                    if !found.contains(address) { found.append(address) }
                }
                trace.steps.append("\(name) A \(Self.listed(found))\(Self.setName(set))")
                result = found.isEmpty ? .failure(nodata) : .addresses(found, steps: [], failure: nil)
            } else {
                guard let value = set.values.first ?? set.aliasTarget else {
                    if set.isHealthChecked { skipped = skipped ?? nodata } else { failure = failure ?? nodata }
                    continue
                }
                let target = DNSName.canonical(value)
                trace.steps.append("\(name) CNAME \(target)\(Self.setName(set))")
                result = resolve(target, from: vpc, depth: depth + 1, inspected: inspected, trace: &trace)
            }
            switch result {
            case .addresses(let found, _, let partly):
                for address in found where !addresses.contains(address) { addresses.append(address) }
                if let partly, !set.isHealthChecked { failure = failure ?? partly }
            case .failure(let reason):
                if set.isHealthChecked { skipped = skipped ?? reason } else { failure = failure ?? reason }
            case .unknown:
                return result
            }
        }
        guard !addresses.isEmpty else { return .failure(failure ?? skipped ?? nodata) }
        return .addresses(addresses.sorted(), steps: trace.steps, failure: failure)
    }

    /// Values shown in a step: every pair of the answer repeats its steps, so a record of
    /// thousands of values would make an answer's size grow with their square.
    static let valuesShown = 16

    /// `a, b, c` or `a, b, … and N more`.
    static func listed(_ addresses: [IPv4Address]) -> String {
        let shown = addresses.prefix(valuesShown).map(\.description).joined(separator: ", ")
        return addresses.count > valuesShown ? "\(shown) and \(addresses.count - valuesShown) more" : shown
    }

    /// ` (record set ID)` for a record set with a `SetIdentifier`.
    static func setName(_ set: ResourceRecordSet) -> String {
        set.setIdentifier.map { " (record set \($0), \(set.routing.name))" } ?? ""
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
        zone == "." || name == zone || name.hasSuffix("." + zone)
    }

    /// Names under the EC2 private DNS domains (`…compute.internal`, `ec2.internal`, `compute-1.internal`).
    static func isEC2PrivateHostname(_ name: String) -> Bool {
        ["compute.internal.", "ec2.internal.", "compute-1.internal."].contains { name.hasSuffix("." + $0) }
    }

    static func topLevelDomain(_ name: String) -> String? {
        let labels = name.split(separator: ".")
        if labels.count >= 2, labels.suffix(2).joined(separator: ".") == "home.arpa" { return "home.arpa" }
        return labels.last.map(String.init)
    }
}
