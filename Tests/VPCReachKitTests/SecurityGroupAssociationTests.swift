import Foundation
import PacketSets
import Testing

@testable import VPCReachKit

/// Security groups used in another VPC through a VPC association, and references revived by a
/// new peering (semantics §20, §21), on outputs in AWS CLI shape.
@Suite struct SecurityGroupAssociationTests {
    static func acl(_ id: String, _ vpc: String, _ subnet: String) -> String {
        #"{"NetworkAclId": "\#(id)", "VpcId": "\#(vpc)", "IsDefault": true, "Associations": [{"SubnetId": "\#(subnet)", "NetworkAclId": "\#(id)"}], "Entries": [{"RuleNumber": 100, "Protocol": "-1", "RuleAction": "allow", "Egress": true, "CidrBlock": "0.0.0.0/0"}, {"RuleNumber": 100, "Protocol": "-1", "RuleAction": "allow", "Egress": false, "CidrBlock": "0.0.0.0/0"}]}"#
    }

    static func table(_ id: String, _ vpc: String, local: String, peer: String, via pcx: String) -> String {
        #"{"RouteTableId": "\#(id)", "VpcId": "\#(vpc)", "Associations": [{"Main": true, "RouteTableId": "\#(id)"}], "Routes": [{"DestinationCidrBlock": "\#(local)", "GatewayId": "local", "Origin": "CreateRouteTable", "State": "active"}, {"DestinationCidrBlock": "\#(peer)", "VpcPeeringConnectionId": "\#(pcx)", "Origin": "CreateRoute", "State": "active"}]}"#
    }

    static func peering(_ id: String, _ status: String) -> String {
        #"{"VpcPeeringConnectionId": "\#(id)", "Status": {"Code": "\#(status)", "Message": "\#(status)"}, "RequesterVpcInfo": {"VpcId": "vpc-1", "OwnerId": "111122223333", "Region": "eu-west-1", "CidrBlock": "10.1.0.0/16"}, "AccepterVpcInfo": {"VpcId": "vpc-2", "OwnerId": "111122223333", "Region": "eu-west-1", "CidrBlock": "10.2.0.0/16"}}"#
    }

