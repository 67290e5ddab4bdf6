import PacketSets

@testable import VPCReachKit

/// A deterministic random number generator (SplitMix64), so every failure can be replayed by seed.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Small random estates: two VPCs, a few subnets, interfaces, groups, ACLs, tables and a peering.
enum RandomEstate {
    static let vpcBlocks = ["10.0.0.0/16", "10.1.0.0/16"]
    static let subnetBlocks = [["10.0.1.0/24", "10.0.2.0/24"], ["10.1.1.0/24", "10.1.2.0/24"]]
    static let ports = [22, 80, 443, 5432, 6379]
    static let location = SourceLocation(file: "random.json")

    static func cidr(_ text: String) -> CIDRBlock {
        CIDRBlock(text) ?? .all
    }

    static func make(seed: UInt64) -> Snapshot {
        var random = SeededGenerator(seed: seed)
        var snapshot = Snapshot(root: "random-\(seed)")
        let peeringActive = Int.random(in: 0...3, using: &random) > 0
        snapshot.peeringConnections["pcx-1"] = PeeringConnection(
            id: "pcx-1", status: peeringActive ? "active" : "pending-acceptance",
            requester: PeeringSide(vpcID: "vpc-0", ownerID: nil, region: "eu-west-1", cidrBlocks: [cidr(vpcBlocks[0])]),
            accepter: PeeringSide(vpcID: "vpc-1", ownerID: nil, region: "eu-west-1", cidrBlocks: [cidr(vpcBlocks[1])]),
            tags: Tags(), source: location)
        var interfaceNumber = 0
        for v in 0..<2 {
            let vpcID = "vpc-\(v)"
            snapshot.vpcs[vpcID] = VPC(
                id: vpcID, placement: Placement(account: nil, region: "eu-west-1"), cidrBlocks: [cidr(vpcBlocks[v])],
                dnsSupport: true,
                dnsHostnames: true, isDefault: false, tags: Tags(), source: location)
            let groups = (0..<2).map { "sg-\(v)\($0)" }
            for groupID in groups {
                snapshot.securityGroups[groupID] = SecurityGroup(
                    id: groupID, name: groupID, vpcID: vpcID, ownerID: nil,
                    placement: Placement(account: nil, region: "eu-west-1"),
                    ingress: randomRules(&random, ownVPC: v),
                    egress: Int.random(in: 0...3, using: &random) > 0 ? [allRule()] : randomRules(&random, ownVPC: v),
                    tags: Tags(), source: location)
            }
            for s in 0..<2 {
                let subnetID = "subnet-\(v)\(s)"
                snapshot.subnets[subnetID] = Subnet(
                    id: subnetID, vpcID: vpcID, cidrBlock: cidr(subnetBlocks[v][s]), availabilityZone: "eu-west-1a",
                    placement: Placement(account: nil, region: "eu-west-1"), tags: Tags(), source: location)
                for _ in 0..<Int.random(in: 1...2, using: &random) {
                    interfaceNumber += 1
                    let base = cidr(subnetBlocks[v][s]).first
                    let chosen = groups.filter { _ in Bool.random(using: &random) }
                    snapshot.networkInterfaces["eni-\(interfaceNumber)"] = NetworkInterface(
                        id: "eni-\(interfaceNumber)", subnetID: subnetID, vpcID: vpcID,
                        privateAddresses: [IPv4Address(base + 10 + UInt32(interfaceNumber))], publicAddresses: [],
                        groupIDs: chosen.isEmpty ? [groups[0]] : chosen, kind: .ec2Instance, interfaceType: "interface",
                        interfaceDescription: nil, requesterID: nil, instanceID: nil, deviceIndex: 0, status: "in-use",
                        sourceDestCheck: true, placement: Placement(account: nil, region: "eu-west-1"), tags: Tags(),
                        source: location)
                }
            }
            // ACLs: the default one allows everything; a custom one gets random entries.
            snapshot.networkACLs["acl-\(v)d"] = NetworkACL(
                id: "acl-\(v)d", vpcID: vpcID, isDefault: true, subnetIDs: [],
                entries: [
                    aclEntry(100, egress: false, allow: true), aclEntry(100, egress: true, allow: true),
                    aclEntry(32767, egress: false, allow: false), aclEntry(32767, egress: true, allow: false),
                ],
                tags: Tags(), source: location)
            let customSubnets = (0..<2).map { "subnet-\(v)\($0)" }.filter { _ in
                Int.random(in: 0...2, using: &random) == 0
            }
            snapshot.networkACLs["acl-\(v)c"] = NetworkACL(
                id: "acl-\(v)c", vpcID: vpcID, isDefault: false, subnetIDs: customSubnets,
                entries: randomACLEntries(&random),
                tags: Tags(), source: location)
            // Route tables: a main one, and an explicit one for some subnets.
            let other = 1 - v
            func routes() -> [Route] {
                var list = [
                    Route(
                        destination: .cidr(cidr(vpcBlocks[v])), target: .local, origin: "CreateRouteTable",
                        state: "active", source: location)
                ]
                switch Int.random(in: 0...3, using: &random) {
                case 0: break
                case 1: list.append(route(vpcBlocks[other], state: peeringActive ? "active" : "blackhole"))
                case 2:
                    list.append(
                        route(
                            subnetBlocks[other][Int.random(in: 0...1, using: &random)],
                            state: peeringActive ? "active" : "blackhole"))
                default:
                    list.append(route(vpcBlocks[other], state: peeringActive ? "active" : "blackhole"))
                    list.append(route(subnetBlocks[other][0], state: "blackhole"))
                }
                return list
            }
            snapshot.routeTables["rtb-\(v)m"] = RouteTable(
                id: "rtb-\(v)m", vpcID: vpcID, isMain: true, subnetIDs: [], gatewayIDs: [], routes: routes(),
                tags: Tags(), source: location)
            let explicit = (0..<2).map { "subnet-\(v)\($0)" }.filter { _ in Bool.random(using: &random) }
            snapshot.routeTables["rtb-\(v)e"] = RouteTable(
                id: "rtb-\(v)e", vpcID: vpcID, isMain: false, subnetIDs: explicit, gatewayIDs: [], routes: routes(),
                tags: Tags(), source: location)
        }
        return snapshot
    }

