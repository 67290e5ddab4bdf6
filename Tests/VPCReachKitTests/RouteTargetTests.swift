import PacketSets
import Testing
@testable import VPCReachKit

/// Route targets the snapshot cannot follow (semantics §14), on `ProtocolTests.estate`: the
/// route table of both subnets gains one route to 10.9.0.0/16; a query to 10.9.1.1 takes it.
@Suite struct RouteTargetTests {
    static func answer(_ target: RouteTarget, state: String = "active") throws -> QueryAnswer {
        var snapshot = ProtocolTests.estate(replyEntries: [RandomEstate.aclEntry(50, egress: true, allow: true)], groupRules: [RandomEstate.allRule()])
        snapshot.routeTables["rtb-m"]?.routes.append(
            Route(destination: .cidr(RandomEstate.cidr("10.9.0.0/16")), target: target, origin: "CreateRoute", state: state, source: ProtocolTests.location))
        return try QueryEngine(snapshot: snapshot).answer(Query(from: "eni-0", to: "10.9.1.1", ports: 443...443))
    }

    @Test(arguments: [
        (RouteTarget.vpcEndpoint("vpce-0123456789abcdef0"), "VPC endpoint"),
        (.egressOnlyInternetGateway("eigw-0123456789abcdef0"), "not modeled"),
        (.transitGateway("tgw-0123456789abcdef0"), "transit gateway"),
        (.virtualPrivateGateway("vgw-0123456789abcdef0"), "virtual private gateway"),
    ])
    func targetsBeyondTheSnapshotAreUndecided(target: RouteTarget, words: String) throws {
        let answer = try Self.answer(target)
        #expect(answer.verdict == .unknown)
        #expect(answer.pairs[0].unknowns.contains { $0.contains(words) }, "\(answer.pairs[0].unknowns)")
    }

    /// A route state other than active or blackhole (none is documented) decides nothing.
    @Test func aRouteInAnUndocumentedStateIsUndecided() throws {
        let answer = try Self.answer(.vpcEndpoint("vpce-0123456789abcdef0"), state: "pending")
        #expect(answer.verdict == .unknown)
        #expect(answer.pairs[0].unknowns.contains { $0.contains("in state 'pending'") }, "\(answer.pairs[0].unknowns)")
    }
}
