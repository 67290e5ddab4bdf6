import Foundation
import Testing

@testable import VPCReachKit

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// The auditor's report: findings on the fixtures, golden output per format, escaping, determinism.
@Suite struct ReportTests {
    static let timestamp = "2026-11-26T00:00:00Z"

    static func report(_ name: String, policy: Bool = false, baseline: String? = nil) throws -> (AuditReport, Snapshot)
    {
        let snapshot = try Fixtures.load("fixtures/\(name)")
        let base = try baseline.map { try Fixtures.load("fixtures/\($0)") }
        let check =
            try policy
            ? PolicyChecker(snapshot: snapshot, baseline: base).check(
                Fixtures.policy("fixtures/policies/migration.yaml")) : nil
        let diff = try base.map { try DiffEngine.diff(base: $0, candidate: snapshot, scope: nil) }
        return (AuditBuilder(snapshot: snapshot).build(generatedAt: timestamp, policy: check, diff: diff), snapshot)
    }

    @Test(arguments: [
        ("prod-after", [String]()),
        ("broken-return-route", ["PEERING_ASYMMETRIC_ROUTES"]),
        ("broken-main-route-table", ["PEERING_ASYMMETRIC_ROUTES", "PEERING_WIDE_ROUTE"]),
        ("broken-nacl-ephemeral", ["NACL_SHADOWED_ALLOW"]),
        ("broken-dns-association", ["DNS_NAME_UNRESOLVED"]),
        ("semantics/sg-reference-inactive-peering", ["PEERING_WIDE_ROUTE", "ROUTE_BLACKHOLE", "SG_STALE_REFERENCE"]),
        ("semantics/dangling-references", ["SG_UNKNOWN_REFERENCE", "UNMODELLED_TARGET"]),
        ("semantics/incomplete-snapshot", ["SNAPSHOT_INCOMPLETE"]),
        ("semantics/tgw-route-unknown", ["UNMODELLED_TARGET"]),
    ])
    func findingsNameWhatIsWrong(_ fixture: String, _ rules: [String]) throws {
        let (report, _) = try Self.report(fixture)
        #expect(Set(report.findings.map(\.rule)) == Set(rules), "\(report.findings.map(\.title))")
    }

