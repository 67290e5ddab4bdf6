import PacketSets
@testable import VPCReachKit

/// Small random DNS estates for `DNSDifferentialTests`: two to four VPCs in one to three Regions
/// with random DNS attributes and DHCP options, peerings, private zones over a small name space
/// (some with undetermined associations) holding A, alias, CNAME, TXT and AAAA records under every
/// routing policy, Resolver rules (FORWARD, SYSTEM, one not listed), DNS Firewall rule groups
/// and sometimes a Route 53 Profile sharing a zone, a rule or a rule group.
enum RandomDNSEstate {
    static let regions = ["eu-west-1", "us-east-1", "eu-central-1", "ap-southeast-2"]
    static let location = SourceLocation(file: "random-dns.json")
    static let zoneNames = ["corp.internal.", "db.corp.internal.", "internal.", "eu-west-1.compute.internal.", "example.com.", "svc.example.com."]
    /// Record names relative to a zone's apex (`@`).
    static let recordNames = ["@", "web", "api", "db", "pg", "a.b", "*", "*.b", "cache", "primary.db", "ip-10-0-1-5", "x.y"]
    /// Query names relative to a zone's apex.
    static let queryLabels = ["@", "web", "api", "db", "pg", "a.b", "b", "x.b", "zzz", "deep.zzz", "cache", "primary.db", "ip-10-0-1-5", "x.y", "y", "q.pg"]
    static let ruleDomains = [
        "corp.internal.", "db.corp.internal.", "example.com.", "internal.", "eu-west-1.compute.internal.", "svc.example.com.", "b.corp.internal.",
        "compute.internal.", "ec2.internal.", "ap-southeast-2.compute.internal.",
    ]
    static let firewallEntries = [
        "corp.internal.", "*.corp.internal.", "web.corp.internal.", "db.corp.internal.", "*.db.corp.internal.", "example.com.", "*.example.com.",
        "api.corp.internal.", "*.compute.internal.", "*.internal.", "ec2.internal.", "*.ec2.internal.", "www.amazon.com.", "cache.corp.internal.",
        "pg.db.corp.internal.", "web.svc.example.com.", "*.eu-west-1.compute.internal.",
    ]
    static let publicNames = [
        "www.amazon.com.", "ec2-54-1-2-3.eu-west-1.compute.amazonaws.com.", "missing.example.com.", "foo.test.", "printer.local.", "router.home.arpa.",
        "nothing.example.", "host.internal.", "example.com.", "deep.svc.example.com.", "x.corp.internal.", "a.b.c.internal.",
    ]
    static let geoLocations: [GeoLocation] = [
        GeoLocation(continent: "EU", country: nil, subdivision: nil), GeoLocation(continent: "NA", country: nil, subdivision: nil),
        GeoLocation(continent: "OC", country: nil, subdivision: nil), GeoLocation(continent: "AS", country: nil, subdivision: nil),
        GeoLocation(continent: nil, country: "IE", subdivision: nil), GeoLocation(continent: nil, country: "DE", subdivision: nil),
        GeoLocation(continent: nil, country: "US", subdivision: nil), GeoLocation(continent: nil, country: "AU", subdivision: nil),
        GeoLocation(continent: nil, country: "GB", subdivision: nil), GeoLocation(continent: nil, country: "US", subdivision: "VA"),
        GeoLocation(continent: nil, country: "US", subdivision: "OR"), GeoLocation(continent: nil, country: "JP", subdivision: nil),
    ]
    static let defaultLocation = GeoLocation(continent: nil, country: "*", subdivision: nil)

    /// A seeded die.
    struct Dice {
        var generator: SeededGenerator

        init(seed: UInt64) { generator = SeededGenerator(seed: seed) }

