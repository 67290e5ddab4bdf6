import PacketSets
import Testing

@testable import VPCReachKit

/// `--mode some` and the `internet` selector (issue 12, points 9 and 10).
@Suite struct QueryModeTests {
    /// A group admitting 443 only: 440-450 is unreachable when every packet must pass, reachable
    /// when some must, with exactly tcp 443 as the reaching set.
    @Test func someModeIsReachableWhenSomePacketGetsThroughAndGivesTheExactSet() throws {
        let rule = SecurityGroupRule(
            ipProtocol: .tcp, fromPort: 443, toPort: 443, peer: .cidr(.all), ruleDescription: nil,
            source: ProtocolTests.location)
        let engine = QueryEngine(
            snapshot: ProtocolTests.estate(
                replyEntries: [RandomEstate.aclEntry(50, egress: true, allow: true)], groupRules: [rule]))
        let every = try engine.answer(Query(from: "eni-0", to: "eni-1", ports: 440...450))
        #expect(every.verdict == .unreachable)
        #expect(every.query.mode == "every")
        #expect(
            every.pairs[0].reachingTraffic == [
                TrafficBox(protocols: "tcp", sources: ["10.0.1.10"], destinations: ["10.0.2.10"], ports: "443")
            ])
        let some = try engine.answer(Query(from: "eni-0", to: "eni-1", ports: 440...450, mode: .some))
        #expect(some.verdict == .reachable)
        #expect(some.reachable)
        #expect(some.query.mode == "some")
        #expect(
            some.pairs[0].reachingTraffic == [
                TrafficBox(protocols: "tcp", sources: ["10.0.1.10"], destinations: ["10.0.2.10"], ports: "443")
            ])
        #expect(
            some.pairs[0].blockers.map(\.code.rawValue) == ["ENI_SG_RULES_MISMATCH"],
            "the blockers of the rest are still named")
        let none = try engine.answer(Query(from: "eni-0", to: "eni-1", ports: 20...30, mode: .some))
        #expect(none.verdict == .unreachable)
        #expect(none.pairs[0].reachingTraffic == nil)
    }

    /// Over several pairs, some mode is reachable when some pair gets some packet through.
    @Test func someModeOverPairsNeedsOnePairOnly() throws {
        let engine = QueryEngine(snapshot: try Fixtures.load("fixtures/semantics/internet-ingress"))
        let every = try engine.answer(Query(from: "internet", to: "subnet-0b150000000001001", ports: 443...443))
        #expect(every.verdict == .unreachable)
        let some = try engine.answer(
            Query(from: "internet", to: "subnet-0b150000000001001", ports: 443...443, mode: .some))
        #expect(some.verdict == .reachable)
        #expect(some.pairs.map(\.verdict).contains(.unreachable))
    }

    /// A block of public addresses names interfaces by their public address: reached over the
    /// internet, where the destination's group sees the source's public address (§30a).
    @Test func aBlockOfPublicAddressesIsReachedOverTheInternet() throws {
        let engine = QueryEngine(snapshot: try Fixtures.load("fixtures/semantics/public-address-from-inside"))
        let answer = try engine.answer(Query(from: "10.1.0.10", to: "54.72.41.10/32", ports: 8443...8443))
        #expect(answer.pairs.map(\.destination.addressedAt) == [.publicAddress])
        #expect(answer.verdict == .unreachable)
        #expect(try engine.answer(Query(from: "10.1.0.10", to: "54.72.41.0/24", ports: 443...443)).pairs.count == 2)
    }

    /// `internet` is every address routed on the internet: private, shared, documentation and
    /// other special-purpose blocks are not in it.
    @Test func internetIsEveryPublicAddress() throws {
        let internet = AddressSpace.internet
        for outside in [
            "10.1.2.3", "172.16.0.1", "192.168.1.1", "100.64.0.1", "127.0.0.1", "169.254.169.254", "203.0.113.10",
            "224.0.0.1", "0.1.2.3",
        ] {
            #expect(!internet.contains(IPv4Address(outside)!.value), "\(outside)")
        }
        for inside in ["1.1.1.1", "8.8.8.8", "54.72.21.10", "172.32.0.1", "100.128.0.1", "223.255.255.255"] {
            #expect(internet.contains(IPv4Address(inside)!.value), "\(inside)")
        }
        let engine = QueryEngine(snapshot: try Fixtures.load("fixtures/semantics/internet-ingress"))
        // web-sg admits 443 from 0.0.0.0/0: every internet address reaches the web instance.
        #expect(
            try engine.answer(Query(from: "internet", to: "i-0b150000001001010", ports: 443...443)).verdict
                == .reachable)
        // Named by its private address, nothing on the internet reaches it.
        let byPrivate = try engine.answer(Query(from: "internet", to: "10.1.1.10", ports: 443...443, mode: .some))
        #expect(byPrivate.verdict == .unreachable)
        #expect(byPrivate.pairs[0].blockers.map(\.code.rawValue).contains("IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS"))
        // From the web instance to the internet on 443: every public address is allowed out.
        #expect(
            try engine.answer(Query(from: "i-0b150000001001010", to: "internet", ports: 443...443)).verdict
                == .reachable)
    }
}