    /// vpc-1 (10.1/16) and vpc-2 (10.2/16); sg-shared of vpc-1 admits 5432 from members of sg-app
    /// (vpc-2); sg-db of vpc-1 admits 5432 from sg-app through a peering reference that went stale
    /// when pcx-old was deleted. eni-shared (vpc-2) carries sg-shared, eni-db (vpc-1) sg-db,
    /// eni-app (vpc-2) sg-app.
    static func files(peerings: [String], associated: Bool) -> [String: String] {
        let egress = #""IpPermissionsEgress": [{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]"#
        var files: [String: String] = [
            "vpcs.json":
                #"{"Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.1.0.0/16"}, {"VpcId": "vpc-2", "CidrBlock": "10.2.0.0/16"}]}"#,
            "subnets.json":
                #"{"Subnets": [{"SubnetId": "subnet-1", "VpcId": "vpc-1", "CidrBlock": "10.1.1.0/24", "AvailabilityZone": "eu-west-1a"}, {"SubnetId": "subnet-2", "VpcId": "vpc-2", "CidrBlock": "10.2.1.0/24", "AvailabilityZone": "eu-west-1a"}]}"#,
            "acls.json":
                #"{"NetworkAcls": [\#(acl("acl-1", "vpc-1", "subnet-1")), \#(acl("acl-2", "vpc-2", "subnet-2"))]}"#,
            "rts.json":
                #"{"RouteTables": [\#(table("rtb-1", "vpc-1", local: "10.1.0.0/16", peer: "10.2.0.0/16", via: "pcx-new")), \#(table("rtb-2", "vpc-2", local: "10.2.0.0/16", peer: "10.1.0.0/16", via: "pcx-new"))]}"#,
            "pcx.json": #"{"VpcPeeringConnections": [\#(peerings.joined(separator: ", "))]}"#,
            "sgs.json": #"""
            {"SecurityGroups": [
              {"GroupId": "sg-shared", "GroupName": "shared", "VpcId": "vpc-1", "OwnerId": "111122223333", "IpPermissions": [{"IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432, "UserIdGroupPairs": [{"GroupId": "sg-app", "UserId": "111122223333"}]}], \#(egress)},
              {"GroupId": "sg-db", "GroupName": "db", "VpcId": "vpc-1", "OwnerId": "111122223333", "IpPermissions": [{"IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432, "UserIdGroupPairs": [{"GroupId": "sg-app", "UserId": "111122223333", "VpcId": "vpc-2", "VpcPeeringConnectionId": "pcx-old", "PeeringStatus": "deleted"}]}], \#(egress)},
              {"GroupId": "sg-app", "GroupName": "app", "VpcId": "vpc-2", "OwnerId": "111122223333", "IpPermissions": [], \#(egress)}]}
            """#,
            "enis.json": #"""
            {"NetworkInterfaces": [
              {"NetworkInterfaceId": "eni-shared", "SubnetId": "subnet-2", "VpcId": "vpc-2", "PrivateIpAddress": "10.2.1.20", "Groups": [{"GroupId": "sg-shared", "GroupName": "shared"}]},
              {"NetworkInterfaceId": "eni-db", "SubnetId": "subnet-1", "VpcId": "vpc-1", "PrivateIpAddress": "10.1.1.10", "Groups": [{"GroupId": "sg-db", "GroupName": "db"}]},
              {"NetworkInterfaceId": "eni-app", "SubnetId": "subnet-2", "VpcId": "vpc-2", "PrivateIpAddress": "10.2.1.10", "Groups": [{"GroupId": "sg-app", "GroupName": "app"}]}]}
            """#,
        ]
        if associated {
            files["sg-vpc-associations.json"] =
                #"{"SecurityGroupVpcAssociations": [{"GroupId": "sg-shared", "VpcId": "vpc-2", "VpcOwnerId": "111122223333", "State": "associated", "GroupOwnerId": "111122223333"}, {"GroupId": "sg-db", "VpcId": "vpc-2", "VpcOwnerId": "111122223333", "State": "disassociated", "GroupOwnerId": "111122223333"}]}"#
        }
        return files
    }

    static func verdict(_ from: String, _ to: String, _ files: [String: String]) throws -> Verdict {
        let engine = QueryEngine(snapshot: try SnapshotLoader().load(try IngestTests.snapshot(files)))
        return try engine.answer(Query(from: from, to: to, ports: 5432...5432)).verdict
    }

    @Test func anAssociatedGroupJudgesItsReferencesInTheVPCItIsUsedIn() throws {
        let files = Self.files(peerings: [Self.peering("pcx-new", "active")], associated: true)
        let snapshot = try SnapshotLoader().load(try IngestTests.snapshot(files))
        #expect(snapshot.securityGroupVPCAssociations == ["sg-shared": ["vpc-2"]])
        #expect(!snapshot.diagnostics.contains { $0.message.contains("no association") })
        // eni-shared is in vpc-2 with sg-shared (of vpc-1): eni-app, also in vpc-2, carries sg-app.
        #expect(try Self.verdict("eni-app", "eni-shared", files) == .reachable)
        // Without a peering the group's own VPC (vpc-1) would not reach eni-app: AWS does not say
        // which VPC judges the reference, so the answer is unknown.
        let unpeered = Self.files(peerings: [], associated: true)
        #expect(try Self.verdict("eni-app", "eni-shared", unpeered) == .unknown)
        // Without the association export the rule still applies as exported, with a warning.
        let unexported = Self.files(peerings: [Self.peering("pcx-new", "active")], associated: false)
        let warned = try SnapshotLoader().load(try IngestTests.snapshot(unexported))
        #expect(
            warned.diagnostics.contains { $0.message.contains("'eni-shared'") && $0.message.contains("no association") }
        )
    }

    @Test func aStaleReferenceIsLiveAgainOnceANewPeeringJoinsTheSameVPCs() throws {
        let revived = Self.files(
            peerings: [Self.peering("pcx-old", "deleted"), Self.peering("pcx-new", "active")], associated: true)
        #expect(try Self.verdict("eni-app", "eni-db", revived) == .reachable)
        let snapshot = try SnapshotLoader().load(try IngestTests.snapshot(revived))
        #expect(
            !AuditBuilder(snapshot: snapshot).build(generatedAt: "test").findings.contains {
                $0.rule == "SG_STALE_REFERENCE"
            })
        // Only the deleted peering: the reference matches nothing (and the routes to pcx-new lead nowhere).
        let stale = Self.files(peerings: [Self.peering("pcx-old", "deleted")], associated: true)
        #expect(try Self.verdict("eni-app", "eni-db", stale) != .reachable)
    }
}
