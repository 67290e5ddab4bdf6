import PacketSets
import Testing

@testable import VPCReachKit

/// ICMP echo, UDP and "all protocols" queries on a two-subnet estate built in code.
@Suite struct ProtocolTests {
    static let location = SourceLocation(file: "protocols.json")

    /// Two interfaces in two subnets of one VPC; the second subnet's ACL gets `replyEntries` outbound.
    static func estate(replyEntries: [NetworkACLEntry], groupRules: [SecurityGroupRule]) -> Snapshot {
        var snapshot = RandomEstate.make(seed: 0)
        snapshot.networkInterfaces = [:]
        snapshot.networkACLs = [:]
        snapshot.routeTables = [:]
        snapshot.securityGroups = [:]
        let placement = Placement(account: nil, region: "eu-west-1")
        snapshot.securityGroups["sg-a"] = SecurityGroup(
            id: "sg-a", name: "a", vpcID: "vpc-0", ownerID: nil, placement: placement, ingress: groupRules,
            egress: [RandomEstate.allRule()],
            tags: Tags(), source: location)
        for (index, subnet) in ["subnet-00", "subnet-01"].enumerated() {
            snapshot.networkInterfaces["eni-\(index)"] = NetworkInterface(
                id: "eni-\(index)", subnetID: subnet, vpcID: "vpc-0",
                privateAddresses: [IPv4Address(0x0A00_0000 | UInt32(index + 1) << 8 | 10)],
                publicAddresses: [], groupIDs: ["sg-a"], kind: .ec2Instance, interfaceType: "interface",
                interfaceDescription: nil, requesterID: nil,
                instanceID: nil, deviceIndex: 0, status: "in-use", sourceDestCheck: true, placement: placement,
                tags: Tags(), source: location)
        }
        snapshot.networkACLs["acl-d"] = NetworkACL(
            id: "acl-d", vpcID: "vpc-0", isDefault: true, subnetIDs: [],
            entries: [
                RandomEstate.aclEntry(100, egress: false, allow: true),
                RandomEstate.aclEntry(100, egress: true, allow: true),
            ],
            tags: Tags(), source: location)
        snapshot.networkACLs["acl-b"] = NetworkACL(
            id: "acl-b", vpcID: "vpc-0", isDefault: false, subnetIDs: ["subnet-01"],
            entries: [RandomEstate.aclEntry(100, egress: false, allow: true)] + replyEntries + [
                RandomEstate.aclEntry(32767, egress: true, allow: false)
            ],
            tags: Tags(), source: location)
        snapshot.routeTables["rtb-m"] = RouteTable(
            id: "rtb-m", vpcID: "vpc-0", isMain: true, subnetIDs: [], gatewayIDs: [],
            routes: [
                Route(
                    destination: .cidr(RandomEstate.cidr("10.0.0.0/16")), target: .local, origin: "CreateRouteTable",
                    state: "active", source: location)
            ],
            tags: Tags(), source: location)
        return snapshot
    }

    static func icmpEntry(type: Int, code: Int, allow: Bool = true) -> NetworkACLEntry {
        NetworkACLEntry(
            ruleNumber: 50, isEgress: true, allows: allow, ipProtocol: .icmp, portRange: nil,
            icmpTypeCode: (type, code),
            cidrBlock: RandomEstate.cidr("0.0.0.0/0"), source: location)
    }

    static let allowICMP = SecurityGroupRule(
        ipProtocol: .icmp, fromPort: -1, toPort: -1, peer: .cidr(.all), ruleDescription: nil, source: location)

    /// Pins semantics.md's one kept deviation: the default client range is the Linux kernel's
    /// 32768-60999 (the VPC guide says 32768-61000), so replies to exactly that range are enough.
    @Test func theDefaultEphemeralRangeIsTheLinuxKernelsAndEndsAt60999() throws {
        #expect(Query.defaultEphemeralPorts == 32768...60999)
        let exact = QueryEngine(
            snapshot: Self.estate(
                replyEntries: [RandomEstate.aclEntry(50, egress: true, allow: true, ports: 32768...60999)],
                groupRules: [RandomEstate.allRule()]))
        #expect(try exact.answer(Query(from: "eni-0", to: "eni-1", ports: 443...443)).verdict == .reachable)
        let asTheVPCGuideSays = try exact.answer(
            Query(from: "eni-0", to: "eni-1", ports: 443...443, ephemeralPorts: 32768...61000))
        #expect(asTheVPCGuideSays.verdict == .unreachable)
        #expect(asTheVPCGuideSays.pairs[0].blockers.map(\.code.rawValue) == ["SUBNET_ACL_RESTRICTION"])
    }

