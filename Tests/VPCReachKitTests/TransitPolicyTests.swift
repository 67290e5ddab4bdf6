import Foundation
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
