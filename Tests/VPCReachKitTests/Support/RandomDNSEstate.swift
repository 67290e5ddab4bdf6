import PacketSets

@testable import VPCReachKit

/// Small random DNS estates for `DNSDifferentialTests`: two to four VPCs in one to three Regions
/// with random DNS attributes and DHCP options, peerings, private zones over a small name space
/// (some with undetermined associations) holding A, alias, CNAME, TXT and AAAA records under every
/// routing policy (some sets without a value, some health-checked, weighted CNAMEs one of whose
/// targets fails), Resolver rules (FORWARD, SYSTEM, one not listed, two for one domain), DNS
/// Firewall rule groups (one exported empty), Route 53 Profiles sharing zones (one of the same name
/// as a zone associated directly), rules and rule groups (one without a priority), or whose
/// resources are not exported; statuses in force, not in force and not known (`OVERRIDDEN`), and
/// peerings' DNS options on, off and missing.
enum RandomDNSEstate {
    static let regions = ["eu-west-1", "us-east-1", "eu-central-1", "ap-southeast-2"]
    static let location = SourceLocation(file: "random-dns.json")
    static let zoneNames = [
        "corp.internal.", "db.corp.internal.", "internal.", "eu-west-1.compute.internal.", "example.com.",
        "svc.example.com.",
    ]
    /// Record names relative to a zone's apex (`@`).
    static let recordNames = [
        "@", "web", "api", "db", "pg", "a.b", "*", "*.b", "cache", "primary.db", "ip-10-0-1-5", "x.y",
    ]
    /// Query names relative to a zone's apex.
    static let queryLabels = [
        "@", "web", "api", "db", "pg", "a.b", "b", "x.b", "zzz", "deep.zzz", "cache", "primary.db", "ip-10-0-1-5",
        "x.y", "y", "q.pg",
    ]
    static let ruleDomains = [
        "corp.internal.", "db.corp.internal.", "example.com.", "internal.", "eu-west-1.compute.internal.",
        "svc.example.com.", "b.corp.internal.",
        "compute.internal.", "ec2.internal.", "ap-southeast-2.compute.internal.",
    ]
    static let firewallEntries = [
        "corp.internal.", "*.corp.internal.", "web.corp.internal.", "db.corp.internal.", "*.db.corp.internal.",
        "example.com.", "*.example.com.",
        "api.corp.internal.", "*.compute.internal.", "*.internal.", "ec2.internal.", "*.ec2.internal.",
        "www.amazon.com.", "cache.corp.internal.",
        "pg.db.corp.internal.", "web.svc.example.com.", "*.eu-west-1.compute.internal.", "gone.corp.internal.",
        "gone.db.corp.internal.",
    ]
    static let publicNames = [
        "www.amazon.com.", "ec2-54-1-2-3.eu-west-1.compute.amazonaws.com.", "missing.example.com.", "foo.test.",
        "printer.local.", "router.home.arpa.",
        "nothing.example.", "host.internal.", "example.com.", "deep.svc.example.com.", "x.corp.internal.",
        "a.b.c.internal.",
    ]
    static let geoLocations: [GeoLocation] = [
        GeoLocation(continent: "EU", country: nil, subdivision: nil),
        GeoLocation(continent: "NA", country: nil, subdivision: nil),
        GeoLocation(continent: "OC", country: nil, subdivision: nil),
        GeoLocation(continent: "AS", country: nil, subdivision: nil),
        GeoLocation(continent: nil, country: "IE", subdivision: nil),
        GeoLocation(continent: nil, country: "DE", subdivision: nil),
        GeoLocation(continent: nil, country: "US", subdivision: nil),
        GeoLocation(continent: nil, country: "AU", subdivision: nil),
        GeoLocation(continent: nil, country: "GB", subdivision: nil),
        GeoLocation(continent: nil, country: "US", subdivision: "VA"),
        GeoLocation(continent: nil, country: "US", subdivision: "OR"),
        GeoLocation(continent: nil, country: "JP", subdivision: nil),
    ]
    static let defaultLocation = GeoLocation(continent: nil, country: "*", subdivision: nil)

    /// A seeded die.
    struct Dice {
        var generator: SeededGenerator