    /// An interface whose instance is not exported: taken as Linux, and the answer says so.
    @Test func anUnknownPlatformIsTakenAsLinuxAndSaid() throws {
        var snapshot = Self.estate(
            replyEntries: [RandomEstate.aclEntry(50, egress: true, allow: true)], groupRules: [RandomEstate.allRule()])
        snapshot.networkInterfaces["eni-0"]?.instanceID = "i-0123456789abcdef0"
        let pair = try QueryEngine(snapshot: snapshot).answer(Query(from: "eni-0", to: "eni-1", ports: 443...443))
            .pairs[0]
        #expect(pair.verdict == .reachable && pair.ephemeralPorts == "32768-60999")
        #expect(
            pair.assumptions?.contains { $0.contains("i-0123456789abcdef0 is not in the snapshot") } == true,
            "\(pair.assumptions ?? [])")
    }

    @Test func pingNeedsTheEchoReplyAllowedBack() throws {
        let allowed = QueryEngine(
            snapshot: Self.estate(replyEntries: [Self.icmpEntry(type: 0, code: 0)], groupRules: [Self.allowICMP]))
        #expect(try allowed.answer(Query(from: "eni-0", to: "eni-1", ipProtocol: .icmp)).verdict == .reachable)
        let otherCode = QueryEngine(
            snapshot: Self.estate(replyEntries: [Self.icmpEntry(type: 0, code: 3)], groupRules: [Self.allowICMP]))
        #expect(try otherCode.answer(Query(from: "eni-0", to: "eni-1", ipProtocol: .icmp)).verdict == .unreachable)
        let wrongType = QueryEngine(
            snapshot: Self.estate(replyEntries: [Self.icmpEntry(type: 8, code: -1)], groupRules: [Self.allowICMP]))
        let answer = try wrongType.answer(Query(from: "eni-0", to: "eni-1", ipProtocol: .icmp))
        #expect(answer.verdict == .unreachable)
        #expect(answer.pairs[0].blockers.map(\.code.rawValue) == ["SUBNET_ACL_RESTRICTION"])
        #expect(answer.pairs[0].blockers[0].direction == .return)
    }

    @Test func securityGroupICMPRuleTypeAndCodeApply() throws {
        let echoOnly = SecurityGroupRule(
            ipProtocol: .icmp, fromPort: 8, toPort: 0, peer: .cidr(.all), ruleDescription: nil, source: Self.location)
        let unreachableOnly = SecurityGroupRule(
            ipProtocol: .icmp, fromPort: 3, toPort: -1, peer: .cidr(.all), ruleDescription: nil, source: Self.location)
        let reply = [Self.icmpEntry(type: -1, code: -1)]
        // ping sends type 8 code 0, so a rule for exactly that admits it.
        #expect(
            try QueryEngine(snapshot: Self.estate(replyEntries: reply, groupRules: [echoOnly])).answer(
                Query(from: "eni-0", to: "eni-1", ipProtocol: .icmp)
            ).verdict == .reachable)
        let answer = try QueryEngine(snapshot: Self.estate(replyEntries: reply, groupRules: [unreachableOnly])).answer(
            Query(from: "eni-0", to: "eni-1", ipProtocol: .icmp))
        #expect(answer.pairs[0].blockers.map(\.code.rawValue) == ["ENI_SG_RULES_MISMATCH"])
    }

    @Test func udpAndAllProtocolsAreAnsweredExactly() throws {
        let udpReplies = RandomEstate.aclEntry(60, egress: true, allow: true, ports: 32768...60999)
        var entry = udpReplies
        entry.ipProtocol = .udp
        let snapshot = Self.estate(replyEntries: [entry], groupRules: [RandomEstate.allRule()])
        let engine = QueryEngine(snapshot: snapshot)
        #expect(
            try engine.answer(Query(from: "eni-0", to: "eni-1", ipProtocol: .udp, ports: 53...53)).verdict == .reachable
        )
        let tcp = try engine.answer(Query(from: "eni-0", to: "eni-1", ipProtocol: .tcp, ports: 5432...5432))
        #expect(tcp.verdict == .unreachable)
        let all = try engine.answer(Query(from: "eni-0", to: "eni-1", ipProtocol: .all))
        #expect(all.verdict == .unreachable)
        // UDP gets through; TCP and ICMP echo replies are denied by the reply ACL; one-way ICMP
        // messages (no reply expected) get through.
        let partial = try #require(all.pairs[0].reachableTraffic)
        #expect(partial.contains("udp") && !partial.contains("tcp"), "\(partial)")
    }

    @Test func anInterfaceWithoutSecurityGroupsIsNotFiltered() throws {
        var snapshot = Self.estate(replyEntries: [RandomEstate.aclEntry(60, egress: true, allow: true)], groupRules: [])
        snapshot.networkInterfaces["eni-1"]?.groupIDs = []
        let answer = try QueryEngine(snapshot: snapshot).answer(Query(from: "eni-0", to: "eni-1", ports: 443...443))
        #expect(answer.verdict == .reachable, "\(answer.summary)")
    }

    @Test func theAllSelectorAsksAboutEveryInterface() throws {
        let engine = QueryEngine(
            snapshot: Self.estate(
                replyEntries: [RandomEstate.aclEntry(60, egress: true, allow: true)],
                groupRules: [RandomEstate.allRule()]))
        let answer = try engine.answer(Query(from: "all", to: "eni-1", ports: 443...443))
        #expect(answer.pairs.map(\.source.id) == ["eni-0"])
        #expect(answer.verdict == .reachable)
    }

    @Test func aPortRangeIsReachableOnlyWhenEveryPortIs() throws {
        let narrow = SecurityGroupRule(
            ipProtocol: .tcp, fromPort: 5432, toPort: 5433, peer: .cidr(.all), ruleDescription: nil,
            source: Self.location)
        let engine = QueryEngine(
            snapshot: Self.estate(
                replyEntries: [RandomEstate.aclEntry(60, egress: true, allow: true)], groupRules: [narrow]))
        #expect(try engine.answer(Query(from: "eni-0", to: "eni-1", ports: 5432...5433)).verdict == .reachable)
        let wider = try engine.answer(Query(from: "eni-0", to: "eni-1", ports: 5432...5440))
        #expect(wider.verdict == .unreachable)
        #expect(wider.pairs[0].reachableTraffic == "tcp 5432-5433")
        #expect(wider.pairs[0].blockers.first?.traffic == "tcp 5434-5440")
    }
}