    static func route(_ block: String, state: String) -> Route {
        Route(
            destination: .cidr(cidr(block)), target: .peeringConnection("pcx-1"), origin: "CreateRoute",
            state: RouteState(state), source: location)
    }

    static func allRule() -> SecurityGroupRule {
        SecurityGroupRule(
            ipProtocol: .all, fromPort: nil, toPort: nil, peer: .cidr(.all), ruleDescription: nil, source: location)
    }

    static func randomRules(_ random: inout SeededGenerator, ownVPC: Int) -> [SecurityGroupRule] {
        (0..<Int.random(in: 1...4, using: &random)).map { _ in
            let port = ports.randomElement(using: &random) ?? 22
            let wide = Bool.random(using: &random)
            let peer: SecurityGroupPeer
            switch Int.random(in: 0...4, using: &random) {
            case 0: peer = .cidr(.all)
            case 1: peer = .cidr(cidr(vpcBlocks.randomElement(using: &random) ?? vpcBlocks[0]))
            case 2:
                peer = .cidr(
                    cidr(subnetBlocks[Int.random(in: 0...1, using: &random)][Int.random(in: 0...1, using: &random)]))
            default:
                let v = Int.random(in: 0...1, using: &random)
                peer = .group(
                    GroupReference(
                        groupID: "sg-\(v)\(Int.random(in: 0...1, using: &random))", userID: nil, vpcID: "vpc-\(v)",
                        peeringConnectionID: v == ownVPC ? nil : "pcx-1", peeringStatus: nil))
            }
            if Int.random(in: 0...5, using: &random) == 0 {
                return SecurityGroupRule(
                    ipProtocol: .all, fromPort: nil, toPort: nil, peer: peer, ruleDescription: nil, source: location)
            }
            return SecurityGroupRule(
                ipProtocol: .tcp, fromPort: wide ? port - 1 : port, toPort: wide ? port + 100 : port, peer: peer,
                ruleDescription: nil, source: location)
        }
    }

    static func aclEntry(
        _ number: Int, egress: Bool, allow: Bool, ports: ClosedRange<Int>? = nil, block: String = "0.0.0.0/0"
    ) -> NetworkACLEntry {
        NetworkACLEntry(
            ruleNumber: number, isEgress: egress, allows: allow, ipProtocol: ports == nil ? .all : .tcp,
            portRange: ports,
            icmpTypeCode: nil, cidrBlock: cidr(block), source: location)
    }

