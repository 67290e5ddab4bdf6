import PacketSets
import Testing

@testable import VPCReachKit

/// Route targets the snapshot cannot follow (semantics §14), on `ProtocolTests.estate`: the
/// route table of both subnets gains one route to 10.9.0.0/16; a query to 10.9.1.1 takes it.
@Suite struct RouteTargetTests {
    static func answer(_ target: RouteTarget, state: String = "active") throws -> QueryAnswer {
        var snapshot = ProtocolTests.estate(
            replyEntries: [RandomEstate.aclEntry(50, egress: true, allow: true)], groupRules: [RandomEstate.allRule()])
        snapshot.routeTables["rtb-m"]?.routes.append(
            Route(
                destination: .cidr(RandomEstate.cidr("10.9.0.0/16")), target: target, origin: "CreateRoute",
                state: RouteState(state), source: ProtocolTests.location))
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

    /// Two prefix lists holding the same block, toward different targets: AWS picks one at random;
    /// the engine takes the route listed first, so the answer is the same on every run.
    @Test func overlappingPrefixListsAreDecidedByTableOrder() throws {
        func answer(_ order: [(String, String)]) throws -> Verdict {
            var snapshot = ProtocolTests.estate(
                replyEntries: [RandomEstate.aclEntry(50, egress: true, allow: true)],
                groupRules: [RandomEstate.allRule()])
            for id in ["pl-a", "pl-b"] {
                snapshot.prefixLists[id] = PrefixList(
                    id: id, name: id, cidrBlocks: [RandomEstate.cidr("10.9.0.0/16")], source: ProtocolTests.location)
            }
            for (list, state) in order {
                snapshot.routeTables["rtb-m"]?.routes.append(
                    Route(
                        destination: .prefixList(list), target: .vpcEndpoint("vpce-0123456789abcdef0"),
                        origin: "CreateRoute", state: RouteState(state), source: ProtocolTests.location))
            }
            return try QueryEngine(snapshot: snapshot).answer(Query(from: "eni-0", to: "10.9.1.1", ports: 443...443))
                .verdict
        }
        #expect(try answer([("pl-a", "active"), ("pl-b", "blackhole")]) == .unknown)
        #expect(try answer([("pl-b", "blackhole"), ("pl-a", "active")]) == .unreachable)
    }

    /// A private NAT gateway has no public address: its subnet's internet gateway cannot carry
    /// what it translates.
    @Test func aPrivateNATGatewayDoesNotReachTheInternet() throws {
        var snapshot = try Fixtures.load("fixtures/semantics/internet-egress-nat")
        let id = try #require(snapshot.natGateways.values.first { $0.state == "available" }?.id)
        #expect(
            try QueryEngine(snapshot: snapshot).answer(Query(from: "10.1.1.10", to: "203.0.113.10", ports: 443...443))
                .verdict == .reachable)
        snapshot.natGateways[id]?.connectivityType = "private"
        snapshot.natGateways[id]?.publicAddresses = []
        let answer = try QueryEngine(snapshot: snapshot).answer(
            Query(from: "10.1.1.10", to: "203.0.113.10", ports: 443...443))
        #expect(answer.verdict == .unreachable)
        #expect(
            answer.pairs[0].blockers.contains {
                $0.code.rawValue == "IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS" && $0.component == id
            }, "\(answer.pairs[0].blockers)")
    }

    /// A route state other than active or blackhole (none is documented) decides nothing.
    @Test func aRouteInAnUndocumentedStateIsUndecided() throws {
        let answer = try Self.answer(.vpcEndpoint("vpce-0123456789abcdef0"), state: "pending")
        #expect(answer.verdict == .unknown)
        #expect(answer.pairs[0].unknowns.contains { $0.contains("in state 'pending'") }, "\(answer.pairs[0].unknowns)")
    }
}

/// Replies through an appliance (semantics §14a), on `fixtures/semantics/appliance-route-target`
/// with the database subnet given a table that sends the app subnet's replies to the firewall.
@Suite struct ApplianceReplyTests {
    static func answer(requestsThroughFirewall: Bool) throws -> QueryAnswer {
        var snapshot = try Fixtures.load("fixtures/semantics/appliance-route-target")
        let firewall = try #require(
            snapshot.networkInterfaces.values.first {
                $0.privateAddresses.map(\.value) == [IPv4Address("10.1.9.10")!.value]
            }?.id)
        let database = try #require(
            snapshot.networkInterfaces.values.first {
                $0.privateAddresses.map(\.value) == [IPv4Address("10.1.2.10")!.value]
            })
        let appTable = try #require(snapshot.routeTables.values.first { $0.tags.name == "app-rt" }?.id)
        let main = try #require(snapshot.routeTables.values.first { $0.isMain }).routes
        snapshot.routeTables["rtb-db-replies"] = RouteTable(
            id: "rtb-db-replies", vpcID: database.vpcID, isMain: false, subnetIDs: [database.subnetID], gatewayIDs: [],
            routes: main + [
                Route(
                    destination: .cidr(RandomEstate.cidr("10.1.1.0/24")), target: .networkInterface(firewall),
                    origin: "CreateRoute", state: "active", source: ProtocolTests.location)
            ],
            tags: Tags(), source: ProtocolTests.location)
        if !requestsThroughFirewall {
            snapshot.routeTables[appTable]?.routes.removeAll {
                $0.destination == .cidr(RandomEstate.cidr("10.1.2.0/24"))
            }
        }
        return try QueryEngine(snapshot: snapshot).answer(Query(from: "10.1.1.10", to: "10.1.2.10", ports: 5432...5432))
    }

    /// Both ways through the firewall: its groups track the connection, the replies pass.
    @Test func repliesOfConnectionsTheApplianceCarriedPassItsGroups() throws {
        #expect(try Self.answer(requestsThroughFirewall: true).verdict == .reachable)
    }

    /// Only the replies through the firewall: its groups see them as new traffic (to the client's
    /// ephemeral ports, which firewall-sg does not admit).
    @Test func repliesAloneThroughAnApplianceMeetItsGroupsUntracked() throws {
        let answer = try Self.answer(requestsThroughFirewall: false)
        #expect(answer.verdict == .unreachable)
        #expect(
            answer.pairs[0].blockers.contains {
                $0.code.rawValue == "ENI_SG_RULES_MISMATCH" && $0.direction == .return
            }, "\(answer.pairs[0].blockers)")
    }
}
