import Foundation
import Testing

@testable import VPCReachKit

/// Reachability matrices and differential reachability on the migration fixtures.
@Suite struct DiffTests {
    static func diff(_ base: String, _ candidate: String, scope: String? = nil) throws -> ReachabilityDiff {
        try DiffEngine.diff(
            base: Fixtures.load("fixtures/\(base)"), candidate: Fixtures.load("fixtures/\(candidate)"), scope: scope)
    }

    @Test func anisetteIsUnaffectedByTheMigration() throws {
        let diff = try Self.diff("prod-before", "prod-after", scope: "ecs:prod/anisette")
        #expect(diff.flows.isEmpty, "\(diff.flows)")
        #expect(diff.layers.isEmpty, "\(diff.layers)")
        #expect(diff.routing.isEmpty, "\(diff.routing)")
        #expect(!diff.hasChanges(failOn: .any))
        #expect(diff.members.contains { $0.change == "added" && $0.member.role == "ecs:app-prod/app" })
    }

    /// Layers are compared like with like: in the base the route table of Anisette's subnets
    /// decides Anisette -> app tasks alone (listing only itself); in the candidate a route exists and
    /// every layer is evaluated. The change is the one route blocker gone, not four new blockers.
    @Test func layerChangesCompareEveryLayerOnBothSides() throws {
        let diff = try Self.diff("prod-after", "broken-main-route-table", scope: "ecs:prod/anisette")
        let layer = try #require(
            diff.layers.first { $0.sourceRole == "ecs:prod/anisette" && $0.destinationRole == "ecs:app-prod/app" })
        #expect(layer.removed.map(\.description) == ["forward NO_ROUTE_TO_DESTINATION rtb-0a100000000000001"])
        #expect(layer.added.isEmpty, "\(layer.added)")
        #expect(
            layer.before.map(\.description).contains("forward ENI_SG_RULES_MISMATCH ecs:app-prod/app"),
            "\(layer.before)")
        #expect(Set(layer.before).subtracting(layer.after) == Set(layer.removed))
        // The whole-matrix diff says the same.
        let whole = try DiffEngine.wholeDiff(
            base: Fixtures.load("fixtures/prod-after"), candidate: Fixtures.load("fixtures/broken-main-route-table"),
            scope: "ecs:prod/anisette")
        #expect(whole.layers == diff.layers)
    }

    /// A zone no longer associated with the app VPC: the diff says which names answer differently
    /// there, and where their clients no longer go (semantics §36a).
    @Test func aDisassociatedZoneIsReportedAsDNSChanges() throws {
        let diff = try Self.diff("prod-after", "broken-dns-association")
        let change = try #require(diff.dns.first { $0.name == "primary.db.prod.internal." }, "\(diff.dns)")
        #expect(change.before == "10.10.30.11")
        #expect(change.after != change.before)
        #expect(change.destinationsRemoved.contains { $0.contains("10.10.30.11") }, "\(change)")
        #expect(diff.hasChanges(failOn: .dns) && diff.hasChanges(failOn: .any))
        #expect(DiffTextRenderer.render(diff).contains("DNS CHANGED: primary.db.prod.internal. from \(change.vpc)"))
        #expect(try SARIFRenderer.render(diff).contains("vpcreach/dns-changed"))
    }

    /// A record repointed and a VPC's DNS support turned off, on small CLI-shaped snapshots.
    @Test func repointedRecordsAndDisabledResolversAreDNSChanges() throws {
        let base = try SnapshotLoader().load(try IngestTests.snapshot(DNSAndEdgeTests.base))
        var repointed = DNSAndEdgeTests.base
        repointed[DNSRecordTests.zoneRecords] = repointed[DNSRecordTests.zoneRecords]?.replacingOccurrences(
            of: #""green.corp.internal.", "Type": "A", "TTL": 60, "ResourceRecords": [{"Value": "10.0.1.30"}]"#,
            with: #""green.corp.internal.", "Type": "A", "TTL": 60, "ResourceRecords": [{"Value": "10.0.1.10"}]"#)
        let moved = try DiffEngine.diff(
            base: base, candidate: SnapshotLoader().load(try IngestTests.snapshot(repointed)), scope: nil)
        // green, and app (a weighted alias to blue and green), answer differently.
        #expect(moved.dns.map(\.name) == ["app.corp.internal.", "green.corp.internal."], "\(moved.dns)")
        #expect(
            moved.dns.first { $0.name == "green.corp.internal." }.map { ($0.before, $0.after) } ?? ("", "") == (
                "10.0.1.30", "10.0.1.10"
            ))
        var off = DNSAndEdgeTests.base
        off["dns-support.json"] = #"{"VpcId": "vpc-1", "EnableDnsSupport": {"Value": false}}"#
        let silenced = try DiffEngine.diff(
            base: base, candidate: SnapshotLoader().load(try IngestTests.snapshot(off)), scope: nil)
        #expect(
            silenced.dns.contains { $0.name == "blue.corp.internal." && $0.after.hasPrefix("unknown") },
            "\(silenced.dns)")
        let same = try DiffEngine.diff(base: base, candidate: base, scope: nil)
        #expect(same.dns.isEmpty)
    }

    /// The client range decides what a NACL on the replies breaks: with each source's own range
    /// (Linux, 32768-60999) the broken rule loses flows; with clients on 1024-32767 it loses none.
    @Test func theEphemeralRangeOverrideAppliesToBothSnapshots() throws {
        let (base, candidate) = (
            try Fixtures.load("fixtures/prod-after"), try Fixtures.load("fixtures/broken-nacl-ephemeral")
        )
        #expect(
            try DiffEngine.diff(base: base, candidate: candidate, scope: nil).flows.contains { $0.change == "lost" })
        let low = try DiffEngine.diff(base: base, candidate: candidate, scope: nil, ephemeralPorts: 1024...32767)
        #expect(low.flows.isEmpty, "\(low.flows)")
        #expect(
            try DiffEngine.wholeDiff(base: base, candidate: candidate, scope: nil, ephemeralPorts: 1024...32767).flows
                == low.flows)
    }

    @Test func theMigrationGainsExactlyTheDatabasePaths() throws {
        let diff = try Self.diff("prod-before", "prod-after")
        let gained = diff.flows.filter { $0.change == "gained" && $0.sourceRole == "ecs:app-prod/app" }
        #expect(gained.contains { $0.destinationRole == "prod-patroni-sg" && $0.trafficText == "tcp 5432" })
        #expect(gained.contains { $0.destinationRole == "prod-redis-sg" && $0.trafficText == "tcp 6379" })
        #expect(!diff.flows.contains { $0.change == "lost" }, "\(diff.flows.filter { $0.change == "lost" })")
        #expect(diff.hasChanges(failOn: .gained) && !diff.hasChanges(failOn: .lost))
    }

    @Test func aRemovedRuleLosesTheFlowAndNamesTheChangedGroup() throws {
        let diff = try Self.diff("prod-after", "broken-db-sg")
        let lost = try #require(diff.flows.first { $0.change == "lost" })
        #expect(lost.sourceRole == "ecs:app-prod/app" && lost.destinationRole == "prod-patroni-sg")
        #expect(lost.trafficText == "tcp 5432")
        #expect(lost.pairs.count == 6)
        #expect(lost.causes.contains { $0.contains("sg-0a100000000000003") })
        #expect(diff.components.contains { $0.component == "sg-0a100000000000003" && !$0.removed.isEmpty })
    }

    @Test func aRouteInTheMainTableIsCaughtAsADefenseInDepthChange() throws {
        let diff = try Self.diff("prod-after", "broken-main-route-table", scope: "ecs:prod/anisette")
        let layer = try #require(
            diff.layers.first { $0.sourceRole == "ecs:prod/anisette" && $0.destinationRole == "ecs:app-prod/app" })
        #expect(layer.before.map(\.description).contains("forward NO_ROUTE_TO_DESTINATION rtb-0a100000000000001"))
        #expect(!layer.after.map(\.description).contains("forward NO_ROUTE_TO_DESTINATION rtb-0a100000000000001"))
        #expect(layer.after.map(\.description).contains("forward ENI_SG_RULES_MISMATCH ecs:app-prod/app"))
        #expect(diff.hasChanges(failOn: .any))
        #expect(
            diff.components.contains {
                $0.component == "rtb-0a100000000000001" && $0.added.contains { $0.contains("pcx-0a1a2000000000001") }
            })
        // The routing layer of Anisette's own subnets changed too, whatever the verdicts.
        #expect(diff.routing.map(\.role) == ["ecs:prod/anisette"])
        #expect(diff.routing.first?.added == ["10.20.0.0/16 -> pcx-0a1a2000000000001 (active)"])
    }

    @Test func aMatrixRoundTripsThroughJSONAndDiffsCleanAgainstItsSnapshot() throws {
        let snapshot = try Fixtures.load("fixtures/prod-after")
        let matrix = try MatrixBuilder(snapshot: snapshot).build(scope: "ecs:prod/anisette")
        let json = try JSONRendering.render(matrix)
        let decoded = try JSONDecoder().decode(ReachabilityMatrix.self, from: Data(json.utf8))
        #expect(decoded == matrix)
        #expect(
            try JSONRendering.render(try MatrixBuilder(snapshot: snapshot).build(scope: "ecs:prod/anisette")) == json)
        let diff = DiffEngine.diff(base: decoded, candidate: matrix, components: [])
        #expect(diff.flows.isEmpty && diff.layers.isEmpty && diff.members.isEmpty)
    }

    @Test func matrixCellsAreExact() throws {
        let matrix = try MatrixBuilder(snapshot: Fixtures.load("fixtures/prod-after")).build(
            scope: "i-0a100000000030011")
        let fromTask = try #require(matrix.cell(from: "eni-0a200000000010101", to: "eni-0a100000000030011"))
        #expect(fromTask.reachable.description == "tcp 5432")
        let csv = MatrixCSVRenderer.render(matrix)
        #expect(csv.hasPrefix("source,source_role,destination,destination_role,status,protocols,values,blockers\n"))
        #expect(
            csv.contains(
                "eni-0a200000000010101,ecs:app-prod/app,eni-0a100000000030011,prod-patroni-sg,reachable,6,5432,"))
    }

    @Test func trafficMapsEncodeCanonically() throws {
        let map = try #require(
            TrafficMap(entries: [.init(protocols: "6", values: "22,5432-5433"), .init(protocols: "17", values: "53")]))
        #expect(map.entries.map(\.protocols) == ["6", "17"])
        #expect(map.description == "tcp 22,5432-5433; udp 53")
        #expect(TrafficMap(entries: [.init(protocols: "300", values: "1")]) == nil)
        #expect(map.subtracting(map).isEmpty)
    }
}
