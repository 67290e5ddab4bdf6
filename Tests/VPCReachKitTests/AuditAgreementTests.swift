import Foundation
import PacketSets
import Testing

@testable import VPCReachKit

/// The report's findings read routes as the engine does (longest prefix match, active routes):
/// every finding about a path agrees with the engine's verdict for a pair on that path.
@Suite struct AuditAgreementTests {
    /// vpc-1 (10.1/16) routes 10.2/16 to pcx-1; vpc-2 routes 10.1/16 back to pcx-1, but a more
    /// specific 10.1.1.0/24 to a blackhole: subnet-1 gets no way back, subnet-3 does.
    static let files: [String: String] = {
        func acl(_ id: String, _ vpc: String, _ subnets: [String]) -> String {
            let associations = subnets.map { #"{"SubnetId": "\#($0)", "NetworkAclId": "\#(id)"}"# }.joined(
                separator: ", ")
            return
                #"{"NetworkAclId": "\#(id)", "VpcId": "\#(vpc)", "IsDefault": true, "Associations": [\#(associations)], "Entries": [{"RuleNumber": 100, "Protocol": "-1", "RuleAction": "allow", "Egress": true, "CidrBlock": "0.0.0.0/0"}, {"RuleNumber": 100, "Protocol": "-1", "RuleAction": "allow", "Egress": false, "CidrBlock": "0.0.0.0/0"}]}"#
        }
        func group(_ id: String, _ vpc: String) -> String {
            #"{"GroupId": "\#(id)", "GroupName": "\#(id)", "VpcId": "\#(vpc)", "IpPermissions": [{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "10.0.0.0/8"}]}], "IpPermissionsEgress": [{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]}"#
        }
        func interface(_ id: String, _ subnet: String, _ vpc: String, _ address: String, _ group: String) -> String {
            #"{"NetworkInterfaceId": "\#(id)", "SubnetId": "\#(subnet)", "VpcId": "\#(vpc)", "PrivateIpAddress": "\#(address)", "Groups": [{"GroupId": "\#(group)"}]}"#
        }
        let local =
            #"{"DestinationCidrBlock": "LOCAL", "GatewayId": "local", "Origin": "CreateRouteTable", "State": "active"}"#
        return [
            "vpcs.json":
                #"{"Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.1.0.0/16"}, {"VpcId": "vpc-2", "CidrBlock": "10.2.0.0/16"}]}"#,
            "subnets.json":
                #"{"Subnets": [{"SubnetId": "subnet-1", "VpcId": "vpc-1", "CidrBlock": "10.1.1.0/24"}, {"SubnetId": "subnet-3", "VpcId": "vpc-1", "CidrBlock": "10.1.3.0/24"}, {"SubnetId": "subnet-2", "VpcId": "vpc-2", "CidrBlock": "10.2.1.0/24"}]}"#,
            "acls.json":
                #"{"NetworkAcls": [\#(acl("acl-1", "vpc-1", ["subnet-1", "subnet-3"])), \#(acl("acl-2", "vpc-2", ["subnet-2"]))]}"#,
            "rts.json": #"""
            {"RouteTables": [
              {"RouteTableId": "rtb-1", "VpcId": "vpc-1", "Associations": [{"Main": true, "RouteTableId": "rtb-1"}], "Routes": [\#(local.replacingOccurrences(of: "LOCAL", with: "10.1.0.0/16")), {"DestinationCidrBlock": "10.2.0.0/16", "VpcPeeringConnectionId": "pcx-1", "Origin": "CreateRoute", "State": "active"}]},
              {"RouteTableId": "rtb-2", "VpcId": "vpc-2", "Associations": [{"Main": true, "RouteTableId": "rtb-2"}], "Routes": [\#(local.replacingOccurrences(of: "LOCAL", with: "10.2.0.0/16")), {"DestinationCidrBlock": "10.1.0.0/16", "VpcPeeringConnectionId": "pcx-1", "Origin": "CreateRoute", "State": "active"}, {"DestinationCidrBlock": "10.1.1.0/24", "NatGatewayId": "nat-0deleted", "Origin": "CreateRoute", "State": "blackhole"}]}]}
            """#,
            "pcx.json":
                #"{"VpcPeeringConnections": [{"VpcPeeringConnectionId": "pcx-1", "Status": {"Code": "active"}, "RequesterVpcInfo": {"VpcId": "vpc-1", "CidrBlock": "10.1.0.0/16"}, "AccepterVpcInfo": {"VpcId": "vpc-2", "CidrBlock": "10.2.0.0/16"}}]}"#,
            "sgs.json": #"{"SecurityGroups": [\#(group("sg-1", "vpc-1")), \#(group("sg-2", "vpc-2"))]}"#,
            "enis.json":
                #"{"NetworkInterfaces": [\#(interface("eni-1", "subnet-1", "vpc-1", "10.1.1.10", "sg-1")), \#(interface("eni-3", "subnet-3", "vpc-1", "10.1.3.10", "sg-1")), \#(interface("eni-2", "subnet-2", "vpc-2", "10.2.1.10", "sg-2"))]}"#,
        ]
    }()

    @Test func asymmetricPeeringFindingsAgreeWithTheEngine() throws {
        let snapshot = try SnapshotLoader().load(try IngestTests.snapshot(Self.files))
        let findings = AuditBuilder(snapshot: snapshot).build(generatedAt: "test").findings.filter {
            $0.rule == "PEERING_ASYMMETRIC_ROUTES"
        }
        // The wider 10.1/16 back route does not carry subnet-1: the more specific blackhole wins.
        #expect(findings.count == 1, "\(findings.map(\.title))")
        #expect(findings.first?.title.contains("10.1.1.0/24") == true)
        #expect(findings.first?.title.contains("10.1.3.0/24") == false)
        let engine = QueryEngine(snapshot: snapshot)
        let cut = try engine.answer(Query(from: "eni-1", to: "eni-2", ports: 443...443))
        #expect(cut.verdict == .unreachable)
        #expect(cut.pairs[0].blockers.contains { $0.direction == .return && $0.component == "rtb-2" })
        #expect(try engine.answer(Query(from: "eni-3", to: "eni-2", ports: 443...443)).verdict == .reachable)
    }

    /// Every rule id a finding may carry is documented in docs/report.md, and every finding the
    /// report raises carries one of them.
    @Test func everyFindingRuleIsDocumented() throws {
        let report = try String(contentsOfFile: Fixtures.path("docs/report.md"), encoding: .utf8)
        for rule in FindingChecks.rules {
            #expect(report.contains("`\(rule)`"), "\(rule) is not in docs/report.md")
        }
        let snapshot = try SnapshotLoader().load(try IngestTests.snapshot(Self.files))
        let raised = AuditBuilder(snapshot: snapshot).build(generatedAt: "test").findings.map(\.rule)
        #expect(!raised.isEmpty)
        #expect(
            raised.allSatisfy {
                FindingChecks.rules.contains($0)
                    || ["INTERNET_EXPOSED_SENSITIVE_PORT", "DNS_NAME_UNRESOLVED"].contains($0)
            }, "\(raised)")
    }
}