    static func randomACLEntries(_ random: inout SeededGenerator) -> [NetworkACLEntry] {
        var entries: [NetworkACLEntry] = []
        for egress in [false, true] {
            for index in 0..<Int.random(in: 0...4, using: &random) {
                let portChoices: [ClosedRange<Int>?] = [
                    nil, nil, 5432...5432, 1024...1025, 1024...1027, 0...1023, 1024...65535, 6379...6380,
                ]
                let block =
                    (vpcBlocks + subnetBlocks.flatMap { $0 } + ["0.0.0.0/0"]).randomElement(using: &random)
                    ?? "0.0.0.0/0"
                entries.append(
                    aclEntry(
                        (index + 1) * 10 + Int.random(in: 0...5, using: &random), egress: egress,
                        allow: Int.random(in: 0...4, using: &random) > 0,
                        ports: portChoices.randomElement(using: &random) ?? nil, block: block))
            }
            entries.append(aclEntry(32767, egress: egress, allow: false))
        }
        return entries
    }
}

extension RandomEstate {
    /// `snapshot` with a twin next to every other interface (same subnet and groups, an address
    /// 100 up), so classes have several members and some have one; every group admits half of the originals by their own
    /// address (a /32 rule), and every network ACL denies a third of the originals some ports by
    /// their own address (a /32 entry, both ways), so twins can answer differently from their
    /// originals, and interfaces of one subnet differently from each other.
    static func withTwins(_ snapshot: Snapshot) -> Snapshot {
        var copy = snapshot
        let interfaces = snapshot.networkInterfaces.values.sorted { $0.id < $1.id }
        for (number, interface) in interfaces.enumerated() {
            if number.isMultiple(of: 2) {
                var twin = interface
                twin.id = interface.id + "-twin"
                twin.privateAddresses = interface.privateAddresses.map { IPv4Address($0.value + 100) }
                copy.networkInterfaces[twin.id] = twin
            }
            guard let address = interface.privateAddresses.first else { continue }
            if number % 3 == 1 {
                for aclID in copy.networkACLs.keys {
                    copy.networkACLs[aclID]?.entries += [
                        aclEntry(1 + number, egress: false, allow: false, ports: 2000...3000, block: "\(address)/32"),
                        aclEntry(1 + number, egress: true, allow: false, ports: 0...1000, block: "\(address)/32"),
                    ]
                }
            }
            guard number.isMultiple(of: 2) else { continue }
            for groupID in copy.securityGroups.keys {
                copy.securityGroups[groupID]?.ingress.append(
                    SecurityGroupRule(
                        ipProtocol: .tcp, fromPort: 0, toPort: 65535,
                        peer: .cidr(CIDRBlock(network: address, prefixLength: 32)),
                        ruleDescription: nil, source: location))
            }
        }
        return copy
    }
}

