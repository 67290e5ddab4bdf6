import Foundation
import PacketSets
import Testing

@testable import VPCReachKit

/// The `transit` assertion (docs/ci.md): what a transit gateway route table may send to, the
/// analogue of `peering` for transit gateways (§41).
@Suite struct TransitPolicyTests {
    static let estate = "fixtures/semantics/transit-gateway-hub-and-spoke"

    static func result(_ assertion: String) throws -> AssertionResult {
        let snapshot = try Fixtures.load(Self.estate)
        let names = Dictionary(
            snapshot.transitGatewayRouteTables.values.compactMap { table in table.tags.name.map { ($0, table.id) } }
        ) { first, _ in first }
        let vpcs = Dictionary(snapshot.vpcs.values.compactMap { vpc in vpc.tags.name.map { ($0, vpc.id) } }) {
            first, _ in first
        }
        var text = "version: 1\nassertions:\n" + assertion
        for (name, id) in names.merging(vpcs, uniquingKeysWith: { first, _ in first }) {
            text = text.replacingOccurrences(of: "<\(name)>", with: id)
        }
        let policy = try PolicyLoader().parse(text, file: "transit.yaml")
        return try #require(try PolicyChecker(snapshot: snapshot).check(policy).results.first)
    }

    @Test func aTableThatSendsOnlyToTheListedVPCsPasses() throws {
        let result = try Self.result(
            """
              - id: spokes-reach-the-hub
                kind: transit
                route_table: <spokes-rt>
                reaches: [<prod-vpc>, <shared-services-vpc>]
                routes: [10.2.0.0/16, 10.4.0.0/16]
            """)
        #expect(result.status == .pass, "\(result.summary) \(result.details)")
    }

    @Test func aTableThatAlsoSendsElsewhereFailsNamingTheRoute() throws {
        let result = try Self.result(
            """
              - id: hub-reaches-the-app-only
                kind: transit
                route_table: <hub-rt>
                reaches: [<app-vpc>]
            """)
        #expect(result.status == .fail)
        #expect(
            result.details.count == 1 && result.details[0].hasPrefix("10.3.1.0/24 goes to vpc attachment"),
            "\(result.details)")
    }

    @Test func aRouteWiderThanTheListedBlocksFails() throws {
        let result = try Self.result(
            """
              - id: spokes-reach-one-subnet
                kind: transit
                route_table: <spokes-rt>
                reaches: [<prod-vpc>, <shared-services-vpc>]
                routes: [10.2.1.0/24, 10.4.0.0/16]
            """)
        #expect(result.status == .fail)
        #expect(result.details.count == 1, "\(result.details)")
        #expect(result.details.first?.hasSuffix("(spokes-rt) routes 10.2.0.0/16, wider than the listed blocks") == true)
    }

    @Test func anUnknownTableFails() throws {
        let result = try Self.result(
            """
              - id: missing
                kind: transit
                route_table: tgw-rtb-0000000000000dead
                reaches: [vpc-1]
            """)
        #expect(result.status == .fail && result.summary.contains("not in the snapshot"))
    }
}

/// The migration rebuilt over a transit gateway (fixtures/prod-after-tgw) answers as over the
/// peering, and the narrow-connectivity assertion holds for its route table.
@Suite struct MigrationOverTransitGatewayTests {
    static func check(_ snapshot: Snapshot) throws -> CheckReport {
        try PolicyChecker(snapshot: snapshot, baseline: try Fixtures.load("fixtures/prod-before"))
            .check(try Fixtures.policy("fixtures/policies/migration-tgw.yaml"))
    }

    @Test func theMigrationPolicyHoldsOverTheTransitGateway() throws {
        let report = try Self.check(try Fixtures.load("fixtures/prod-after-tgw"))
        #expect(report.holds, "\(report.results.filter { $0.status != .pass }.map(\.summary))")
        #expect(report.results.count == 9)
    }

    @Test func aWiderTransitRouteFailsOnlyTheTransitAssertion() throws {
        var snapshot = try Fixtures.load("fixtures/prod-after-tgw")
        let table = try #require(snapshot.transitGatewayRouteTables["tgw-rtb-0a1a2000000000001"])
        var wide = try #require(table.routes?.first)
        wide.destination = .cidr(try #require(CIDRBlock("10.10.0.0/16")))
        snapshot.transitGatewayRouteTables[table.id]?.routes?.append(wide)
        let report = try Self.check(snapshot)
        #expect(Set(report.results.filter { $0.status != .pass }.map(\.id)) == ["transit-stays-narrow"])
    }

    @Test func everyPairAnswersAsOverThePeering() throws {
        let peering = QueryEngine(snapshot: try Fixtures.load("fixtures/prod-after"))
        let transit = QueryEngine(snapshot: try Fixtures.load("fixtures/prod-after-tgw"))
        for (from, to, port) in [
            ("ecs:app-prod/app", "primary.db.prod.internal", 5432), ("ecs:app-prod/app", "redis.prod.internal", 6379),
            ("ecs:app-prod/app", "tag:Role=patroni", 8008), ("ecs:prod/anisette", "ecs:app-prod/app", 8080),
            ("ecs:app-prod/app", "tag:Role=app", 8080), ("tag:Role=patroni", "ecs:app-prod/app", 5432),
        ] {
            let query = Query(from: from, to: to, ports: port...port)
            #expect(
                try peering.answer(query).verdict == transit.answer(query).verdict, "\(from) -> \(to) on \(port)")
        }
    }
}
