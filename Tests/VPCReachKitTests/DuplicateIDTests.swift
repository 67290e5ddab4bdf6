import Foundation
import Testing

@testable import VPCReachKit

/// One resource exported twice (two accounts, two runs): identical copies merge quietly, copies
/// with other content are an error naming both places and leave the VPC unknown, never a verdict
/// that depends on the order the files were read in (issue 16).
@Suite struct DuplicateIDTests {
    static let base = DNSAndEdgeTests.base.filter { !$0.key.hasPrefix("route53/") && $0.key != "zones.json" }

    static func group(ingressPort: Int, name: String) -> String {
        #"{"SecurityGroups": [{"GroupId": "sg-1", "GroupName": "g", "VpcId": "vpc-1", "Tags": [{"Key": "Name", "Value": "\#(name)"}], "IpPermissions": [{"IpProtocol": "tcp", "FromPort": \#(ingressPort), "ToPort": \#(ingressPort), "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}], "IpPermissionsEgress": [{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]}]}"#
    }

    static func load(_ extra: [String: String]) throws -> Snapshot {
        try SnapshotLoader().load(try IngestTests.snapshot(Self.base.merging(extra) { $1 }))
    }

    @Test func identicalCopiesWithOtherTagsMergeQuietly() throws {
        let snapshot = try Self.load([
            "sgs.json": Self.group(ingressPort: 443, name: "a"),
            "other-account/sgs.json": Self.group(ingressPort: 443, name: "b"),
        ])
        #expect(snapshot.diagnostics.filter { $0.severity == .error }.isEmpty, "\(snapshot.diagnostics)")
        #expect(snapshot.incompleteness.isEmpty)
    }

    @Test(arguments: [false, true])
    func conflictingCopiesAreAnErrorAndTheVPCUnknown(swapped: Bool) throws {
        let (first, second) = swapped ? (22, 443) : (443, 22)
        let snapshot = try Self.load([
            "a/sgs.json": Self.group(ingressPort: first, name: "a"),
            "b/sgs.json": Self.group(ingressPort: second, name: "a"),
            "sgs.json": "{}",
        ])
        let error = try #require(snapshot.diagnostics.first { $0.message.contains("exported twice") })
        #expect(error.message.contains("a/sgs.json") && error.message.contains("b/sgs.json"), "\(error.message)")
        #expect(snapshot.incompleteness.contains { $0.vpcID == "vpc-1" })
        for port in [22, 443] {
            let answer = try QueryEngine(snapshot: snapshot).answer(
                Query(from: "eni-1", to: "eni-2", ports: port...port))
            #expect(answer.verdict == .unknown, "port \(port), swapped \(swapped): \(answer.summary)")
        }
    }

    @Test func aRuleNumberTwiceWithOtherContentSkipsTheACL() throws {
        func acls(_ second: String) -> String {
            #"{"NetworkAcls": [{"NetworkAclId": "acl-1", "VpcId": "vpc-1", "IsDefault": true, "Associations": [{"SubnetId": "subnet-1", "NetworkAclId": "acl-1"}], "Entries": [{"RuleNumber": 100, "Protocol": "-1", "RuleAction": "allow", "Egress": false, "CidrBlock": "0.0.0.0/0"}, \#(second), {"RuleNumber": 32767, "Protocol": "-1", "RuleAction": "deny", "Egress": false, "CidrBlock": "0.0.0.0/0"}, {"RuleNumber": 32767, "Protocol": "-1", "RuleAction": "deny", "Egress": false, "Ipv6CidrBlock": "::/0"}]}]}"#
        }
        let same = try Self.load([
            "acls.json": acls(
                #"{"RuleNumber": 100, "Protocol": "-1", "RuleAction": "allow", "Egress": false, "CidrBlock": "0.0.0.0/0"}"#
            )
        ])
        #expect(same.networkACLs["acl-1"]?.entries.count == 3)
        #expect(same.incompleteness.isEmpty, "\(same.incompleteness)")
        let conflicting = try Self.load([
            "acls.json": acls(
                #"{"RuleNumber": 100, "Protocol": "-1", "RuleAction": "deny", "Egress": false, "CidrBlock": "0.0.0.0/0"}"#
            )
        ])
        #expect(conflicting.networkACLs["acl-1"] == nil)
        #expect(conflicting.diagnostics.contains { $0.message.contains("rule number 100 (ingress) appears twice") })
        #expect(conflicting.incompleteness.contains { $0.vpcID == "vpc-1" })
    }

    @Test func aDestinationTwiceWithAnotherTargetSkipsTheTable() throws {
        let tables =
            #"{"RouteTables": [{"RouteTableId": "rtb-1", "VpcId": "vpc-1", "Associations": [{"Main": true, "RouteTableId": "rtb-1"}], "Routes": [{"DestinationCidrBlock": "10.0.0.0/16", "GatewayId": "local", "State": "active", "Origin": "CreateRouteTable"}, {"DestinationCidrBlock": "0.0.0.0/0", "GatewayId": "igw-1", "State": "active", "Origin": "CreateRoute"}, {"DestinationCidrBlock": "0.0.0.0/0", "NatGatewayId": "nat-1", "State": "active", "Origin": "CreateRoute"}]}]}"#
        let snapshot = try Self.load(["rtbs.json": tables])
        #expect(snapshot.routeTables["rtb-1"] == nil)
        #expect(snapshot.diagnostics.contains { $0.message.contains("destination 0.0.0.0/0 appears twice") })
        #expect(snapshot.incompleteness.contains { $0.vpcID == "vpc-1" })
    }
}

extension DuplicateIDTests {
    @Test func aNATGatewayExportedTwiceInAnotherStateIsAConflict() throws {
        func gateways(_ state: String) -> String {
            #"{"NatGateways": [{"NatGatewayId": "nat-1", "VpcId": "vpc-1", "SubnetId": "subnet-1", "State": "\#(state)", "NatGatewayAddresses": [{"PrivateIp": "10.0.1.5", "PublicIp": "52.1.1.1"}]}]}"#
        }
        let same = try Self.load(["a/nat.json": gateways("available"), "b/nat.json": gateways("available")])
        #expect(!same.diagnostics.contains { $0.message.contains("exported twice") })
        let conflicting = try Self.load(["a/nat.json": gateways("available"), "b/nat.json": gateways("deleted")])
        #expect(conflicting.diagnostics.contains { $0.message.contains("NAT gateway 'nat-1' is exported twice") })
        #expect(conflicting.natGateways["nat-1"]?.state == "available")
        #expect(conflicting.incompleteness.contains { $0.vpcID == "vpc-1" })
    }
}