    @Test func sensitivePortsListEverySourceGroupedWithTheRules() throws {
        let (report, _) = try Self.report("prod-after")
        let postgres = try #require(report.sensitivePorts.first { $0.port == 5432 })
        #expect(postgres.destinations.count == 3)
        let primary = try #require(postgres.destinations.first { $0.id == "eni-0a100000000030011" })
        #expect(primary.sources.map(\.group).contains { $0.hasPrefix("ecs:app-prod/app in ") })
        #expect(primary.sources.map(\.group).contains { $0.hasPrefix("prod-app-sg in ") })
        #expect(
            primary.rules.contains { $0.contains("from sg-0a200000000000002 (ecs-task-sg) via pcx-0a1a2000000000001") })
        let ssh = try #require(report.sensitivePorts.first { $0.port == 22 })
        #expect(ssh.destinations.isEmpty)
        #expect(report.internetExposure.map(\.trafficText) == ["tcp 443", "tcp 443"])
        #expect(report.internetExposure.allSatisfy { $0.from == ["any internet address"] })
    }

    @Test func peeringAndDNSSections() throws {
        let (narrow, _) = try Self.report("prod-after")
        #expect(narrow.peerings.first?.narrow == true)
        #expect(narrow.dns.unresolved.isEmpty)
        let (wide, _) = try Self.report("broken-main-route-table")
        #expect(wide.peerings.first?.narrow == false)
        let (dns, _) = try Self.report("broken-dns-association")
        #expect(dns.dns.unresolved.contains { $0.hasPrefix("primary.db.prod.internal. from vpc-0a200000000000001") })
    }

    /// Every format matches its golden file; set RECORD_GOLDENS=1 to re-record after checking the change.
    @Test(arguments: ["html", "md", "csv", "json"])
    func reportMatchesGoldenFile(_ format: String) throws {
        let (report, snapshot) = try Self.report("broken-main-route-table", policy: true, baseline: "prod-before")
        let text: String
        switch format {
        case "html": text = AuditHTMLRenderer.render(report, diagram: NetworkDiagram(snapshot: snapshot).svg())
        case "md": text = AuditTextRenderers.markdown(report)
        case "csv": text = AuditTextRenderers.csv(report)
        default: text = try JSONRendering.render(report)
        }
        let golden = Fixtures.repositoryRoot.appendingPathComponent(
            "Tests/VPCReachKitTests/Goldens/report-broken-main-route-table.\(format)")
        if ProcessInfo.processInfo.environment["RECORD_GOLDENS"] == "1" {
            try Data(text.utf8).write(to: golden)
        }
        #expect(text == (try String(contentsOf: golden, encoding: .utf8)))
        if format == "json" {
            #expect(try JSONDecoder().decode(AuditReport.self, from: Data(text.utf8)) == report)
        }
    }

    @Test func theSameInputGivesTheSameBytes() throws {
        let (first, snapshot) = try Self.report("prod-after", policy: true, baseline: "prod-before")
        let (second, _) = try Self.report("prod-after", policy: true, baseline: "prod-before")
        let diagram = NetworkDiagram(snapshot: snapshot).svg()
        #expect(AuditHTMLRenderer.render(first, diagram: diagram) == AuditHTMLRenderer.render(second, diagram: diagram))
        #expect(try JSONRendering.render(first) == JSONRendering.render(second))
    }

    @Test func hostileTagValuesComeOutInert() throws {
        let script = "<script>alert(1)</script>"
        let image = "\"><img src=x onerror=alert(1)>"
        let files = [
            "vpcs.json":
                #"{"Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16", "Tags": [{"Key": "Name", "Value": "\#(script)"}]}]}"#,
            "subnets.json":
                #"{"Subnets": [{"SubnetId": "subnet-1", "VpcId": "vpc-1", "CidrBlock": "10.0.1.0/24", "Tags": [{"Key": "Name", "Value": "\#(image.replacingOccurrences(of: "\"", with: "\\\""))"}]}]}"#,
            "sgs.json":
                #"{"SecurityGroups": [{"GroupId": "sg-1", "GroupName": "\#(script)", "VpcId": "vpc-1", "IpPermissions": [{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "0.0.0.0/0", "Description": "\#(script)"}]}], "IpPermissionsEgress": []}]}"#,
            "enis.json":
                #"{"NetworkInterfaces": [{"NetworkInterfaceId": "eni-1", "SubnetId": "subnet-1", "VpcId": "vpc-1", "PrivateIpAddress": "10.0.1.5", "Description": "\#(script)", "Groups": [{"GroupId": "sg-1"}], "TagSet": [{"Key": "Name", "Value": "\#(image.replacingOccurrences(of: "\"", with: "\\\""))"}]}]}"#,
        ]
        let snapshot = try SnapshotLoader().load(try IngestTests.snapshot(files))
        let report = AuditBuilder(snapshot: snapshot).build(generatedAt: "<b>now</b>")
        let html = AuditHTMLRenderer.render(report, diagram: NetworkDiagram(snapshot: snapshot).svg())
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(html.contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"))
        #expect(!html.contains(script) && !html.contains("<img") && !html.contains("<b>now"))
        // Exactly one script element: the page's own filter.
        #expect(html.components(separatedBy: "<script").count == 2)
        let svg = NetworkDiagram(snapshot: snapshot).svg()
        #expect(!svg.contains(script))
        _ = try XMLDocument(xmlString: svg, options: [])
        #expect(!AuditTextRenderers.markdown(report).contains("<script>"))
    }

    @Test func graphIsValidDOTAndSVG() throws {
        let snapshot = try Fixtures.load("fixtures/prod-after")
        let diagram = NetworkDiagram(snapshot: snapshot)
        let dot = diagram.dot()
        #expect(dot.hasPrefix("graph vpcreach {"))
        #expect(dot.contains("subgraph \"cluster_vpc-0a100000000000001\""))
        #expect(dot.contains("\"vpc-0a200000000000001\" -- \"vpc-0a100000000000001\""))
        let svg = try XMLDocument(xmlString: diagram.svg(), options: [])
        #expect(try svg.nodes(forXPath: "//*[local-name()='rect']").count >= 16)
    }

    /// A public instance with SSH open to the world: both findings, per-port evidence, formula-safe CSV.
    @Test func exposureToTheWorldIsFoundWithPerPortEvidence() throws {
        let files = [
            "vpcs.json": #"{"Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16"}]}"#,
            "subnets.json": #"{"Subnets": [{"SubnetId": "subnet-1", "VpcId": "vpc-1", "CidrBlock": "10.0.1.0/24"}]}"#,
            "igw.json":
                #"{"InternetGateways": [{"InternetGatewayId": "igw-1", "Attachments": [{"VpcId": "vpc-1", "State": "available"}]}]}"#,
            "rt.json":
                #"{"RouteTables": [{"RouteTableId": "rtb-1", "VpcId": "vpc-1", "Associations": [{"Main": true}], "Routes": [{"DestinationCidrBlock": "10.0.0.0/16", "GatewayId": "local", "State": "active"}, {"DestinationCidrBlock": "0.0.0.0/0", "GatewayId": "igw-1", "State": "active"}]}]}"#,
            "acl.json":
                #"{"NetworkAcls": [{"NetworkAclId": "acl-1", "VpcId": "vpc-1", "IsDefault": true, "Entries": [{"RuleNumber": 100, "Protocol": "-1", "RuleAction": "allow", "Egress": true, "CidrBlock": "0.0.0.0/0"}, {"RuleNumber": 100, "Protocol": "-1", "RuleAction": "allow", "Egress": false, "CidrBlock": "0.0.0.0/0"}]}]}"#,
            "sg.json":
                #"{"SecurityGroups": [{"GroupId": "sg-1", "GroupName": "=cmd|' /C calc'!A0", "VpcId": "vpc-1", "IpPermissions": [{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}, {"IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432, "IpRanges": [{"CidrIp": "203.0.113.0/24"}]}], "IpPermissionsEgress": [{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]}]}"#,
            "eni.json":
                #"{"NetworkInterfaces": [{"NetworkInterfaceId": "eni-1", "SubnetId": "subnet-1", "VpcId": "vpc-1", "PrivateIpAddress": "10.0.1.5", "Association": {"PublicIp": "198.51.100.7"}, "Groups": [{"GroupId": "sg-1"}], "TagSet": [{"Key": "Name", "Value": "=HYPERLINK(\"x\")"}]}]}"#,
        ]
        let snapshot = try SnapshotLoader().load(try IngestTests.snapshot(files))
        let report = AuditBuilder(snapshot: snapshot).build(generatedAt: Self.timestamp)
        #expect(Set(report.findings.map(\.rule)) == ["SG_OPEN_TO_WORLD", "INTERNET_EXPOSED_SENSITIVE_PORT"])
        let exposed = try #require(report.findings.first { $0.rule == "INTERNET_EXPOSED_SENSITIVE_PORT" })
        #expect(exposed.title.hasSuffix("sensitive port(s) 22, 5432"))
        #expect(exposed.evidence.contains("tcp 22 (SSH) from any internet address"))
        #expect(exposed.evidence.contains("tcp 5432 (PostgreSQL) from 203.0.113.0/24"))
        let open = try #require(report.findings.first { $0.rule == "SG_OPEN_TO_WORLD" })
        #expect(open.evidence.first == "inbound tcp 22 from 0.0.0.0/0")
        #expect(report.internetExposure.first?.trafficText == "tcp 22,5432")
        let csv = AuditTextRenderers.csv(report)
        #expect(!csv.contains(",=") && !csv.contains("\n="))
    }
}
