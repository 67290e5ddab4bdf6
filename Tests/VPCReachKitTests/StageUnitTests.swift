import PacketSets
import Testing

@testable import VPCReachKit

/// Where the path stages are tricky on their own: longest-prefix ties (semantics §9-§11) and the
/// reply mapping every return stage relies on.
@Suite struct StageUnitTests {
    static func route(_ destination: RouteDestination, _ target: RouteTarget, origin: String = "CreateRoute") -> Route {
        Route(destination: destination, target: target, origin: origin, state: .active, source: ProtocolTests.location)
    }

    static func choices(_ table: RouteTable, _ block: String, lists: [String: [CIDRBlock]] = [:]) -> [(String, String)]
    {
        let (choices, _) = table.lookup(IntervalSet(RandomEstate.cidr(block).range), prefixLists: { lists[$0] })
        return choices.map { (TrafficSets.addresses($0.addresses), $0.route.map { "\($0.target)" } ?? "none") }
    }

    @Test func longestPrefixThenStaticThenPrefixListThenPropagatedThenFirstListed() throws {
        let wide = RandomEstate.cidr("10.0.0.0/16")
        var table = try #require(ProtocolTests.estate(replyEntries: [], groupRules: []).routeTables["rtb-m"])
        table.routes = [
            Self.route(.cidr(wide), .virtualPrivateGateway("vgw-1"), origin: "EnableVgwRoutePropagation"),
            Self.route(.prefixList("pl-1"), .peeringConnection("pcx-list")),
            Self.route(.cidr(wide), .peeringConnection("pcx-static")),
            Self.route(.cidr(wide), .peeringConnection("pcx-second")),
            Self.route(.cidr(RandomEstate.cidr("10.0.1.0/24")), .peeringConnection("pcx-narrow")),
        ]
        let lists = ["pl-1": [wide]]
        let chosen = Self.choices(table, "10.0.0.0/16", lists: lists)
        #expect(chosen.first { $0.0 == "10.0.1.0/24" }?.1 == "pcx-narrow")
        #expect(chosen.filter { $0.1 != "pcx-narrow" }.allSatisfy { $0.1 == "pcx-static" }, "\(chosen)")
        // Without the static routes the prefix list beats the propagated route.
        table.routes.removeAll {
            $0.target == .peeringConnection("pcx-static") || $0.target == .peeringConnection("pcx-second")
        }
        #expect(Self.choices(table, "10.0.2.0/24", lists: lists).map(\.1) == ["pcx-list"])
        // A list whose entries are not exported leaves every non-local choice undecided.
        let (_, undecided) = table.lookup(IntervalSet(wide.range), prefixLists: { _ in nil })
        #expect(undecided == IntervalSet(wide.range))
        // Nothing matches: a choice without a route.
        #expect(Self.choices(table, "192.168.0.0/24").map(\.1) == ["none"])
    }

    /// `requests(replies(x)) == x` for TCP, UDP and ICMP echo: every return stage maps its
    /// verdict on replies back to the requests exactly.
    @Test(arguments: 0..<4) func repliesAndRequestsAreInverse(batch: Int) {
        var random = SeededGenerator(seed: UInt64(1_000 + batch))
        for _ in 0..<50 {
            var packets = PacketSet.empty
            for _ in 0..<Int.random(in: 1...4, using: &random) {
                func range(_ bound: UInt32) -> ClosedRange<UInt32> {
                    let low = UInt32.random(in: 0...bound, using: &random)
                    return low...UInt32.random(in: low...bound, using: &random)
                }
                let addresses = (range(0xFFFF_FFFF), range(0xFFFF_FFFF))
                switch Int.random(in: 0...2, using: &random) {
                case 0, 1:
                    packets = packets.union(
                        PacketSet([
                            .ipProtocol: IntervalSet([6...6, 17...17][Int.random(in: 0...1, using: &random)]),
                            .sourceAddress: IntervalSet(addresses.0), .destinationAddress: IntervalSet(addresses.1),
                            .sourcePort: IntervalSet(range(65535)), .destinationPort: IntervalSet(range(65535)),
                        ]))
                default:
                    packets = packets.union(
                        PacketSet([
                            .ipProtocol: IntervalSet(1...1), .sourceAddress: IntervalSet(addresses.0),
                            .destinationAddress: IntervalSet(addresses.1),
                            .destinationPort: IntervalSet(ICMPCode.echoRequest),
                        ]))
                }
            }
            // The same packets (the cubes may come out in another order).
            let back = TrafficSets.requests(TrafficSets.replies(packets))
            #expect(back.subtracting(packets).isEmpty && packets.subtracting(back).isEmpty)
            #expect(TrafficSets.replies(packets).values(of: .sourceAddress) == packets.values(of: .destinationAddress))
        }
    }
}
