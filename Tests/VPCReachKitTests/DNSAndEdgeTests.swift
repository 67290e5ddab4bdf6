import Foundation
import PacketSets
import Testing

@testable import VPCReachKit

/// DNS resolution details and edge cases, on small snapshots written as AWS CLI JSON.
@Suite struct DNSAndEdgeTests {
    static let base: [String: String] = [
        "vpcs.json":
            #"{"Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16", "CidrBlockAssociationSet": [{"CidrBlock": "10.0.0.0/16", "CidrBlockState": {"State": "associated"}}]}]}"#,
        "dns-support.json": #"{"VpcId": "vpc-1", "EnableDnsSupport": {"Value": true}}"#,
        "dns-hostnames.json": #"{"VpcId": "vpc-1", "EnableDnsHostnames": {"Value": true}}"#,
        "subnets.json":
            #"{"Subnets": [{"SubnetId": "subnet-1", "VpcId": "vpc-1", "CidrBlock": "10.0.1.0/24", "AvailabilityZone": "eu-west-1a"}]}"#,
        "sgs.json":
            #"{"SecurityGroups": [{"GroupId": "sg-1", "VpcId": "vpc-1", "IpPermissions": [{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}], "IpPermissionsEgress": [{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]}]}"#,
        "enis.json":
            #"{"NetworkInterfaces": [{"NetworkInterfaceId": "eni-1", "SubnetId": "subnet-1", "VpcId": "vpc-1", "PrivateIpAddress": "10.0.1.10", "Groups": [{"GroupId": "sg-1"}]}, {"NetworkInterfaceId": "eni-2", "SubnetId": "subnet-1", "VpcId": "vpc-1", "PrivateIpAddress": "10.0.1.20", "Groups": [{"GroupId": "sg-1"}]}, {"NetworkInterfaceId": "eni-3", "SubnetId": "subnet-1", "VpcId": "vpc-1", "PrivateIpAddress": "10.0.1.30", "Groups": [{"GroupId": "sg-1"}]}]}"#,
        "zones.json":
            #"{"HostedZones": [{"Id": "/hostedzone/Z0ZONE1234567890ABCDE", "Name": "corp.internal.", "Config": {"PrivateZone": true}}]}"#,
        "route53/Z0ZONE1234567890ABCDE/get-hosted-zone.json":
            #"{"HostedZone": {"Id": "/hostedzone/Z0ZONE1234567890ABCDE", "Name": "corp.internal.", "Config": {"PrivateZone": true}}, "VPCs": [{"VPCRegion": "eu-west-1", "VPCId": "vpc-1"}]}"#,
        "route53/Z0ZONE1234567890ABCDE/list-resource-record-sets.json": #"""
        {"ResourceRecordSets": [
          {"Name": "\\052.corp.internal.", "Type": "A", "TTL": 60, "ResourceRecords": [{"Value": "10.0.1.20"}]},
          {"Name": "a.b.corp.internal.", "Type": "A", "TTL": 60, "ResourceRecords": [{"Value": "10.0.1.20"}]},
          {"Name": "blue.corp.internal.", "Type": "A", "TTL": 60, "ResourceRecords": [{"Value": "10.0.1.20"}]},
          {"Name": "green.corp.internal.", "Type": "A", "TTL": 60, "ResourceRecords": [{"Value": "10.0.1.30"}]},
          {"Name": "app.corp.internal.", "Type": "A", "SetIdentifier": "blue", "Weight": 90, "AliasTarget": {"HostedZoneId": "Z0ZONE1234567890ABCDE", "DNSName": "blue.corp.internal.", "EvaluateTargetHealth": false}},
          {"Name": "app.corp.internal.", "Type": "A", "SetIdentifier": "green", "Weight": 10, "AliasTarget": {"HostedZoneId": "Z0ZONE1234567890ABCDE", "DNSName": "green.corp.internal.", "EvaluateTargetHealth": false}},
          {"Name": "lb.corp.internal.", "Type": "A", "AliasTarget": {"HostedZoneId": "Z32O12XQLNTSW2", "DNSName": "internal-lb-1.eu-west-1.elb.amazonaws.com.", "EvaluateTargetHealth": false}}
        ]}
        """#,
    ]

    static func resolve(_ name: String, extra: [String: String] = [:]) throws -> DNSAnswer {
        let root = try IngestTests.snapshot(base.merging(extra) { $1 })
        let index = NetworkIndex(try SnapshotLoader().load(root))
        return DNSResolver(index: index).resolve(name, fromVPC: "vpc-1")
    }

    static func addresses(_ answer: DNSAnswer) -> [String]? {
        if case .addresses(let found, _, _) = answer { return found.map(\.description) }
        return nil
    }

    /// LocalStack and moto issue zone ids that do not start with Z: a records file in a folder named
    /// by such an id belongs to that zone when list-hosted-zones describes it, and only then.
    @Test func recordsInAFolderNamedByAListedZoneIDOfAnyPatternBelongToThatZone() throws {
        let emulator: [String: String] = [
            "zones.json":
                #"{"HostedZones": [{"Id": "/hostedzone/4NWUOBRVBM9XIV7", "Name": "corp.internal.", "Config": {"PrivateZone": true}, "ResourceRecordSetCount": 3}]}"#,
            "route53/4NWUOBRVBM9XIV7/get-hosted-zone.json":
                #"{"HostedZone": {"Id": "/hostedzone/4NWUOBRVBM9XIV7", "Name": "corp.internal.", "Config": {"PrivateZone": true}}, "VPCs": [{"VPCRegion": "eu-west-1", "VPCId": "vpc-1"}]}"#,
            "route53/4NWUOBRVBM9XIV7/list-resource-record-sets.json":
                #"{"ResourceRecordSets": [{"Name": "db.corp.internal.", "Type": "A", "TTL": 60, "ResourceRecords": [{"Value": "10.0.1.30"}]}]}"#,
            "route53/unlisted-zone/list-resource-record-sets.json":
                #"{"ResourceRecordSets": [{"Name": "x.other.internal.", "Type": "A", "TTL": 60, "ResourceRecords": [{"Value": "10.0.1.20"}]}]}"#,
        ]
        var files = Self.base.filter { !$0.key.hasPrefix("route53/") }
        files.merge(emulator) { $1 }
        let snapshot = try SnapshotLoader().load(try IngestTests.snapshot(files))
        #expect(snapshot.hostedZones["4NWUOBRVBM9XIV7"]?.recordSets?.map(\.name) == ["db.corp.internal."])
        #expect(snapshot.counts["ResourceRecordSets"] == 1)
        #expect(
            snapshot.diagnostics.contains {
                $0.message.contains("no folder or file name in its path is a zone")
                    && $0.location?.file.contains("unlisted-zone") == true
            })
        let answer = DNSResolver(index: NetworkIndex(snapshot)).resolve("db.corp.internal", fromVPC: "vpc-1")
        #expect(Self.addresses(answer) == ["10.0.1.30"])
    }

    /// An alias loop (A-alias to A-alias and back) ends at the 16-step bound as unknown instead of
    /// recursing without end.
    @Test func aliasLoopsAreCutOffAsUnknown() throws {
        let loop = #"""
            {"ResourceRecordSets": [
              {"Name": "ping.corp.internal.", "Type": "A", "AliasTarget": {"HostedZoneId": "Z0ZONE1234567890ABCDE", "DNSName": "pong.corp.internal.", "EvaluateTargetHealth": false}},
              {"Name": "pong.corp.internal.", "Type": "A", "AliasTarget": {"HostedZoneId": "Z0ZONE1234567890ABCDE", "DNSName": "ping.corp.internal.", "EvaluateTargetHealth": false}}
            ]}
            """#
        guard
            case .unknown(let reason) = try Self.resolve(
                "ping.corp.internal", extra: ["route53/Z0ZONE1234567890ABCDE/list-resource-record-sets.json": loop])
        else {
            Issue.record("expected unknown")
            return
        }
        #expect(reason.contains("loops or chains"))
    }

    @Test func weightedAliasesAnswerWithEveryTarget() throws {
        #expect(Self.addresses(try Self.resolve("app.corp.internal")) == ["10.0.1.20", "10.0.1.30"])
    }

    @Test func aliasToAnAWSResourceOutsideTheSnapshotIsUnknown() throws {
        guard case .unknown(let reason) = try Self.resolve("lb.corp.internal") else {
            Issue.record("expected unknown")
            return
        }
        #expect(reason.contains("outside the snapshot"))
    }

    @Test func wildcardAnswersOnlyWhereNoNameExists() throws {
        #expect(Self.addresses(try Self.resolve("anything.corp.internal")) == ["10.0.1.20"])
        #expect(Self.addresses(try Self.resolve("deeper.anything.corp.internal")) == ["10.0.1.20"])
        // b.corp.internal exists as an empty non-terminal (a.b.corp.internal has records), so the
        // wildcard does not answer x.b.corp.internal, nor b.corp.internal itself.
        guard case .failure(let failure) = try Self.resolve("x.b.corp.internal") else {
            Issue.record("expected NXDOMAIN below an empty non-terminal")
            return
        }
        #expect(failure.code == .nxdomain)
        guard case .failure(let failure) = try Self.resolve("b.corp.internal") else {
            Issue.record("expected no address for an empty non-terminal")
            return
        }
        #expect(failure.code == .nxdomain)
    }

    @Test func ec2PrivateHostnamesAreAnsweredByTheAmazonResolver() throws {
        #expect(Self.addresses(try Self.resolve("ip-10-0-1-20.eu-west-1.compute.internal")) == ["10.0.1.20"])
        // ec2.internal is us-east-1's domain; this VPC is in eu-west-1 and peers with no other Region.
        guard case .failure(let failure) = try Self.resolve("ip-10-0-1-30.ec2.internal") else {
            Issue.record("another Region's EC2 hostname does not resolve")
            return
        }
        #expect(failure.code == .nxdomain)
        guard case .unknown = try Self.resolve("i-0123456789abcdef0.eu-west-1.compute.internal") else {
            Issue.record("a resource-name hostname cannot be decided from the snapshot")
            return
        }
    }

    @Test func missingDNSAttributesMakeTheAnswerUnknown() throws {
        let root = try IngestTests.snapshot(Self.base.filter { !$0.key.hasPrefix("dns-") })
        let index = NetworkIndex(try SnapshotLoader().load(root))
        guard case .unknown(let reason) = DNSResolver(index: index).resolve("blue.corp.internal", fromVPC: "vpc-1")
        else {
            Issue.record("expected unknown")
            return
        }
        #expect(reason.contains("describe-vpc-attribute"))
    }

    @Test func nxdomainFromAnIncompleteSnapshotIsUnknown() throws {
        let root = try IngestTests.snapshot(
            Self.base.merging(["bad.json": #"{"Subnets": [{"SubnetId": "subnet-9"}]}"#]) { $1 })
        let engine = QueryEngine(snapshot: try SnapshotLoader().load(root))
        let answer = try engine.answer(Query(from: "eni-1", to: "x.b.corp.internal", ports: 443...443))
        #expect(answer.verdict == .unknown)
    }

    @Test func aQueryWithBothEndsOutsideTheSnapshotIsAnError() throws {
        let engine = QueryEngine(snapshot: try SnapshotLoader().load(try IngestTests.snapshot(Self.base)))
        #expect(throws: VPCReachError.self) {
            try engine.answer(Query(from: "203.0.113.1", to: "198.51.100.1"))
        }
    }

    @Test func privateAddressesAreNotRoutedOnTheInternet() throws {
        let snapshot = try Fixtures.load("fixtures/semantics/internet-egress-public-ip")
        let engine = QueryEngine(snapshot: snapshot)
        let interface = try #require(
            snapshot.networkInterfaces.values.sorted { $0.id < $1.id }.first { !$0.publicAddresses.isEmpty })
        let answer = try engine.answer(Query(from: interface.id, to: "192.168.50.10", ports: 443...443))
        #expect(answer.verdict == .unreachable)
        #expect(
            answer.pairs[0].blockers.contains {
                $0.code.rawValue == "IGW_DESTINATION_ADDRESS_NOT_IN_RFC1918_EGRESS" && $0.component.hasPrefix("igw-")
            })
        let shared = try engine.answer(Query(from: interface.id, to: "100.64.7.7", ports: 443...443))
        #expect(shared.pairs[0].blockers.map(\.code.rawValue) == ["IGW_DESTINATION_ADDRESS_NOT_IN_RFC6598_EGRESS"])
        let inbound = try engine.answer(Query(from: "172.16.5.5", to: interface.id, ports: 443...443))
        #expect(inbound.verdict == .unreachable)
        #expect(
            inbound.pairs[0].blockers.contains {
                $0.code.rawValue == "IGW_SOURCE_ADDRESS_NOT_IN_RFC1918_INGRESS" && $0.direction == .forward
            })
        let carrierNAT = try engine.answer(Query(from: "100.70.0.1", to: interface.id, ports: 443...443))
        #expect(
            carrierNAT.pairs[0].blockers.contains { $0.code.rawValue == "IGW_SOURCE_ADDRESS_NOT_IN_RFC6598_INGRESS" })
    }

    @Test func aPrefixListRouteWithoutEntriesMakesItsAddressesUnknown() throws {
        let tables =
            #"{"RouteTables": [{"RouteTableId": "rtb-1", "VpcId": "vpc-1", "Associations": [{"Main": true}], "Routes": [{"DestinationCidrBlock": "10.0.0.0/16", "GatewayId": "local", "Origin": "CreateRouteTable", "State": "active"}, {"DestinationPrefixListId": "pl-0000000000000000a", "VpcPeeringConnectionId": "pcx-1", "Origin": "CreateRoute", "State": "active"}]}]}"#
        let acls =
            #"{"NetworkAcls": [{"NetworkAclId": "acl-1", "VpcId": "vpc-1", "IsDefault": true, "Associations": [], "Entries": [{"RuleNumber": 100, "Protocol": "-1", "RuleAction": "allow", "Egress": true, "CidrBlock": "0.0.0.0/0"}, {"RuleNumber": 100, "Protocol": "-1", "RuleAction": "allow", "Egress": false, "CidrBlock": "0.0.0.0/0"}]}]}"#
        let root = try IngestTests.snapshot(Self.base.merging(["rt.json": tables, "acl.json": acls]) { $1 })
        let engine = QueryEngine(snapshot: try SnapshotLoader().load(root))
        let answer = try engine.answer(Query(from: "eni-1", to: "203.0.113.9", ports: 443...443))
        #expect(answer.verdict == .unknown, "\(answer.summary)")
    }

    @Test func aServiceWithoutSecurityGroupsIsPlacedWithTheDefaultGroup() throws {
        let groups =
            #"{"SecurityGroups": [{"GroupId": "sg-1", "VpcId": "vpc-1", "GroupName": "default", "IpPermissions": [{"IpProtocol": "-1", "UserIdGroupPairs": [{"GroupId": "sg-1"}]}], "IpPermissionsEgress": [{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]}, {"GroupId": "sg-2", "VpcId": "vpc-1", "GroupName": "db", "IpPermissions": [{"IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432, "UserIdGroupPairs": [{"GroupId": "sg-9"}]}], "IpPermissionsEgress": []}]}"#
        let interfaces =
            #"{"NetworkInterfaces": [{"NetworkInterfaceId": "eni-1", "SubnetId": "subnet-1", "VpcId": "vpc-1", "PrivateIpAddress": "10.0.1.10", "Groups": [{"GroupId": "sg-1"}]}, {"NetworkInterfaceId": "eni-2", "SubnetId": "subnet-1", "VpcId": "vpc-1", "PrivateIpAddress": "10.0.1.20", "Groups": [{"GroupId": "sg-2"}]}]}"#
        let services =
            #"{"services": [{"serviceName": "worker", "clusterArn": "arn:aws:ecs:eu-west-1:111122223333:cluster/jobs", "desiredCount": 1, "runningCount": 0, "networkConfiguration": {"awsvpcConfiguration": {"subnets": ["subnet-1"], "assignPublicIp": "DISABLED"}}}], "failures": []}"#
        let root = try IngestTests.snapshot(
            Self.base.merging([
                "sgs.json": groups, "enis.json": interfaces, "ecs/jobs/describe-services.json": services,
            ]) { $1 })
        let engine = QueryEngine(snapshot: try SnapshotLoader().load(root))
        // The default group admits its own members, so the placed task reaches eni-1...
        let toMember = try engine.answer(Query(from: "ecs:jobs/worker", to: "eni-1", ports: 80...80))
        #expect(toMember.verdict == .reachable, "\(toMember.summary)")
        #expect(toMember.pairs[0].source.securityGroups == ["sg-1"])
        // ...but not the database, whose group admits only sg-9.
        #expect(
            try engine.answer(Query(from: "ecs:jobs/worker", to: "eni-2", ports: 5432...5432)).verdict == .unreachable)
    }
}
