import Foundation
import PacketSets
import Testing

@testable import VPCReachKit

/// DNS rules that earlier had no test (semantics §33-§36), on `DNSAndEdgeTests.base`: one VPC,
/// zone `corp.internal` (with a wildcard answering 10.0.1.20 for names it does not hold).
@Suite struct DNSRecordTests {
    static let zoneRecords = "route53/Z0ZONE1234567890ABCDE/list-resource-record-sets.json"

    static func resolve(_ name: String, records: String? = nil, dropping: [String] = [], fromVPC vpc: String? = "vpc-1")
        throws -> DNSAnswer
    {
        var files = DNSAndEdgeTests.base.filter { !dropping.contains($0.key) }
        if let records { files[zoneRecords] = records }
        let index = NetworkIndex(try SnapshotLoader().load(try IngestTests.snapshot(files)))
        return DNSResolver(index: index).resolve(name, fromVPC: vpc)
    }

    static func isUnknown(_ answer: DNSAnswer, saying words: String) -> Bool {
        if case .unknown(let reason) = answer { return reason.contains(words) }
        return false
    }

    static func records(_ sets: String...) -> String {
        #"{"ResourceRecordSets": ["# + sets.joined(separator: ",") + "]}"
    }

    @Test func aZoneWhoseAssociationsAreNotExportedIsUndecided() throws {
        let answer = try Self.resolve(
            "blue.corp.internal", dropping: ["route53/Z0ZONE1234567890ABCDE/get-hosted-zone.json"])
        #expect(Self.isUnknown(answer, saying: "VPC associations are not in the snapshot"), "\(answer)")
    }

    @Test func aNameLookedUpFromOutsideEveryVPCIsLeftToPublicDNS() throws {
        #expect(Self.isUnknown(try Self.resolve("blue.corp.internal", fromVPC: nil), saying: "public DNS"))
    }

