import Foundation
import PacketSets
import Testing

@testable import VPCReachKit

/// A public address belongs to one private address (semantics §28, §30): an interface whose
/// secondary private address has no association of its own neither reaches the internet from it
/// nor is reached there, although the interface has a public address.
@Suite struct PublicAddressPairingTests {
    static let files: [String: String] = [
        "vpcs.json":
            #"{"Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16", "CidrBlockAssociationSet": [{"CidrBlock": "10.0.0.0/16", "CidrBlockState": {"State": "associated"}}]}]}"#,
        "subnets.json":
            #"{"Subnets": [{"SubnetId": "subnet-1", "VpcId": "vpc-1", "CidrBlock": "10.0.1.0/24", "AvailabilityZone": "eu-west-1a"}]}"#,
        "igws.json":
            #"{"InternetGateways": [{"InternetGatewayId": "igw-1", "Attachments": [{"State": "available", "VpcId": "vpc-1"}]}]}"#,
        "rts.json":
            #"{"RouteTables": [{"RouteTableId": "rtb-1", "VpcId": "vpc-1", "Associations": [{"Main": true, "RouteTableId": "rtb-1"}], "Routes": [{"DestinationCidrBlock": "10.0.0.0/16", "GatewayId": "local", "Origin": "CreateRouteTable", "State": "active"}, {"DestinationCidrBlock": "0.0.0.0/0", "GatewayId": "igw-1", "Origin": "CreateRoute", "State": "active"}]}]}"#,
        "acls.json":
            #"{"NetworkAcls": [{"NetworkAclId": "acl-1", "VpcId": "vpc-1", "IsDefault": true, "Associations": [{"SubnetId": "subnet-1", "NetworkAclId": "acl-1"}], "Entries": [{"RuleNumber": 100, "Protocol": "-1", "RuleAction": "allow", "Egress": true, "CidrBlock": "0.0.0.0/0"}, {"RuleNumber": 100, "Protocol": "-1", "RuleAction": "allow", "Egress": false, "CidrBlock": "0.0.0.0/0"}]}]}"#,
        "sgs.json":
            #"{"SecurityGroups": [{"GroupId": "sg-1", "VpcId": "vpc-1", "IpPermissions": [{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}], "IpPermissionsEgress": [{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]}]}"#,
        "enis.json": #"""
        {"NetworkInterfaces": [{"NetworkInterfaceId": "eni-1", "SubnetId": "subnet-1", "VpcId": "vpc-1", "InterfaceType": "interface",
          "PrivateIpAddress": "10.0.1.10", "Association": {"IpOwnerId": "amazon", "PublicDnsName": "ec2-54-72-1-10.eu-west-1.compute.amazonaws.com", "PublicIp": "54.72.1.10"},
          "PrivateIpAddresses": [
            {"Association": {"IpOwnerId": "amazon", "PublicDnsName": "ec2-54-72-1-10.eu-west-1.compute.amazonaws.com", "PublicIp": "54.72.1.10"}, "Primary": true, "PrivateIpAddress": "10.0.1.10"},
            {"Primary": false, "PrivateIpAddress": "10.0.1.11"},
            {"Association": {"IpOwnerId": "111122223333", "PublicIp": "54.72.1.12"}, "Primary": false, "PrivateIpAddress": "10.0.1.12"}],
          "Groups": [{"GroupId": "sg-1", "GroupName": "web"}], "SourceDestCheck": true, "Status": "in-use"}]}
        """#,
    ]

    static func engine() throws -> QueryEngine {
        QueryEngine(snapshot: try SnapshotLoader().load(try IngestTests.snapshot(files)))
    }

    @Test func eachPublicAddressPairsWithItsOwnPrivateAddress() throws {
        let snapshot = try SnapshotLoader().load(try IngestTests.snapshot(Self.files))
        let interface = try #require(snapshot.networkInterfaces["eni-1"])
        #expect(interface.publiclyPairedAddresses.map(\.description) == ["10.0.1.10", "10.0.1.12"])
        #expect(interface.privateAddress(pairedWith: IPv4Address("54.72.1.12")!)?.description == "10.0.1.12")
    }

    @Test func anUnpairedSecondaryAddressDoesNotReachTheInternet() throws {
        let engine = try Self.engine()
        // An address names its whole interface (§7): the packets from 10.0.1.11 are dropped, those
        // from 10.0.1.10 and 10.0.1.12 get out.
        let out = try engine.answer(Query(from: "eni-1", to: "198.51.100.7", ports: 443...443))
        #expect(out.verdict == .unreachable)
        #expect(out.pairs[0].blockers.map(\.code.rawValue) == ["IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS"])
        #expect(out.pairs[0].blockers[0].explanation.contains("paired with 10.0.1.11"))
        #expect(out.pairs[0].summary.contains("from 10.0.1.10, 10.0.1.12 gets through"), "\(out.pairs[0].summary)")
        #expect(
            try engine.answer(Query(from: "eni-1", to: "198.51.100.7", ports: 443...443, mode: .some)).verdict
                == .reachable)
    }

    @Test func theInternetReachesOnlyThePairedAddresses() throws {
        let engine = try Self.engine()
        #expect(
            try engine.answer(Query(from: "198.51.100.7", to: "54.72.1.12", ports: 443...443)).verdict == .reachable)
        #expect(
            try engine.answer(Query(from: "198.51.100.7", to: "54.72.1.10", ports: 443...443)).verdict == .reachable)
        let whole = try engine.answer(Query(from: "198.51.100.7", to: "eni-1", ports: 443...443))
        #expect(whole.verdict == .unreachable)
        #expect(
            whole.pairs[0].blockers.contains {
                $0.code.rawValue == "IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS" && $0.explanation.contains("10.0.1.11")
            })
    }
}