extension RandomEstate {
    /// `make(seed:)` with the internet around it: an internet gateway per VPC (the second one
    /// sometimes detached), a NAT gateway in subnet-00 (sometimes failed), public addresses on
    /// about half the interfaces, a default route in each table to its VPC's internet gateway, to
    /// the NAT gateway (vpc-0) or nowhere, and group rules and ACL entries for TCP, UDP and ICMP
    /// from internet and public blocks.
    static func withInternet(seed: UInt64) -> Snapshot {
        var snapshot = make(seed: seed)
        var random = SeededGenerator(seed: seed &+ 0x1D)
        snapshot.internetGateways["igw-0"] = InternetGateway(
            id: "igw-0", attachedVPCIDs: ["vpc-0"], tags: Tags(), source: location)
        snapshot.internetGateways["igw-1"] = InternetGateway(
            id: "igw-1", attachedVPCIDs: Int.random(in: 0...3, using: &random) > 0 ? ["vpc-1"] : [], tags: Tags(),
            source: location)
        snapshot.natGateways["nat-0"] = NATGateway(
            id: "nat-0", vpcID: "vpc-0", subnetID: "subnet-00",
            state: Int.random(in: 0...4, using: &random) > 0 ? "available" : "failed",
            connectivityType: "public", privateAddresses: [IPv4Address("10.0.1.200")!],
            publicAddresses: [IPv4Address("52.0.0.1")!],
            networkInterfaceIDs: [], tags: Tags(), source: location)
        for (number, id) in snapshot.networkInterfaces.keys.sorted().enumerated() where Bool.random(using: &random) {
            // 54.0.0.N
            snapshot.networkInterfaces[id]?.publicAddresses = [IPv4Address(0x3600_0000 | UInt32(number + 1))]
        }
        // The NAT gateway's own subnet mostly reaches the internet gateway; vpc-0's other table
        // mostly hands its traffic to the NAT gateway.
        let natTable = snapshot.routeTables["rtb-0e"]?.subnetIDs.contains("subnet-00") == true ? "rtb-0e" : "rtb-0m"
        for id in snapshot.routeTables.keys.sorted() {
            guard let vpc = snapshot.routeTables[id]?.vpcID else { continue }
            let target: RouteTarget?
            let roll = Int.random(in: 0...7, using: &random)
            if id == natTable {
                target = roll < 6 ? .internetGateway("igw-0") : roll == 6 ? .natGateway("nat-0") : nil
            } else if vpc == "vpc-0" {
                target = roll < 5 ? .natGateway("nat-0") : roll == 5 ? .internetGateway("igw-0") : nil
            } else {
                target = roll < 6 ? .internetGateway("igw-1") : nil
            }
            if let target {
                snapshot.routeTables[id]?.routes.append(
                    Route(
                        destination: .cidr(cidr("0.0.0.0/0")), target: target, origin: "CreateRoute", state: "active",
                        source: location))
            }
        }
        let blocks = ["0.0.0.0/0", "203.0.113.0/24", "52.0.0.1/32", "54.0.0.0/24"]
        for id in snapshot.securityGroups.keys.sorted() {
            for _ in 0..<Int.random(in: 0...2, using: &random) {
                let peer = SecurityGroupPeer.cidr(cidr(blocks.randomElement(using: &random) ?? blocks[0]))
                let rule: SecurityGroupRule
                switch Int.random(in: 0...2, using: &random) {
                case 0:
                    rule = SecurityGroupRule(
                        ipProtocol: .icmp, fromPort: -1, toPort: -1, peer: peer, ruleDescription: nil, source: location)
                default:
                    let port = ports.randomElement(using: &random) ?? 443
                    rule = SecurityGroupRule(
                        ipProtocol: Bool.random(using: &random) ? .tcp : .udp, fromPort: port, toPort: port, peer: peer,
                        ruleDescription: nil, source: location)
                }
                snapshot.securityGroups[id]?.ingress.append(rule)
            }
        }
        for id in snapshot.networkACLs.keys.sorted() where snapshot.networkACLs[id]?.isDefault == false {
            for number in 1...Int.random(in: 1...3, using: &random) {
                let choice = Int.random(in: 0...3, using: &random)
                let ipProtocol: IPProtocol = choice == 0 ? .icmp : choice == 1 ? .udp : .tcp
                snapshot.networkACLs[id]?.entries.append(
                    NetworkACLEntry(
                        ruleNumber: number * 3, isEgress: Bool.random(using: &random),
                        allows: Int.random(in: 0...2, using: &random) > 0,
                        ipProtocol: ipProtocol,
                        portRange: ipProtocol == .icmp
                            ? nil : [1024...65535, 443...443, 32768...65535, 0...1023].randomElement(using: &random),
                        icmpTypeCode: ipProtocol == .icmp
                            ? [(0, 0), (8, 0), (-1, -1)].randomElement(using: &random) : nil,
                        cidrBlock: cidr(blocks.randomElement(using: &random) ?? blocks[0]), source: location))
            }
        }
        // Sometimes vpc-0's custom ACL (and the NAT gateway's subnet with it) admits replies from the
        // internet only on part of the ports a NAT gateway translates to.
        if Int.random(in: 0...1, using: &random) == 0 {
            if !(snapshot.networkACLs["acl-0c"]?.subnetIDs.contains("subnet-00") ?? true) {
                snapshot.networkACLs["acl-0c"]?.subnetIDs.append("subnet-00")
            }
            snapshot.networkACLs["acl-0c"]?.entries += [
                NetworkACLEntry(
                    ruleNumber: 1, isEgress: false, allows: true, ipProtocol: .tcp, portRange: 32768...65535,
                    icmpTypeCode: nil,
                    cidrBlock: cidr("203.0.113.0/24"), source: location),
                NetworkACLEntry(
                    ruleNumber: 2, isEgress: false, allows: false, ipProtocol: .tcp, portRange: 1024...32767,
                    icmpTypeCode: nil,
                    cidrBlock: cidr("203.0.113.0/24"), source: location),
                NetworkACLEntry(
                    ruleNumber: 3, isEgress: false, allows: true, ipProtocol: .all, portRange: nil, icmpTypeCode: nil,
                    cidrBlock: cidr("0.0.0.0/0"),
                    source: location),
                NetworkACLEntry(
                    ruleNumber: 3, isEgress: true, allows: true, ipProtocol: .all, portRange: nil, icmpTypeCode: nil,
                    cidrBlock: cidr("0.0.0.0/0"),
                    source: location),
            ]
        }
        return snapshot
    }
}