        init(seed: UInt64) { generator = SeededGenerator(seed: seed) }

        mutating func chance(_ probability: Double) -> Bool {
            Double.random(in: 0..<1, using: &generator) < probability
        }
        mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &generator) }
        mutating func pick<T>(_ items: [T]) -> T { items[Int.random(in: 0..<items.count, using: &generator)] }
        mutating func shuffled<T>(_ items: [T]) -> [T] { items.shuffled(using: &generator) }
        /// `count` distinct items (fewer when there are fewer).
        mutating func some<T>(_ items: [T], _ count: ClosedRange<Int>) -> [T] {
            Array(shuffled(items).prefix(int(count)))
        }
        /// One of `choices`, by weight.
        mutating func weighted<T>(_ choices: [(T, Int)]) -> T {
            var roll = int(0...(choices.map(\.1).reduce(0, +) - 1))
            for (value, weight) in choices {
                if roll < weight { return value }
                roll -= weight
            }
            return choices[choices.count - 1].0
        }
    }

    static func absolute(_ relative: String, in zone: String) -> String {
        relative == "@" ? zone : relative + "." + zone
    }

    static func ec2Domains(_ region: String) -> [String] {
        region == "us-east-1" ? ["ec2.internal.", "compute-1.internal."] : ["\(region).compute.internal."]
    }

    static func make(seed: UInt64) -> Snapshot {
        var dice = Dice(seed: seed &* 0x2545_F491 &+ 0xD45)
        var snapshot = Snapshot(root: "random-dns-\(seed)")

        // VPCs, DNS attributes and DHCP options.
        let vpcCount = dice.int(2...4)
        let usedRegions = dice.some(regions, dice.chance(0.25) ? 1...1 : 2...3)
        let dhcpExported = dice.chance(0.75)
        if dhcpExported { snapshot.resolver.exported.insert(.dhcpOptions) }
        for v in 0..<vpcCount {
            let id = "vpc-\(v)"
            var blocks = [CIDRBlock("10.\(v).0.0/16")!]
            if dice.chance(0.5) { blocks.append(CIDRBlock("100.64.\(v).0/24")!) }
            let support: Bool? = dice.weighted([(true, 82), (false, 10), (nil, 8)])
            let hostnames: Bool? = dice.weighted([(true, 80), (false, 12), (nil, 8)])
            var vpc = VPC(
                id: id, placement: Placement(account: "111122223333", region: dice.pick(usedRegions)),
                cidrBlocks: blocks, dnsSupport: support,
                dnsHostnames: hostnames, isDefault: false, tags: Tags(), source: location)
            let setID = "dopt-\(v)"
            let servers: [String]??
            switch dice.int(0...99) {
            case 0..<25:
                servers = .none
                vpc.dhcpOptionsID = nil
            case 25..<60: servers = ["AmazonProvidedDNS"]
            case 60..<65: servers = ["169.254.169.253"]
            case 65..<70: servers = ["10.\(v).0.2"]
            case 70..<73: servers = ["10.\((v + 1) % 4).0.2"]
            case 73..<80: servers = ["10.9.9.9"]
            case 80..<83: servers = ["AmazonProvidedDNS", "10.9.9.9"]
            case 83..<87: servers = .some(nil)
            case 87..<93:
                servers = .none
                vpc.dhcpOptionsID = "default"
            default:
                servers = .none
                vpc.dhcpOptionsID = "dopt-missing\(v)"
            }
            if let servers {
                vpc.dhcpOptionsID = setID
                if dhcpExported {
                    snapshot.resolver.dhcpOptions[setID] = DHCPOptions(
                        id: setID, domainNameServers: servers, source: location)
                }
            }
            snapshot.vpcs[id] = vpc
        }
        let vpcIDs = snapshot.vpcs.keys.sorted()

        // Peerings, some active, some to a VPC outside the snapshot.
        var peeringNumber = 0
        func side(_ vpcID: String, region: String? = nil) -> PeeringSide {
            let vpc = snapshot.vpcs[vpcID]
            // §34: the side's AllowDnsResolutionFromRemoteVpc, on, off or not exported.
            let dns: Bool? = dice.weighted([(true, 55), (false, 22), (nil, 23)])
            return PeeringSide(
                vpcID: vpcID, ownerID: "111122223333", region: vpc?.placement.region ?? region,
                cidrBlocks: vpc?.cidrBlocks ?? [],
                allowsRemoteDNSResolution: dns)
        }
        for (i, a) in vpcIDs.enumerated() {
            for b in vpcIDs[(i + 1)...] where dice.chance(0.5) {
                peeringNumber += 1
                let status = dice.chance(0.75) ? "active" : dice.pick(["pending-acceptance", "deleted", "rejected"])
                snapshot.peeringConnections["pcx-\(peeringNumber)"] = PeeringConnection(
                    id: "pcx-\(peeringNumber)", status: PeeringStatus(status), requester: side(a), accepter: side(b),
                    tags: Tags(),
                    source: location)
            }
        }
        if dice.chance(0.25) {
            peeringNumber += 1
            var remote = side("vpc-remote", region: dice.pick(regions))
            remote.cidrBlocks = [CIDRBlock("10.200.0.0/16")!]
            snapshot.peeringConnections["pcx-\(peeringNumber)"] = PeeringConnection(
                id: "pcx-\(peeringNumber)", status: dice.chance(0.7) ? "active" : "pending-acceptance",
                requester: side(dice.pick(vpcIDs)),
                accepter: remote, tags: Tags(), source: location)
        }

        // Private zones: a name at most twice, a VPC associated with at most one zone of a name.
        var zones: [HostedZone] = []
        var associatedNames: Set<String> = []  // "vpc|name"
        for i in 0..<dice.int(3...6) {
            let candidates = zoneNames.filter { name in zones.filter { $0.name == name }.count < 2 }
            let name = dice.pick(candidates)
            var associations: [ZoneVPCAssociation]?
            if !dice.chance(0.1) {
                var list: [ZoneVPCAssociation] = []
                for vpcID in vpcIDs where dice.chance(0.55) && !associatedNames.contains("\(vpcID)|\(name)") {
                    associatedNames.insert("\(vpcID)|\(name)")
                    list.append(ZoneVPCAssociation(vpcID: vpcID, region: snapshot.vpcs[vpcID]?.placement.region))
                }
                if dice.chance(0.1) { list.append(ZoneVPCAssociation(vpcID: "vpc-remote", region: "eu-west-1")) }
                associations = list
            }
            zones.append(
                HostedZone(
                    id: "Z\(seed)PRIV\(i)", name: name, isPrivate: true, vpcAssociations: associations, recordSets: [],
                    source: location))
        }
        if dice.chance(0.3) {
            zones.append(
                HostedZone(
                    id: "Z\(seed)PUBLIC", name: "example.com.", isPrivate: false, vpcAssociations: nil, recordSets: [],
                    source: location))
        }
        let privateZones = zones.filter(\.isPrivate)

        // Records.
        func address() -> String {
            switch dice.int(0...9) {
            case 0...4: "10.\(dice.int(0...3)).\(dice.int(1...3)).\(dice.int(10...250))"
            case 5: "172.16.\(dice.int(0...9)).\(dice.int(1...250))"
            case 6: "192.168.1.\(dice.int(1...250))"
            case 7: "100.64.\(dice.int(0...3)).\(dice.int(1...250))"
            default: "54.\(dice.int(1...250)).\(dice.int(0...250)).\(dice.int(1...250))"
            }
        }
        func targetName() -> String {
            switch dice.int(0...9) {
            case 0...5:
                let zone = dice.pick(privateZones)
                return absolute(
                    dice.pick(recordNames.filter { !$0.hasPrefix("*") } + ["nothere", "zzz"]), in: zone.name)
            case 6, 7:
                let host = dice.pick([
                    "ip-10-0-1-20", "ip-10-1-2-30", "ip-54-1-2-3", "ip-172-16-0-9", "i-0123456789abcdef0",
                ])
                return host + "." + dice.pick(regions.flatMap(ec2Domains))
            default:
                return dice.pick(["www.amazon.com.", "api.example.com.", "foo.test.", "svc.example.com."])
            }
        }
        func sets(named name: String) -> [ResourceRecordSet] {
            let kind = dice.weighted([("A", 44), ("alias", 18), ("CNAME", 25), ("TXT", 8), ("AAAA", 5)])
            let policy = dice.weighted([
                ("simple", 34), ("weighted", 20), ("failover", 10), ("latency", 13), ("geolocation", 15),
                ("multivalue", 8),
            ])
            let count =
                policy == "simple"
                ? 1 : policy == "failover" ? 2 : policy == "geolocation" ? dice.int(2...3) : dice.int(1...3)
            let latencyRegions = dice.shuffled(regions)
            let geo = dice.shuffled(geoLocations)
            var result: [ResourceRecordSet] = []
            for k in 0..<count {
                let routing: RecordRouting
                switch policy {
                case "weighted": routing = .weighted(weight: dice.pick([0, 0, 10, 50, 100]))
                case "failover": routing = .failover(primary: k == 0)
                case "latency": routing = .latency(region: latencyRegions[k])
                case "geolocation":
                    routing = .geolocation(k == count - 1 && dice.chance(0.45) ? defaultLocation : geo[k])
                case "multivalue": routing = .multivalue
                default: routing = .simple
                }
                var set = ResourceRecordSet(
                    name: name, type: kind == "alias" ? "A" : kind, values: [], aliasTarget: nil, aliasZoneID: nil,
                    setIdentifier: policy == "simple" ? nil : "\(policy)-\(k)", routing: routing,
                    isHealthChecked: dice.chance(policy == "latency" || policy == "geolocation" ? 0.3 : 0.2),
                    source: location)
                switch kind {
                case "A":
                    switch dice.int(0...99) {
                    case 0..<3: set.values = ["not-an-address"]
                    case 3..<8: set.values = []  // NODATA (§35)
                    default: set.values = (0..<dice.int(1...2)).map { _ in address() }
                    }
                case "alias":
                    if dice.chance(0.12) {
                        set.aliasTarget = "internal-app-1.eu-west-1.elb.amazonaws.com."
                        set.aliasZoneID = "Z32O12XQLNTSW2"
                    } else {
                        let zone = dice.pick(privateZones)
                        set.aliasTarget = absolute(
                            dice.pick(recordNames.filter { !$0.hasPrefix("*") } + ["nothere", "zzz"]), in: zone.name)
                        set.aliasZoneID = zone.id
                    }
                case "CNAME":
                    let target = targetName()
                    set.values = [dice.chance(0.8) ? target : String(target.dropLast())]
                case "TXT":
                    set.values = ["\"v=spf1 -all\""]
                default:
                    set.values = ["fd00::1"]
                }
                result.append(set)
            }
            return result
        }
        for index in zones.indices {
            var records: [ResourceRecordSet] = []
            for relative in dice.some(recordNames, 3...6) {
                records += sets(named: absolute(relative, in: zones[index].name))
            }
            if dice.chance(0.5) {
                records.append(
                    ResourceRecordSet(
                        name: zones[index].name, type: "NS", values: ["ns-1.awsdns-00.com."], aliasTarget: nil,
                        aliasZoneID: nil, setIdentifier: nil,
                        source: location))
            }
            zones[index].recordSets = records
            snapshot.hostedZones[zones[index].id] = zones[index]
        }

        // §35 "some lookups fail": weighted CNAME sets one of whose targets fails (a missing name,
        // another Region's EC2 hostname, a name DNS Firewall may block) while another resolves, and
        // multivalue A sets one of which has no value; some of the failing sets health-checked.
        func isPlain(_ set: ResourceRecordSet) -> Bool {
            guard set.type == "A", set.aliasTarget == nil, !set.values.isEmpty, !set.name.hasPrefix("*") else {
                return false
            }
            return set.values.allSatisfy { DNSSimulator.parseIPv4($0) != nil }
        }
        let privateSets: [ResourceRecordSet] = snapshot.hostedZones.values.filter(\.isPrivate).sorted { $0.id < $1.id }
            .flatMap { $0.recordSets ?? [] }
        let plainNames: [String] = privateSets.filter(isPlain).map(\.name)
        for zone in privateZones where dice.chance(0.5) {
            var records = snapshot.hostedZones[zone.id]?.recordSets ?? []
            let good = plainNames.isEmpty ? absolute("web", in: zone.name) : dice.pick(plainNames)
            let bad = dice.pick([
                absolute("nothere", in: dice.pick(privateZones).name), "gone.corp.internal.", "gone.db.corp.internal.",
                "ip-10-0-1-30.ec2.internal.",
                "ip-10-0-1-30.eu-central-1.compute.internal.", "foo.test.",
            ])
            var targets = dice.shuffled([good, bad])
            if dice.chance(0.4) {
                let mixed = absolute("mixed", in: dice.pick(privateZones).name)
                targets.append(dice.pick([good, bad, targetName(), mixed, mixed]))
            }
            for (k, target) in targets.enumerated() {
                records.append(
                    ResourceRecordSet(
                        name: absolute("split", in: zone.name), type: "CNAME", values: [target], aliasTarget: nil,
                        aliasZoneID: nil,
                        setIdentifier: "split-\(k)", routing: .weighted(weight: dice.pick([10, 50, 100])),
                        isHealthChecked: dice.chance(0.25),
                        source: location))
            }
            if dice.chance(0.6) {
                let empty = dice.int(0...1)
                for k in 0..<2 {
                    records.append(
                        ResourceRecordSet(
                            name: absolute("mixed", in: zone.name), type: "A", values: k == empty ? [] : [address()],
                            aliasTarget: nil, aliasZoneID: nil,
                            setIdentifier: "mixed-\(k)", routing: .multivalue, isHealthChecked: dice.chance(0.3),
                            source: location))
                }
            }
            snapshot.hostedZones[zone.id]?.recordSets = records
        }

        // Statuses (§34a): in force (COMPLETE, UPDATING, DELETING), not (CREATING, FAILED, DELETED),
        // or not known (OVERRIDDEN).
        func ruleStatus() -> String {
            dice.weighted([
                ("COMPLETE", 72), ("UPDATING", 7), ("DELETING", 5), ("CREATING", 4), ("FAILED", 6), ("DELETED", 2),
                ("OVERRIDDEN", 3),
            ])
        }
        func associationStatus() -> String {
            dice.weighted([
                ("COMPLETE", 70), ("UPDATING", 7), ("DELETING", 5), ("CREATING", 10), ("FAILED", 3), ("DELETED", 2),
                ("OVERRIDDEN", 3),
            ])
        }

        // Resolver rules.
        let rulesExported = dice.chance(0.7)
        var ruleIDs: [String] = []
        if rulesExported {
            snapshot.resolver.exported.insert(.resolverRules)
            for (k, domain) in dice.some(ruleDomains, 1...3).enumerated() {
                let forward = dice.chance(0.55)
                let id = "rslvr-rr-\(k)"
                snapshot.resolver.rules[id] = ResolverRule(
                    id: id, name: nil, domainName: domain, kind: forward ? .forward : .system, status: ruleStatus(),
                    targets: forward ? ["10.50.0.2"] : [], source: location)
                ruleIDs.append(id)
            }
            // Two rules for one domain: AWS documents no precedence (§34).
            if dice.chance(0.3), let twin = ruleIDs.first.flatMap({ snapshot.resolver.rules[$0] }) {
                // Mostly of the other type: a SYSTEM rule must not silence a forwarding one.
                let forward = dice.chance(0.7) ? twin.kind != .forward : twin.kind == .forward
                snapshot.resolver.rules["rslvr-rr-twin"] = ResolverRule(
                    id: "rslvr-rr-twin", name: nil, domainName: twin.domainName, kind: forward ? .forward : .system,
                    status: ruleStatus(),
                    targets: forward ? ["10.50.0.3"] : [], source: location)
                ruleIDs.append("rslvr-rr-twin")
            }
            if dice.chance(0.06) {
                snapshot.resolver.rules["rslvr-rr-root"] = ResolverRule(
                    id: "rslvr-rr-root", name: nil, domainName: ".", kind: .forward, status: "COMPLETE",
                    targets: ["10.50.0.2"], source: location)
                ruleIDs.append("rslvr-rr-root")
            }
            if dice.chance(0.3) {
                let id = "rslvr-autodefined-rr-internet-resolver"
                snapshot.resolver.rules[id] = ResolverRule(
                    id: id, name: "Internet Resolver", domainName: ".", kind: .recursive, status: "COMPLETE",
                    targets: [], source: location)
                ruleIDs.append(id)
            }
            for id in ruleIDs {
                for vpcID in vpcIDs where dice.chance(0.55) {
                    // The auto-defined internet resolver competes with nothing: only plain statuses.
                    let status =
                        id.hasPrefix("rslvr-autodefined-")
                        ? (dice.chance(0.85) ? "COMPLETE" : "CREATING") : associationStatus()
                    snapshot.resolver.ruleAssociations.append(
                        ResolverRuleAssociation(ruleID: id, vpcID: vpcID, status: status, source: location))
                }
            }
            if dice.chance(0.08) {
                snapshot.resolver.ruleAssociations.append(
                    ResolverRuleAssociation(
                        ruleID: "rslvr-rr-missing", vpcID: dice.pick(vpcIDs),
                        status: dice.chance(0.8) ? "COMPLETE" : "UPDATING", source: location))
            }
            if dice.chance(0.2) {
                snapshot.resolver.ruleAssociations.append(
                    ResolverRuleAssociation(
                        ruleID: "rslvr-autodefined-rr-unlisted", vpcID: dice.pick(vpcIDs), status: "COMPLETE",
                        source: location))
            }
        }

        // DNS Firewall.
        var groupIDs: [String] = []
        if dice.chance(0.6) {
            snapshot.resolver.exported.insert(.firewall)
            let listIDs = (1...3).map { "rslvr-fdl-\($0)" }
            for listID in listIDs where dice.chance(0.93) {
                var entries = dice.some(firewallEntries, 1...3)
                if dice.chance(0.06) { entries.append("*.") }
                snapshot.resolver.firewallDomains[listID] = entries
            }
            for g in 1...dice.int(1...2) {
                let groupID = "rslvr-frg-\(g)"
                groupIDs.append(groupID)
                var rules: [FirewallRule] = []
                for (r, priority) in dice.some([100, 200, 300, 400], 1...3).sorted().enumerated() {
                    let action: FirewallRule.Action = dice.weighted([(.allow, 25), (.alert, 20), (.block, 55)])
                    let response: FirewallRule.BlockResponse? =
                        action == .block ? dice.weighted([(.nodata, 35), (.nxdomain, 35), (.override, 30)]) : nil
                    rules.append(
                        FirewallRule(
                            groupID: groupID, name: "rule-\(r)", priority: priority,
                            domainListID: dice.chance(0.03) ? nil : dice.pick(listIDs), action: action,
                            blockResponse: response, overrideDomain: response == .override ? targetName() : nil,
                            queryType: dice.weighted([(nil, 70), ("A", 15), ("AAAA", 15)]),
                            trustsRedirection: action != .block && dice.chance(0.45),
                            source: location))
                }
                // Exported by a file named after the group, or only by rows naming it, or not at all.
                if dice.chance(0.88) {
                    snapshot.resolver.firewallRules[groupID] = dice.shuffled(rules)
                    if dice.chance(0.85) { snapshot.resolver.exportedFirewallRuleGroups.insert(groupID) }
                }
            }
            // A group whose list-firewall-rules output is empty: no rules.
            if dice.chance(0.4) {
                groupIDs.append("rslvr-frg-0")
                snapshot.resolver.exportedFirewallRuleGroups.insert("rslvr-frg-0")
            }
            // A group about one CNAME: its name allowed (often trusting the redirection), its
            // target blocked, so the chain's later names are inspected or not.
            let cnames = snapshot.hostedZones.values.sorted { $0.id < $1.id }.flatMap { $0.recordSets ?? [] }.filter {
                $0.type == "CNAME"
            }
            if !cnames.isEmpty && dice.chance(0.6) {
                let cname = dice.pick(cnames)
                snapshot.resolver.firewallDomains["rslvr-fdl-source"] = [
                    dice.chance(0.5) ? cname.name : "*." + (DNSSimulator.parent(cname.name) ?? ".")
                ]
                snapshot.resolver.firewallDomains["rslvr-fdl-target"] = [
                    DNSSimulator.canonical(cname.values.first ?? ".")
                ]
                let groupID = "rslvr-frg-9"
                groupIDs.append(groupID)
                snapshot.resolver.exportedFirewallRuleGroups.insert(groupID)
                snapshot.resolver.firewallRules[groupID] = [
                    FirewallRule(
                        groupID: groupID, name: "source", priority: 10, domainListID: "rslvr-fdl-source",
                        action: dice.chance(0.7) ? .allow : .alert,
                        blockResponse: nil, overrideDomain: nil, queryType: nil, trustsRedirection: dice.chance(0.7),
                        source: location),
                    FirewallRule(
                        groupID: groupID, name: "target", priority: 20, domainListID: "rslvr-fdl-target",
                        action: .block,
                        blockResponse: dice.chance(0.5) ? .nodata : .nxdomain, overrideDomain: nil, queryType: nil,
                        trustsRedirection: false,
                        source: location),
                ]
            }
            for vpcID in vpcIDs {
                let priorities = dice.shuffled([101, 201, 301, 401, 501])
                for (k, groupID) in groupIDs.enumerated() where dice.chance(groupID == "rslvr-frg-9" ? 0.85 : 0.5) {
                    snapshot.resolver.firewallAssociations.append(
                        FirewallRuleGroupAssociation(
                            groupID: groupID, vpcID: vpcID, priority: groupID == "rslvr-frg-9" ? 1 : priorities[k],
                            status: dice.weighted([
                                ("COMPLETE", 64), ("UPDATING", 10), ("CREATING", 8), ("DELETING", 9), ("FAILED", 5),
                                ("DELETED", 4),
                            ]),
                            source: location))
                }
            }
        }

        // Route 53 Profiles: rp-1 shares zones (one maybe of the same name as a zone associated
        // directly), a rule and a rule group (maybe without a priority), exported by a file named
        // after it or only by rows naming it, or not exported; rp-2 shares nothing, its output
        // exported empty or not at all.
        if dice.chance(0.5) {
            snapshot.resolver.exported.insert(.profiles)
            var resources: [ProfileResource] = []
            func resource(_ kind: ProfileResource.Kind, _ id: String, priority: Int? = nil, status: String)
                -> ProfileResource
            {
                ProfileResource(
                    profileID: "rp-1", kind: kind, resourceID: id, priority: priority, status: status, source: location)
            }
            if dice.chance(0.7) {
                // Often a zone with a twin of the same name, associated directly with some VPCs.
                let twins = privateZones.filter { zone in
                    privateZones.contains { $0.id != zone.id && $0.name == zone.name }
                }
                let shared = dice.some(!twins.isEmpty && dice.chance(0.6) ? twins : privateZones, 1...2)
                for zone in shared {
                    resources.append(
                        resource(
                            .hostedZone, zone.id,
                            status: dice.weighted([("COMPLETE", 80), ("UPDATING", 8), ("CREATING", 12)])))
                }
            }
            if !ruleIDs.isEmpty && dice.chance(0.55) {
                let id =
                    dice.chance(0.1)
                    ? "rslvr-rr-missing"
                    : dice.pick(ruleIDs.filter { !$0.hasPrefix("rslvr-autodefined-") } + ["rslvr-rr-0"])
                resources.append(
                    resource(
                        .resolverRule, id,
                        status: dice.weighted([
                            ("COMPLETE", 72), ("UPDATING", 8), ("DELETING", 4), ("CREATING", 8), ("OVERRIDDEN", 8),
                        ])))
            }
            if !groupIDs.isEmpty && dice.chance(0.8) {
                let group = dice.pick(groupIDs.count > 1 ? groupIDs.filter { $0 != "rslvr-frg-0" } : groupIDs)
                if dice.chance(0.08) {
                    resources.append(resource(.firewallRuleGroup, group, status: "COMPLETE"))
                } else {
                    resources.append(
                        resource(
                            .firewallRuleGroup, group, priority: dice.pick([1, 151, 251, 551]),
                            status: dice.weighted([("COMPLETE", 80), ("UPDATING", 8), ("CREATING", 12)])))
                }
            }
            let firstExported = dice.chance(0.9)
            if firstExported {
                if resources.isEmpty || dice.chance(0.75) { snapshot.resolver.exportedProfileResources.insert("rp-1") }
                if !resources.isEmpty { snapshot.resolver.profileResources["rp-1"] = resources }
            }
            let secondExported = dice.chance(0.4)
            if secondExported { snapshot.resolver.exportedProfileResources.insert("rp-2") }
            // OVERRIDDEN only where the rest of the way is in force and no rule group is shared.
            let overridable =
                firstExported && !resources.isEmpty
                && resources.allSatisfy { $0.kind != .firewallRuleGroup && DNSSimulator.inForce($0.status) == true }
            for vpcID in vpcIDs {
                let profile = dice.weighted([("rp-1", 50), ("rp-2", 10), ("", 40)])
                guard !profile.isEmpty else { continue }
                var status = dice.weighted([
                    ("COMPLETE", 72), ("UPDATING", 8), ("DELETING", 4), ("CREATING", 10), ("OVERRIDDEN", 6),
                ])
                if status == "OVERRIDDEN" && (profile != "rp-1" || !overridable) { status = "COMPLETE" }
                snapshot.resolver.profileAssociations.append(
                    ProfileAssociation(profileID: profile, vpcID: vpcID, status: status, source: location))
            }
        }
        return snapshot
    }

    /// About twenty-five names to ask from every VPC of `snapshot`: names in and below the zones, EC2
    /// hostnames in and out of the VPCs and Regions, and public and reserved names.
    static func queryNames(seed: UInt64, snapshot: Snapshot) -> [String] {
        var dice = Dice(seed: seed &+ 0x51ED_0000)
        let zoneApexes = Set(snapshot.hostedZones.values.map(\.name)).sorted() + [dice.pick(zoneNames)]
        let inZones = Set(zoneApexes.flatMap { apex in queryLabels.map { absolute($0, in: apex) } }).sorted()
        let vpcNumbers = snapshot.vpcs.keys.compactMap { Int($0.dropFirst(4)) }.sorted()
        var hosts = [
            "ip-172-16-3-4", "ip-192-168-1-1", "ip-100-64-99-9", "ip-54-1-2-3", "i-0123456789abcdef0", "x.ip-10-0-1-5",
        ]
        for v in vpcNumbers { hosts += ["ip-10-\(v)-1-20", "ip-100-64-\(v)-7", "ip-10-\(v)-2-30"] }
        let domains = regions.flatMap(ec2Domains) + ["us-east-1.compute.internal."]
        var ec2Names: [String] = []
        let ownDomains = snapshot.vpcs.values.compactMap(\.placement.region).sorted().flatMap(ec2Domains)
        for _ in 0..<8 { ec2Names.append(dice.pick(hosts) + "." + dice.pick(dice.chance(0.5) ? ownDomains : domains)) }
        // Hostnames of each active peering's Regions (§34: the peering's DNS option decides).
        for peering in snapshot.peeringConnections.values.sorted(by: { $0.id < $1.id }) where peering.status == "active"
        {
            for side in [peering.requester, peering.accepter] {
                guard let region = snapshot.vpcs[side.vpcID]?.placement.region ?? side.region else { continue }
                ec2Names.append(dice.pick(hosts) + "." + dice.pick(ec2Domains(region)))
            }
        }
        let recordNames = Set(
            snapshot.hostedZones.values.flatMap { $0.recordSets ?? [] }.map(\.name).filter { !$0.hasPrefix("*") }
        ).sorted()
        // The CNAMEs the firewall group about one CNAME allows, then the others.
        let allowed = snapshot.resolver.firewallDomains["rslvr-fdl-source"] ?? []
        let cnames = Set(
            snapshot.hostedZones.values.flatMap { $0.recordSets ?? [] }.filter { $0.type == "CNAME" }.map(\.name)
                .filter { name in allowed.contains { DNSSimulator.firewallEntry($0, matches: name) } }
        ).sorted()
        // The names whose sets may partly fail (§35).
        let special = recordNames.filter { $0.hasPrefix("split.") || $0.hasPrefix("mixed.") }
        let picked =
            special + dice.some(cnames.filter { !special.contains($0) }, 2...2)
            + dice.some(recordNames.filter { !cnames.contains($0) && !special.contains($0) }, 6...6)
        let names =
            picked + dice.some(inZones.filter { !picked.contains($0) }, 5...5) + ec2Names
            + dice.some(publicNames, 3...3)
        return names.map { name in dice.chance(0.7) ? String(name.dropLast()) : name }
    }
}