    /// Weighted record sets: every set with a weight above 0 (a zero weight never answers while
    /// another set has one); failover: the primary alone unless it has a health check.
    @Test func plainRecordSetsOfARoutingPolicyAnswerWithEverySetThatMayAnswer() throws {
        let records = Self.records(
            #"{"Name": "api.corp.internal.", "Type": "A", "SetIdentifier": "one", "Weight": 90, "TTL": 60, "ResourceRecords": [{"Value": "10.0.1.20"}]}"#,
            #"{"Name": "api.corp.internal.", "Type": "A", "SetIdentifier": "two", "Weight": 0, "TTL": 60, "ResourceRecords": [{"Value": "10.0.1.30"}]}"#,
            #"{"Name": "db.corp.internal.", "Type": "A", "SetIdentifier": "primary", "Failover": "PRIMARY", "TTL": 60, "ResourceRecords": [{"Value": "10.0.1.10"}]}"#,
            #"{"Name": "db.corp.internal.", "Type": "A", "SetIdentifier": "secondary", "Failover": "SECONDARY", "TTL": 60, "ResourceRecords": [{"Value": "10.0.1.30"}]}"#,
            #"{"Name": "checked.corp.internal.", "Type": "A", "SetIdentifier": "primary", "Failover": "PRIMARY", "HealthCheckId": "abcdef11-2222-3333-4444-555555fedcba", "TTL": 60, "ResourceRecords": [{"Value": "10.0.1.10"}]}"#,
            #"{"Name": "checked.corp.internal.", "Type": "A", "SetIdentifier": "secondary", "Failover": "SECONDARY", "TTL": 60, "ResourceRecords": [{"Value": "10.0.1.30"}]}"#
        )
        #expect(DNSAndEdgeTests.addresses(try Self.resolve("api.corp.internal", records: records)) == ["10.0.1.20"])
        // An unchecked primary is always healthy; a checked one may fail over.
        #expect(DNSAndEdgeTests.addresses(try Self.resolve("db.corp.internal", records: records)) == ["10.0.1.10"])
        #expect(
            DNSAndEdgeTests.addresses(try Self.resolve("checked.corp.internal", records: records)) == [
                "10.0.1.10", "10.0.1.30",
            ])
    }

    /// Aliases: the targets that resolve answer; all of them NXDOMAIN makes the name NXDOMAIN.
    @Test func aliasesAnswerWithTheTargetsThatResolve() throws {
        let records = Self.records(
            #"{"Name": "a.b.corp.internal.", "Type": "A", "TTL": 60, "ResourceRecords": [{"Value": "10.0.1.20"}]}"#,
            #"{"Name": "green.corp.internal.", "Type": "A", "TTL": 60, "ResourceRecords": [{"Value": "10.0.1.30"}]}"#,
            #"{"Name": "mixed.corp.internal.", "Type": "A", "SetIdentifier": "live", "Weight": 50, "AliasTarget": {"HostedZoneId": "Z0ZONE1234567890ABCDE", "DNSName": "green.corp.internal.", "EvaluateTargetHealth": false}}"#,
            #"{"Name": "mixed.corp.internal.", "Type": "A", "SetIdentifier": "gone", "Weight": 50, "AliasTarget": {"HostedZoneId": "Z0ZONE1234567890ABCDE", "DNSName": "x.b.corp.internal.", "EvaluateTargetHealth": false}}"#,
            #"{"Name": "dead.corp.internal.", "Type": "A", "AliasTarget": {"HostedZoneId": "Z0ZONE1234567890ABCDE", "DNSName": "x.b.corp.internal.", "EvaluateTargetHealth": false}}"#
        )
        #expect(DNSAndEdgeTests.addresses(try Self.resolve("mixed.corp.internal", records: records)) == ["10.0.1.30"])
        guard case .failure(let failure) = try Self.resolve("dead.corp.internal", records: records) else {
            Issue.record("an alias whose only target is NXDOMAIN is NXDOMAIN")
            return
        }
        #expect(failure.code == .nxdomain)
    }

    @Test func aValueThatIsNotAnIPv4AddressIsUndecided() throws {
        let records = Self.records(
            #"{"Name": "odd.corp.internal.", "Type": "A", "TTL": 60, "ResourceRecords": [{"Value": "not-an-address"}]}"#
        )
        #expect(Self.isUnknown(try Self.resolve("odd.corp.internal", records: records), saying: "not an IPv4 address"))
    }

    /// CNAME chains end at 16 steps: a loop is unknown, not a hang.
    @Test func cnameLoopsAreCutOffAsUnknown() throws {
        let records = Self.records(
            #"{"Name": "left.corp.internal.", "Type": "CNAME", "TTL": 60, "ResourceRecords": [{"Value": "right.corp.internal"}]}"#,
            #"{"Name": "right.corp.internal.", "Type": "CNAME", "TTL": 60, "ResourceRecords": [{"Value": "left.corp.internal"}]}"#
        )
        #expect(
            Self.isUnknown(
                try Self.resolve("left.corp.internal", records: records), saying: "loops or chains more than 16 times"))
    }

    /// EC2 private hostnames are answered only by the Amazon resolver: with enableDnsSupport off,
    /// or not exported, the answer is undecided.
    @Test func ec2HostnamesNeedTheResolverOfTheSourceVPC() throws {
        let name = "ip-10-0-1-20.eu-west-1.compute.internal"
        #expect(DNSAndEdgeTests.addresses(try Self.resolve(name)) == ["10.0.1.20"])
        var off = DNSAndEdgeTests.base
        off["dns-support.json"] = #"{"VpcId": "vpc-1", "EnableDnsSupport": {"Value": false}}"#
        let offIndex = NetworkIndex(try SnapshotLoader().load(try IngestTests.snapshot(off)))
        #expect(
            Self.isUnknown(DNSResolver(index: offIndex).resolve(name, fromVPC: "vpc-1"), saying: "enableDnsSupport"))
        #expect(Self.isUnknown(try Self.resolve(name, dropping: ["dns-support.json"]), saying: "not in the snapshot"))
    }

    /// The Resolver at VPC+2 answers only while enableDnsSupport is on; not exported, undecided.
    @Test func theResolverAddressNeedsDNSSupport() throws {
        func verdict(_ files: [String: String]) throws -> Verdict {
            try QueryEngine(snapshot: SnapshotLoader().load(IngestTests.snapshot(files)))
                .answer(Query(from: "eni-1", to: "10.0.0.2", ipProtocol: .udp, ports: 53...53)).verdict
        }
        #expect(try verdict(DNSAndEdgeTests.base) == .reachable)
        var off = DNSAndEdgeTests.base
        off["dns-support.json"] = #"{"VpcId": "vpc-1", "EnableDnsSupport": {"Value": false}}"#
        #expect(try verdict(off) == .unreachable)
        #expect(try verdict(DNSAndEdgeTests.base.filter { $0.key != "dns-support.json" }) == .unknown)
    }

    /// A name resolving to an address no interface owns is answered as that address is (§7a).
    @Test func aNameResolvingToAnUnassignedAddressIsUnreachable() throws {
        var files = DNSAndEdgeTests.base
        files[Self.zoneRecords] = Self.records(
            #"{"Name": "ghost.corp.internal.", "Type": "A", "TTL": 60, "ResourceRecords": [{"Value": "10.0.1.99"}]}"#)
        let engine = QueryEngine(snapshot: try SnapshotLoader().load(try IngestTests.snapshot(files)))
        let answer = try engine.answer(Query(from: "eni-1", to: "ghost.corp.internal", ports: 443...443))
        #expect(answer.verdict == .unreachable)
        #expect(answer.pairs[0].blockers.map(\.code.rawValue) == ["NO_INTERFACE_AT_ADDRESS"])
        #expect(answer.pairs[0].dns.contains { $0.contains("10.0.1.99") })
    }

    /// A record of many values: every value is an address of the answer, but the step lists only
    /// the first few (each pair repeats the steps).
    @Test func manyValuesAreAnsweredButListedBriefly() throws {
        let values = (1...100).map { #"{"Value": "10.0.2.\#($0)"}"# }.joined(separator: ", ")
        let records = Self.records(
            #"{"Name": "many.corp.internal.", "Type": "A", "TTL": 60, "ResourceRecords": [\#(values)]}"#)
        guard case .addresses(let found, let steps, _) = try Self.resolve("many.corp.internal", records: records) else {
            Issue.record("expected addresses")
            return
        }
        #expect(found.count == 100)
        #expect(steps.contains { $0.hasSuffix("and 84 more") })
    }
}