        mutating func chance(_ probability: Double) -> Bool { Double.random(in: 0..<1, using: &generator) < probability }
        mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &generator) }
        mutating func pick<T>(_ items: [T]) -> T { items[Int.random(in: 0..<items.count, using: &generator)] }
        mutating func shuffled<T>(_ items: [T]) -> [T] { items.shuffled(using: &generator) }
        /// `count` distinct items (fewer when there are fewer).
        mutating func some<T>(_ items: [T], _ count: ClosedRange<Int>) -> [T] { Array(shuffled(items).prefix(int(count))) }
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
        let usedRegions = dice.some(regions, 1...3)
        let dhcpExported = dice.chance(0.75)
        if dhcpExported { snapshot.resolver.exported.insert(.dhcpOptions) }
        for v in 0..<vpcCount {
            let id = "vpc-\(v)"
            var blocks = [CIDRBlock("10.\(v).0.0/16")!]
            if dice.chance(0.5) { blocks.append(CIDRBlock("100.64.\(v).0/24")!) }
            let support: Bool? = dice.weighted([(true, 82), (false, 10), (nil, 8)])
            let hostnames: Bool? = dice.weighted([(true, 80), (false, 12), (nil, 8)])
            var vpc = VPC(
                id: id, placement: Placement(account: "111122223333", region: dice.pick(usedRegions)), cidrBlocks: blocks, dnsSupport: support,
                dnsHostnames: hostnames, isDefault: false, tags: Tags(), source: location)
            let setID = "dopt-\(v)"
            let servers: [String]??
            switch dice.int(0...99) {
            case 0..<25: servers = .none; vpc.dhcpOptionsID = nil
            case 25..<60: servers = ["AmazonProvidedDNS"]
            case 60..<65: servers = ["169.254.169.253"]
            case 65..<70: servers = ["10.\(v).0.2"]
            case 70..<73: servers = ["10.\((v + 1) % 4).0.2"]
            case 73..<80: servers = ["10.9.9.9"]
            case 80..<83: servers = ["AmazonProvidedDNS", "10.9.9.9"]
            case 83..<87: servers = .some(nil)
            case 87..<93: servers = .none; vpc.dhcpOptionsID = "default"
            default: servers = .none; vpc.dhcpOptionsID = "dopt-missing\(v)"
            }
            if let servers {
                vpc.dhcpOptionsID = setID
                if dhcpExported { snapshot.resolver.dhcpOptions[setID] = DHCPOptions(id: setID, domainNameServers: servers, source: location) }
            }
            snapshot.vpcs[id] = vpc
        }
        let vpcIDs = snapshot.vpcs.keys.sorted()

        // Peerings, some active, some to a VPC outside the snapshot.
        var peeringNumber = 0
        func side(_ vpcID: String, region: String? = nil) -> PeeringSide {
            let vpc = snapshot.vpcs[vpcID]
            return PeeringSide(vpcID: vpcID, ownerID: "111122223333", region: vpc?.placement.region ?? region, cidrBlocks: vpc?.cidrBlocks ?? [])
        }
        for (i, a) in vpcIDs.enumerated() {
            for b in vpcIDs[(i + 1)...] where dice.chance(0.45) {
                peeringNumber += 1
                let status = dice.chance(0.75) ? "active" : dice.pick(["pending-acceptance", "deleted", "rejected"])
                snapshot.peeringConnections["pcx-\(peeringNumber)"] = PeeringConnection(
                    id: "pcx-\(peeringNumber)", status: status, requester: side(a), accepter: side(b), tags: Tags(), source: location)
            }
        }
        if dice.chance(0.25) {
            peeringNumber += 1
            var remote = side("vpc-remote", region: dice.pick(regions))
            remote.cidrBlocks = [CIDRBlock("10.200.0.0/16")!]
            snapshot.peeringConnections["pcx-\(peeringNumber)"] = PeeringConnection(
                id: "pcx-\(peeringNumber)", status: dice.chance(0.7) ? "active" : "pending-acceptance", requester: side(dice.pick(vpcIDs)),
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
            zones.append(HostedZone(id: "Z\(seed)PRIV\(i)", name: name, isPrivate: true, vpcAssociations: associations, recordSets: [], source: location))
        }
        if dice.chance(0.3) {
            zones.append(HostedZone(id: "Z\(seed)PUBLIC", name: "example.com.", isPrivate: false, vpcAssociations: nil, recordSets: [], source: location))
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
                return absolute(dice.pick(recordNames.filter { !$0.hasPrefix("*") } + ["nothere", "zzz"]), in: zone.name)
            case 6, 7:
                let host = dice.pick(["ip-10-0-1-20", "ip-10-1-2-30", "ip-54-1-2-3", "ip-172-16-0-9", "i-0123456789abcdef0"])
                return host + "." + dice.pick(regions.flatMap(ec2Domains))
            default:
                return dice.pick(["www.amazon.com.", "api.example.com.", "foo.test.", "svc.example.com."])
            }
        }
        func sets(named name: String) -> [ResourceRecordSet] {
            let kind = dice.weighted([("A", 44), ("alias", 18), ("CNAME", 25), ("TXT", 8), ("AAAA", 5)])
            let policy = dice.weighted([("simple", 34), ("weighted", 20), ("failover", 10), ("latency", 13), ("geolocation", 15), ("multivalue", 8)])
            let count = policy == "simple" ? 1 : policy == "failover" ? 2 : dice.int(1...3)
            let latencyRegions = dice.shuffled(regions)
            let geo = dice.shuffled(geoLocations)
            var result: [ResourceRecordSet] = []
            for k in 0..<count {
                let routing: RecordRouting
                switch policy {
                case "weighted": routing = .weighted(weight: dice.pick([0, 0, 10, 50, 100]))
                case "failover": routing = .failover(primary: k == 0)
                case "latency": routing = .latency(region: latencyRegions[k])
                case "geolocation": routing = .geolocation(k == count - 1 && dice.chance(0.35) ? defaultLocation : geo[k])
                case "multivalue": routing = .multivalue
                default: routing = .simple
                }
                var set = ResourceRecordSet(
                    name: name, type: kind == "alias" ? "A" : kind, values: [], aliasTarget: nil, aliasZoneID: nil,
                    setIdentifier: policy == "simple" ? nil : "\(policy)-\(k)", routing: routing, isHealthChecked: dice.chance(0.2), source: location)
                switch kind {
                case "A":
                    set.values = dice.chance(0.03) ? ["not-an-address"] : (0..<dice.int(1...2)).map { _ in address() }
                case "alias":
                    if dice.chance(0.12) {
                        set.aliasTarget = "internal-app-1.eu-west-1.elb.amazonaws.com."
                        set.aliasZoneID = "Z32O12XQLNTSW2"
                    } else {
                        let zone = dice.pick(privateZones)
                        set.aliasTarget = absolute(dice.pick(recordNames.filter { !$0.hasPrefix("*") } + ["nothere", "zzz"]), in: zone.name)
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
                records.append(ResourceRecordSet(
                    name: zones[index].name, type: "NS", values: ["ns-1.awsdns-00.com."], aliasTarget: nil, aliasZoneID: nil, setIdentifier: nil,
                    source: location))
            }
            zones[index].recordSets = records
            snapshot.hostedZones[zones[index].id] = zones[index]
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
                    id: id, name: nil, domainName: domain, kind: forward ? .forward : .system, status: dice.chance(0.9) ? "COMPLETE" : "FAILED",
                    targets: forward ? ["10.50.0.2"] : [], source: location)
                ruleIDs.append(id)
            }
            if dice.chance(0.06) {
                snapshot.resolver.rules["rslvr-rr-root"] = ResolverRule(
                    id: "rslvr-rr-root", name: nil, domainName: ".", kind: .forward, status: "COMPLETE", targets: ["10.50.0.2"], source: location)
                ruleIDs.append("rslvr-rr-root")
            }
            if dice.chance(0.3) {
                let id = "rslvr-autodefined-rr-internet-resolver"
                snapshot.resolver.rules[id] = ResolverRule(
                    id: id, name: "Internet Resolver", domainName: ".", kind: .recursive, status: "COMPLETE", targets: [], source: location)
                ruleIDs.append(id)
            }
            for id in ruleIDs {
                for vpcID in vpcIDs where dice.chance(0.55) {
                    snapshot.resolver.ruleAssociations.append(
                        ResolverRuleAssociation(ruleID: id, vpcID: vpcID, status: dice.chance(0.85) ? "COMPLETE" : "CREATING", source: location))
                }
            }
            if dice.chance(0.08) {
                snapshot.resolver.ruleAssociations.append(
                    ResolverRuleAssociation(ruleID: "rslvr-rr-missing", vpcID: dice.pick(vpcIDs), status: "COMPLETE", source: location))
            }
            if dice.chance(0.2) {
                snapshot.resolver.ruleAssociations.append(
                    ResolverRuleAssociation(ruleID: "rslvr-autodefined-rr-unlisted", vpcID: dice.pick(vpcIDs), status: "COMPLETE", source: location))
            }
        }

        // DNS Firewall.
        var groupIDs: [String] = []
        if dice.chance(0.6) {
            snapshot.resolver.exported.insert(.firewall)
            let listIDs = (1...3).map { "rslvr-fdl-\($0)" }
            for listID in listIDs where dice.chance(0.96) {
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
                    let response: FirewallRule.BlockResponse? = action == .block ? dice.weighted([(.nodata, 35), (.nxdomain, 35), (.override, 30)]) : nil
                    rules.append(FirewallRule(
                        groupID: groupID, name: "rule-\(r)", priority: priority, domainListID: dice.chance(0.03) ? nil : dice.pick(listIDs), action: action,
                        blockResponse: response, overrideDomain: response == .override ? targetName() : nil,
                        queryType: dice.weighted([(nil, 70), ("A", 15), ("AAAA", 15)]), trustsRedirection: action != .block && dice.chance(0.45),
                        source: location))
                }
                if dice.chance(0.94) { snapshot.resolver.firewallRules[groupID] = dice.shuffled(rules) }
            }
            // A group about one CNAME: its name allowed (often trusting the redirection), its
            // target blocked, so the chain's later names are inspected or not.
            let cnames = snapshot.hostedZones.values.sorted { $0.id < $1.id }.flatMap { $0.recordSets ?? [] }.filter { $0.type == "CNAME" }
            if !cnames.isEmpty && dice.chance(0.6) {
                let cname = dice.pick(cnames)
                snapshot.resolver.firewallDomains["rslvr-fdl-source"] = [dice.chance(0.5) ? cname.name : "*." + (DNSSimulator.parent(cname.name) ?? ".")]
                snapshot.resolver.firewallDomains["rslvr-fdl-target"] = [DNSSimulator.canonical(cname.values.first ?? ".")]
                let groupID = "rslvr-frg-9"
                groupIDs.append(groupID)
                snapshot.resolver.firewallRules[groupID] = [
                    FirewallRule(
                        groupID: groupID, name: "source", priority: 10, domainListID: "rslvr-fdl-source", action: dice.chance(0.7) ? .allow : .alert,
                        blockResponse: nil, overrideDomain: nil, queryType: nil, trustsRedirection: dice.chance(0.7), source: location),
                    FirewallRule(
                        groupID: groupID, name: "target", priority: 20, domainListID: "rslvr-fdl-target", action: .block,
                        blockResponse: dice.chance(0.5) ? .nodata : .nxdomain, overrideDomain: nil, queryType: nil, trustsRedirection: false,
                        source: location),
                ]
            }
            for vpcID in vpcIDs {
                let priorities = dice.shuffled([101, 201, 301, 401])
                for (k, groupID) in groupIDs.enumerated() where dice.chance(groupID == "rslvr-frg-9" ? 0.85 : 0.5) {
                    snapshot.resolver.firewallAssociations.append(FirewallRuleGroupAssociation(
                        groupID: groupID, vpcID: vpcID, priority: groupID == "rslvr-frg-9" ? 1 : priorities[k],
                        status: dice.weighted([("COMPLETE", 70), ("UPDATING", 12), ("CREATING", 9), ("DELETING", 9)]), source: location))
                }
            }
        }

        // A Route 53 Profile sharing a zone, a rule or a rule group.
        if dice.chance(0.3) {
            snapshot.resolver.exported.insert(.profiles)
            let profileID = "rp-1"
            var profileVPCs: [String] = []
            for vpcID in vpcIDs where dice.chance(0.5) {
                profileVPCs.append(vpcID)
                snapshot.resolver.profileAssociations.append(
                    ProfileAssociation(profileID: profileID, vpcID: vpcID, status: dice.chance(0.85) ? "COMPLETE" : "CREATING", source: location))
            }
            var resources: [ProfileResource] = []
            if dice.chance(0.6) {
                let zone = dice.pick(privateZones)
                // A VPC is associated with at most one zone of a name.
                let clash = profileVPCs.contains { vpcID in
                    privateZones.contains { $0.id != zone.id && $0.name == zone.name && $0.vpcAssociations?.contains { $0.vpcID == vpcID } == true }
                }
                if !clash {
                    resources.append(ProfileResource(
                        profileID: profileID, kind: .hostedZone, resourceID: zone.id, priority: nil, status: "COMPLETE", source: location))
                }
            }
            if !ruleIDs.isEmpty && dice.chance(0.5) {
                resources.append(ProfileResource(
                    profileID: profileID, kind: .resolverRule, resourceID: dice.pick(ruleIDs), priority: nil, status: "COMPLETE", source: location))
            }
            if !groupIDs.isEmpty && dice.chance(0.6) {
                resources.append(ProfileResource(
                    profileID: profileID, kind: .firewallRuleGroup, resourceID: dice.pick(groupIDs), priority: dice.pick([151, 251]), status: "COMPLETE",
                    source: location))
            }
            snapshot.resolver.profileResources[profileID] = resources
        }
        return snapshot
    }

    /// About twenty-three names to ask from every VPC of `snapshot`: names in and below the zones, EC2
    /// hostnames in and out of the VPCs and Regions, and public and reserved names.
    static func queryNames(seed: UInt64, snapshot: Snapshot) -> [String] {
        var dice = Dice(seed: seed &+ 0x51ED_0000)
        let zoneApexes = Set(snapshot.hostedZones.values.map(\.name)).sorted() + [dice.pick(zoneNames)]
        let inZones = Set(zoneApexes.flatMap { apex in queryLabels.map { absolute($0, in: apex) } }).sorted()
        let vpcNumbers = snapshot.vpcs.keys.compactMap { Int($0.dropFirst(4)) }.sorted()
        var hosts = ["ip-172-16-3-4", "ip-192-168-1-1", "ip-100-64-99-9", "ip-54-1-2-3", "i-0123456789abcdef0", "x.ip-10-0-1-5"]
        for v in vpcNumbers { hosts += ["ip-10-\(v)-1-20", "ip-100-64-\(v)-7", "ip-10-\(v)-2-30"] }
        let domains = regions.flatMap(ec2Domains) + ["us-east-1.compute.internal."]
        var ec2Names: [String] = []
        let ownDomains = snapshot.vpcs.values.compactMap(\.placement.region).sorted().flatMap(ec2Domains)
        for _ in 0..<7 { ec2Names.append(dice.pick(hosts) + "." + dice.pick(dice.chance(0.5) ? ownDomains : domains)) }
        let recordNames = Set(snapshot.hostedZones.values.flatMap { $0.recordSets ?? [] }.map(\.name).filter { !$0.hasPrefix("*") }).sorted()
        // The CNAMEs the firewall group about one CNAME allows, then the others.
        let allowed = snapshot.resolver.firewallDomains["rslvr-fdl-source"] ?? []
        let cnames = Set(snapshot.hostedZones.values.flatMap { $0.recordSets ?? [] }.filter { $0.type == "CNAME" }.map(\.name)
            .filter { name in allowed.contains { DNSSimulator.firewallEntry($0, matches: name) } }).sorted()
        let picked = dice.some(cnames, 2...2) + dice.some(recordNames.filter { !cnames.contains($0) }, 6...6)
        let names = picked + dice.some(inZones.filter { !picked.contains($0) }, 5...5) + ec2Names + dice.some(publicNames, 3...3)
        return names.map { name in dice.chance(0.7) ? String(name.dropLast()) : name }
    }
}
