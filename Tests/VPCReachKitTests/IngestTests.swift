import Foundation
import PacketSets
import Testing

@testable import VPCReachKit

/// Loading snapshots: layouts, recognition by key, real AWS CLI shapes, and bad input.
@Suite struct IngestTests {
    /// Writes `files` (relative path → JSON text) into a fresh temporary snapshot folder.
    static func snapshot(_ files: [String: String]) throws -> String {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("vpcreach-\(UUID().uuidString)")
        for (path, text) in files {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        return root.path
    }

    static let vpcs =
        #"{"Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16", "OwnerId": "111122223333", "CidrBlockAssociationSet": [{"CidrBlock": "10.0.0.0/16", "CidrBlockState": {"State": "associated"}}, {"CidrBlock": "10.9.0.0/16", "CidrBlockState": {"State": "disassociated"}}]}]}"#

    /// A Classic Load Balancer's listeners come inline (`ListenerDescriptions`); its interfaces,
    /// described `ELB NAME`, accept only those ports (semantics §39).
    @Test func classicLoadBalancerListenersAreRead() throws {
        var files = DNSAndEdgeTests.base.filter { !$0.key.hasPrefix("route53/") && $0.key != "zones.json" }
        files["enis.json"] =
            #"{"NetworkInterfaces": [{"NetworkInterfaceId": "eni-1", "SubnetId": "subnet-1", "VpcId": "vpc-1", "PrivateIpAddress": "10.0.1.10", "Groups": [{"GroupId": "sg-1"}]}, {"NetworkInterfaceId": "eni-elb", "SubnetId": "subnet-1", "VpcId": "vpc-1", "PrivateIpAddress": "10.0.1.50", "InterfaceType": "interface", "Description": "ELB my-classic-lb", "RequesterId": "amazon-elb", "RequesterManaged": true, "Groups": [{"GroupId": "sg-1", "GroupName": "web"}]}]}"#
        files["elb/describe-load-balancers.json"] = #"""
            {"LoadBalancerDescriptions": [{"Subnets": ["subnet-1"], "CanonicalHostedZoneNameID": "Z32O12XQLNTSW2",
              "CanonicalHostedZoneName": "my-classic-lb-1234567890.eu-west-1.elb.amazonaws.com",
              "ListenerDescriptions": [{"Listener": {"InstancePort": 80, "LoadBalancerPort": 80, "Protocol": "HTTP", "InstanceProtocol": "HTTP"}, "PolicyNames": []},
                {"Listener": {"InstancePort": 443, "SSLCertificateId": "arn:aws:iam::111122223333:server-certificate/my-server-cert", "LoadBalancerPort": 443, "Protocol": "HTTPS", "InstanceProtocol": "HTTPS"}, "PolicyNames": ["ELBSecurityPolicy-2015-03"]}],
              "HealthCheck": {"HealthyThreshold": 2, "Interval": 30, "Target": "HTTP:80/png", "Timeout": 3, "UnhealthyThreshold": 2},
              "VPCId": "vpc-1", "BackendServerDescriptions": [], "Instances": [], "DNSName": "my-classic-lb-1234567890.eu-west-1.elb.amazonaws.com",
              "SecurityGroups": ["sg-1"], "Policies": {"LBCookieStickinessPolicies": [], "AppCookieStickinessPolicies": [], "OtherPolicies": []},
              "LoadBalancerName": "my-classic-lb", "CreatedTime": "2015-03-19T03:24:02.650Z", "AvailabilityZones": ["eu-west-1a"],
              "Scheme": "internet-facing", "SourceSecurityGroup": {"OwnerAlias": "111122223333", "GroupName": "web"}}]}
            """#
        let snapshot = try SnapshotLoader().load(try Self.snapshot(files))
        #expect(snapshot.diagnostics.filter { $0.severity == .error }.isEmpty)
        #expect(snapshot.loadBalancers["my-classic-lb"]?.kind == .classic)
        #expect(snapshot.listeners["my-classic-lb"]?.map(\.port) == [80, 443])
        let engine = QueryEngine(snapshot: snapshot)
        #expect(try engine.answer(Query(from: "eni-1", to: "eni-elb", ports: 443...443)).verdict == .reachable)
        let other = try engine.answer(Query(from: "eni-1", to: "10.0.1.50", ports: 8080...8080))
        #expect(other.verdict == .unreachable)
        #expect(other.pairs[0].blockers.map(\.code.rawValue) == ["ELB_LISTENER_PORT_RESTRICTION"])
    }

    /// The primary block (`CidrBlock`) comes first whatever the association set's order: the
    /// Route 53 Resolver is at its base plus two.
    @Test func theVPCsPrimaryBlockComesFirst() throws {
        var files = DNSAndEdgeTests.base
        files["vpcs.json"] =
            #"{"Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16", "CidrBlockAssociationSet": [{"CidrBlock": "10.5.0.0/16", "CidrBlockState": {"State": "associated"}}, {"CidrBlock": "10.0.0.0/16", "CidrBlockState": {"State": "associated"}}]}]}"#
        let snapshot = try SnapshotLoader().load(try Self.snapshot(files))
        #expect(snapshot.vpcs["vpc-1"]?.cidrBlocks.map(\.description) == ["10.0.0.0/16", "10.5.0.0/16"])
        let engine = QueryEngine(snapshot: snapshot)
        #expect(
            try engine.answer(Query(from: "eni-1", to: "10.0.0.2", ipProtocol: .udp, ports: 53...53)).verdict
                == .reachable)
        #expect(
            try engine.answer(Query(from: "eni-1", to: "10.5.0.2", ipProtocol: .udp, ports: 53...53)).pairs[0].blockers
                .map(\.code.rawValue) == ["NO_SUBNET_FOR_ADDRESS"])
    }

    /// A Gateway Load Balancer's listener has no port or protocol: nothing to read, no error.
    @Test func gatewayLoadBalancerListenersWithoutPortsAreNoError() throws {
        let files = [
            "elbv2/listeners/gwy.json":
                #"{"Listeners": [{"ListenerArn": "arn:aws:elasticloadbalancing:eu-west-1:111122223333:listener/gwy/inspection/3a7c5e1f0b2d4c6e/0f1e2d3c4b5a6978", "LoadBalancerArn": "arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/gwy/inspection/3a7c5e1f0b2d4c6e", "DefaultActions": [{"Type": "forward", "TargetGroupArn": "arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/appliances/0123456789abcdef"}]}]}"#
        ]
        let snapshot = try SnapshotLoader().load(try Self.snapshot(files))
        #expect(snapshot.diagnostics.filter { $0.severity == .error }.isEmpty, "\(snapshot.diagnostics)")
        #expect(snapshot.incompleteness.isEmpty)
    }

    @Test func awsCLIDocumentationExamplesLoadWithoutErrorAndEveryResourceIsCounted() throws {
        let snapshot = try Fixtures.load("fixtures/awscli-examples")
        let errors = snapshot.diagnostics.filter { $0.severity == .error }
        #expect(errors.isEmpty, "\(errors)")
        let data = try Data(contentsOf: Fixtures.expectations.appendingPathComponent("awscli-example-counts.json"))
        let expected = try JSONDecoder().decode([String: [String: Int]].self, from: data)
        let totals = try #require(expected["totals"])
        // The AWS output key, and the inventory key it is counted under.
        let names = [
            "Vpcs": "Vpcs", "Subnets": "Subnets", "RouteTables": "RouteTables", "SecurityGroups": "SecurityGroups",
            "NetworkAcls": "NetworkAcls", "NetworkInterfaces": "NetworkInterfaces", "Reservations": "Reservations",
            "Instances": "Instances", "InternetGateways": "InternetGateways", "NatGateways": "NatGateways",
            "VpcPeeringConnections": "VpcPeeringConnections", "PrefixLists": "PrefixLists",
            "Entries": "PrefixListEntries",
            "HostedZones": "HostedZones", "ResourceRecordSets": "ResourceRecordSets", "services": "ECSServices",
            "tasks": "ECSTasks",
        ]
        for (key, count) in totals.sorted(by: { $0.key < $1.key }) where count > 0 {
            if key == "EnableDnsSupport" || key == "EnableDnsHostnames" { continue }
            let name = try #require(names[key], "no inventory name for AWS key \(key)")
            #expect(snapshot.counts[name] == count, "\(key): expected \(count), counted \(snapshot.counts[name] ?? 0)")
        }
        let attributes = (totals["EnableDnsSupport"] ?? 0) + (totals["EnableDnsHostnames"] ?? 0)
        #expect(snapshot.counts["VpcAttributes", default: 0] == attributes)
    }

    @Test func filesAreRecognisedByTopLevelKeyNotName() throws {
        let root = try Self.snapshot(["whatever/name.json": Self.vpcs, "notes.json": #"{"Something": []}"#])
        let snapshot = try SnapshotLoader().load(root)
        #expect(snapshot.vpcs["vpc-1"]?.cidrBlocks.map(\.description) == ["10.0.0.0/16"])
        #expect(snapshot.diagnostics.contains { $0.message.contains("unsupported top-level key 'Something'") })
    }

    @Test(
        arguments: [
            ("111122223333/eu-west-1/describe-vpcs.json", "111122223333", "eu-west-1"),
            ("aws_configs/eu-west-1/Vpcs.json", nil, "eu-west-1"),
            ("aws_configs/accounts/444455556666/us-east-2/Vpcs.json", "444455556666", "us-east-2"),
            ("account-data/777788889999/ap-southeast-2/ec2-describe-vpcs.json", "777788889999", "ap-southeast-2"),
            ("describe-vpcs.json", nil, nil),
        ] as [(String, String?, String?)])
    func accountAndRegionComeFromThePathWhenTheDataLacksThem(path: String, account: String?, region: String?) throws {
        let root = try Self.snapshot([
            path: #"{"Subnets": [{"SubnetId": "subnet-1", "VpcId": "vpc-1", "CidrBlock": "10.0.1.0/24"}]}"#
        ])
        let snapshot = try SnapshotLoader().load(root)
        let subnet = try #require(snapshot.subnets["subnet-1"])
        #expect(subnet.placement.account == account)
        #expect(subnet.placement.region == region)
    }

    @Test func idsOfOutputsWithoutOneComeFromFileOrFolderNames() throws {
        let root = try Self.snapshot([
            "ec2/prefix-list-entries/pl-0123456789abcdef0.json":
                #"{"Entries": [{"Cidr": "198.51.100.0/24"}, {"Cidr": "2001:db8::/32"}]}"#,
            "route53/Z0123456789ABCDEFGHIJ/list-resource-record-sets.json":
                #"{"ResourceRecordSets": [{"Name": "\\052.corp.internal.", "Type": "A", "TTL": 60, "ResourceRecords": [{"Value": "10.0.0.5"}]}]}"#,
            "route53/ZABCDEFGHIJ0123456789.json": #"{"ResourceRecordSets": []}"#,
            "loose-entries.json": #"{"Entries": [{"Cidr": "203.0.113.0/24"}]}"#,
        ])
        let snapshot = try SnapshotLoader().load(root)
        #expect(snapshot.prefixLists["pl-0123456789abcdef0"]?.cidrBlocks?.map(\.description) == ["198.51.100.0/24"])
        let records = try #require(snapshot.hostedZones["Z0123456789ABCDEFGHIJ"]?.recordSets)
        #expect(records.map(\.name) == ["*.corp.internal."])
        #expect(snapshot.hostedZones["ZABCDEFGHIJ0123456789"]?.recordSets?.isEmpty == true)
        #expect(
            snapshot.diagnostics.contains {
                $0.location?.file.hasSuffix("loose-entries.json") == true && $0.severity == .warning
            })
    }

    /// Files are decoded concurrently and applied in path order; outputs that describe one
    /// resource in several files merge as if read one by one.
    @Test func outputsAboutOneResourceMergeAcrossFilesInPathOrder() throws {
        let zone = "Z0123456789ABCDEFGHIJ"
        let root = try Self.snapshot([
            "1/dns-support.json": #"{"VpcId": "vpc-1", "EnableDnsSupport": {"Value": false}}"#,
            "2/describe-vpcs.json": Self.vpcs,
            "3/dns-hostnames.json": #"{"VpcId": "vpc-1", "EnableDnsHostnames": {"Value": true}}"#,
            "4/describe-vpcs.json": #"{"Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.7.0.0/16"}]}"#,
            "5/route53/\(zone)/list-resource-record-sets.json":
                #"{"ResourceRecordSets": [{"Name": "db.corp.internal.", "Type": "A", "TTL": 60, "ResourceRecords": [{"Value": "10.0.0.5"}]}]}"#,
            "6/list-hosted-zones.json":
                #"{"HostedZones": [{"Id": "/hostedzone/\#(zone)", "Name": "corp.internal.", "CallerReference": "x", "Config": {"PrivateZone": true}, "ResourceRecordSetCount": 3}]}"#,
            "7/route53/\(zone)/get-hosted-zone.json":
                #"{"HostedZone": {"Id": "/hostedzone/\#(zone)", "Name": "corp.internal.", "CallerReference": "x", "Config": {"PrivateZone": true}}, "VPCs": [{"VPCRegion": "eu-west-1", "VPCId": "vpc-1"}]}"#,
            "8/pl-0123456789abcdef0.json": #"{"Entries": [{"Cidr": "198.51.100.0/24"}]}"#,
            "9/describe-managed-prefix-lists.json":
                #"{"PrefixLists": [{"PrefixListId": "pl-0123456789abcdef0", "AddressFamily": "IPv4", "State": "create-complete", "PrefixListName": "corp"}]}"#,
        ])
        let snapshot = try SnapshotLoader().load(root)
        let vpc = try #require(snapshot.vpcs["vpc-1"])
        #expect(vpc.dnsSupport == false && vpc.dnsHostnames == true)
        #expect(vpc.cidrBlocks.map(\.description) == ["10.0.0.0/16"])
        #expect(vpc.source.file.hasSuffix("2/describe-vpcs.json"))
        #expect(
            snapshot.diagnostics.contains {
                $0.message.contains("appears more than once")
                    && $0.location?.file.hasSuffix("4/describe-vpcs.json") == true
            })
        let hostedZone = try #require(snapshot.hostedZones[zone])
        #expect(hostedZone.name == "corp.internal." && hostedZone.isPrivate)
        #expect(hostedZone.recordSets?.map(\.name) == ["db.corp.internal."])
        #expect(hostedZone.vpcAssociations?.map(\.vpcID) == ["vpc-1"])
        #expect(
            hostedZone.source.file.hasSuffix("6/list-hosted-zones.json")
                && hostedZone.source.jsonPath == "$.HostedZones[0]")
        #expect(snapshot.counts["HostedZones"] == 1)
        let list = try #require(snapshot.prefixLists["pl-0123456789abcdef0"])
        #expect(list.name == "corp" && list.cidrBlocks?.map(\.description) == ["198.51.100.0/24"])
    }

    @Test func onlyAssociatedCIDRBlocksCount() throws {
        let snapshot = try SnapshotLoader().load(try Self.snapshot(["v.json": Self.vpcs]))
        #expect(snapshot.vpcs["vpc-1"]?.cidrBlocks.count == 1)
    }

    @Test func aFileThatIsNotJSONIsAnInputErrorNamingTheFile() throws {
        let root = try Self.snapshot([
            "good.json": Self.vpcs, "bad/describe-subnets.json": #"{"Subnets": [ {"SubnetId": "#,
        ])
        #expect {
            try SnapshotLoader().load(root)
        } throws: { error in
            guard case VPCReachError.unreadableFile(let path, let reason) = error else { return false }
            return path.hasSuffix("bad/describe-subnets.json") && reason.contains("not valid JSON")
        }
    }

    @Test func aMissingSnapshotIsAnInputError() {
        #expect(throws: VPCReachError.snapshotNotFound(path: "/no/such/snapshot")) {
            try SnapshotLoader().load("/no/such/snapshot")
        }
    }

    @Test func aMalformedResourceIsSkippedWithItsJSONPathAndMarksItsVPCIncomplete() throws {
        let subnets =
            #"{"Subnets": [{"SubnetId": "subnet-1", "VpcId": "vpc-1", "CidrBlock": "10.0.1.0/24"}, {"SubnetId": "subnet-2", "VpcId": "vpc-1", "CidrBlock": "10.0.300.0/24"}]}"#
        let snapshot = try SnapshotLoader().load(try Self.snapshot(["v.json": Self.vpcs, "s.json": subnets]))
        #expect(snapshot.subnets["subnet-1"] != nil)
        #expect(snapshot.subnets["subnet-2"] == nil)
        let error = try #require(snapshot.diagnostics.first { $0.severity == .error })
        #expect(error.location?.jsonPath == "$.Subnets[1].CidrBlock")
        #expect(error.message.contains("'10.0.300.0/24' is not an IPv4 CIDR block"))
        #expect(snapshot.incompleteness.map(\.vpcID) == ["vpc-1"])
    }

    @Test func truncatedOutputMarksTheWholeSnapshotIncomplete() throws {
        let root = try Self.snapshot(["v.json": #"{"Vpcs": [], "NextToken": "abc"}"#])
        let snapshot = try SnapshotLoader().load(root)
        #expect(snapshot.incompleteness.count == 1)
        #expect(snapshot.incompleteness.first?.vpcID == nil)
    }

    @Test func missingOptionalFieldsAreTolerated() throws {
        let root = try Self.snapshot([
            "sg.json": #"{"SecurityGroups": [{"GroupId": "sg-1", "IpPermissions": [{"IpProtocol": "-1"}]}]}"#,
            "rt.json": #"{"RouteTables": [{"RouteTableId": "rtb-1", "VpcId": "vpc-1"}]}"#,
        ])
        let snapshot = try SnapshotLoader().load(root)
        #expect(snapshot.securityGroups["sg-1"]?.egress.isEmpty == true)
        #expect(snapshot.routeTables["rtb-1"]?.isMain == false)
        #expect(snapshot.diagnostics.filter { $0.severity == .error }.isEmpty)
    }

    @Test func danglingReferencesAreReported() throws {
        let snapshot = try Fixtures.load("fixtures/semantics/dangling-references")
        #expect(
            snapshot.diagnostics.contains {
                $0.message.contains("targets peering connection") && $0.message.contains("not in the snapshot")
            })
        #expect(snapshot.diagnostics.contains { $0.message.contains("has a rule referencing") })
    }

    @Test(
        arguments: [
            (
                "interface", "arn:aws:ecs:eu-west-1:111122223333:attachment/9a8b7c6d-1111-2222-3333-444455556666", nil,
                InterfaceKind.ecsTask
            ),
            ("interface", "RDSNetworkInterface", "amazon-rds", .rds),
            ("interface", "ElastiCache prod-redis-0001-001", "amazon-elasticache", .elastiCache),
            ("interface", "ELB app/prod-alb/50dc6c495c0c9188", "amazon-elb", .loadBalancer),
            ("nat_gateway", "Interface for NAT Gateway nat-0123", nil, .natGateway),
            ("natGateway", "", nil, .natGateway),
            ("vpc_endpoint", "VPC Endpoint Interface vpce-0123", nil, .vpcEndpoint),
            ("lambda", "AWS Lambda VPC ENI-fn-1234", nil, .lambda),
            ("gateway_load_balancer_endpoint", "VPC Endpoint Interface vpce-0456", nil, .gatewayLoadBalancerEndpoint),
            ("gateway_load_balancer", "ELB gwy/inspection/3a7c5e1f0b2d4c6e", "amazon-elb", .gatewayLoadBalancer),
            ("interface", "ELB gwy/inspection/3a7c5e1f0b2d4c6e", "amazon-elb", .gatewayLoadBalancer),
            (
                "transit_gateway", "Network Interface for Transit Gateway Attachment tgw-attach-0123", nil,
                .transitGateway
            ),
            ("interface", "", nil, .other),
        ] as [(String, String, String?, InterfaceKind)])
    func requesterManagedInterfacesAreClassified(
        type: String, description: String, requester: String?, kind: InterfaceKind
    ) throws {
        let interface =
            #"{"NetworkInterfaces": [{"NetworkInterfaceId": "eni-1", "SubnetId": "subnet-1", "VpcId": "vpc-1", "InterfaceType": "\#(type)", "Description": "\#(description)", "RequesterManaged": true\#(requester.map { #", "RequesterId": "\#($0)""# } ?? ""), "PrivateIpAddress": "10.0.1.5", "Groups": []}]}"#
        let snapshot = try SnapshotLoader().load(try Self.snapshot(["eni.json": interface]))
        #expect(snapshot.networkInterfaces["eni-1"]?.kind == kind)
    }

    /// AWS always exports an interface's `Groups`; without it the interface is not read as
    /// unfiltered: it is skipped with an error naming the JSON path, and its VPC is incomplete.
    @Test(arguments: ["", #", "Groups": null"#])
    func anInterfaceWithoutItsGroupsListIsMalformed(groups: String) throws {
        let interface =
            #"{"NetworkInterfaces": [{"NetworkInterfaceId": "eni-1", "SubnetId": "subnet-1", "VpcId": "vpc-1", "PrivateIpAddress": "10.0.1.5"\#(groups)}]}"#
        let snapshot = try SnapshotLoader().load(try Self.snapshot(["eni.json": interface]))
        #expect(snapshot.networkInterfaces["eni-1"] == nil)
        #expect(
            snapshot.diagnostics.contains {
                $0.severity == .error && $0.message.contains("no Groups list")
                    && $0.location?.jsonPath == "$.NetworkInterfaces[0]"
            })
        #expect(snapshot.incompleteness.contains { $0.vpcID == "vpc-1" })
    }

    @Test func inventoryCountsTheMigrationEstate() throws {
        let inventory = Inventory(try Fixtures.load("fixtures/prod-after"))
        #expect(inventory.counts["Vpcs"] == 2)
        #expect(inventory.counts["VpcPeeringConnections"] == 1)
        // A zone described by list-hosted-zones and by get-hosted-zone is one zone.
        #expect(inventory.counts["HostedZones"] == 2)
        #expect(inventory.placements.contains { $0.account == "111122223333" && $0.region == "eu-west-1" })
        // Only the one warning that the DNS configuration exports are absent (semantics §36).
        #expect(
            inventory.diagnostics.map(\.message).allSatisfy { $0.hasPrefix("DNS answers assume") },
            "\(inventory.diagnostics)")
        #expect(inventory.diagnostics.count == 1)
    }

    /// Malformed ports in a security group rule (missing for TCP, negative, beyond 65535, reversed,
    /// an ICMP type beyond 255) make the group unreadable: an error at the rule's JSON path, the
    /// group skipped, and a query through it `unknown` instead of reachable or unreachable.
    @Test(arguments: [
        #""FromPort": 443"#, #""FromPort": -1, "ToPort": -1"#, #""FromPort": 0, "ToPort": 70000"#,
        #""FromPort": 443, "ToPort": 80"#,
    ])
    func malformedRulePortsMakeTheGroupUnknown(ports: String) throws {
        let groups =
            #"{"SecurityGroups": [{"GroupId": "sg-1", "VpcId": "vpc-1", "IpPermissions": [{"IpProtocol": "tcp", \#(ports), "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}], "IpPermissionsEgress": [{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]}]}"#
        let snapshot = try SnapshotLoader().load(
            try Self.snapshot(DNSAndEdgeTests.base.merging(["sgs.json": groups]) { $1 }))
        #expect(snapshot.securityGroups["sg-1"] == nil)
        #expect(
            snapshot.diagnostics.contains {
                $0.severity == .error && $0.location?.jsonPath == "$.SecurityGroups[0].IpPermissions[0]"
            })
        let answer = try QueryEngine(snapshot: snapshot).answer(Query(from: "eni-1", to: "eni-2", ports: 443...443))
        #expect(answer.verdict == .unknown)
    }

    /// A TCP NACL entry without a `PortRange` (which AWS always exports) is read with an error:
    /// the packets it may match are undecided, never every port; earlier rules still decide, and
    /// other protocols pass it by.
    @Test func naclEntryWithoutPortsLeavesWhatItMayMatchUndecided() throws {
        let files = [
            "subnets.json":
                #"{"Subnets": [{"SubnetId": "subnet-1", "VpcId": "vpc-1", "CidrBlock": "10.0.1.0/24", "AvailabilityZone": "eu-west-1a"}, {"SubnetId": "subnet-2", "VpcId": "vpc-1", "CidrBlock": "10.0.2.0/24", "AvailabilityZone": "eu-west-1a"}]}"#,
            "enis.json":
                #"{"NetworkInterfaces": [{"NetworkInterfaceId": "eni-1", "SubnetId": "subnet-1", "VpcId": "vpc-1", "PrivateIpAddress": "10.0.1.10", "Groups": [{"GroupId": "sg-1"}]}, {"NetworkInterfaceId": "eni-2", "SubnetId": "subnet-2", "VpcId": "vpc-1", "PrivateIpAddress": "10.0.2.20", "Groups": [{"GroupId": "sg-1"}]}]}"#,
            "rtbs.json":
                #"{"RouteTables": [{"RouteTableId": "rtb-1", "VpcId": "vpc-1", "Associations": [{"Main": true, "RouteTableId": "rtb-1"}], "Routes": [{"DestinationCidrBlock": "10.0.0.0/16", "GatewayId": "local", "State": "active", "Origin": "CreateRouteTable"}]}]}"#,
            "acls.json":
                #"{"NetworkAcls": [{"NetworkAclId": "acl-1", "VpcId": "vpc-1", "IsDefault": false, "Associations": [{"SubnetId": "subnet-1", "NetworkAclId": "acl-1"}, {"SubnetId": "subnet-2", "NetworkAclId": "acl-1"}], "Entries": [{"RuleNumber": 80, "Protocol": "6", "RuleAction": "allow", "Egress": false, "CidrBlock": "10.0.0.0/16", "PortRange": {"From": 1024, "To": 65535}}, {"RuleNumber": 90, "Protocol": "6", "RuleAction": "allow", "Egress": false, "CidrBlock": "0.0.0.0/0", "PortRange": {"From": 22, "To": 22}}, {"RuleNumber": 100, "Protocol": "6", "RuleAction": "allow", "Egress": false, "CidrBlock": "0.0.0.0/0"}, {"RuleNumber": 100, "Protocol": "-1", "RuleAction": "allow", "Egress": true, "CidrBlock": "0.0.0.0/0"}]}]}"#,
        ]
        let snapshot = try SnapshotLoader().load(try Self.snapshot(DNSAndEdgeTests.base.merging(files) { $1 }))
        #expect(snapshot.networkACLs["acl-1"]?.entries.filter { !$0.portsExported }.count == 1)
        #expect(snapshot.diagnostics.contains { $0.severity == .error && $0.message.contains("without a PortRange") })
        #expect(!snapshot.incompleteness.contains { $0.vpcID == "vpc-1" })
        let engine = QueryEngine(snapshot: snapshot)
        let undecided = try engine.answer(Query(from: "eni-1", to: "eni-2", ports: 443...443))
        #expect(undecided.verdict == .unknown, "\(undecided.summary)")
        #expect(undecided.pairs.flatMap(\.unknowns).contains { $0.contains("without a PortRange") })
        // Rule 90 decides port 22 before the entry is reached (and rule 80 the replies).
        #expect(try engine.answer(Query(from: "eni-1", to: "eni-2", ports: 22...22)).verdict == .reachable)
        // UDP is not TCP: the entry cannot match it, and the default rule denies it.
        #expect(
            try engine.answer(Query(from: "eni-1", to: "eni-2", ipProtocol: .udp, ports: 53...53)).verdict
                == .unreachable)
    }

    /// A NACL entry with a port range AWS would not export (negative, beyond 65535) is malformed:
    /// its VPC's answers are unknown, not decided by a default NACL.
    @Test(arguments: [#", "PortRange": {"From": -1, "To": 443}"#, #", "PortRange": {"From": 0, "To": 70000}"#])
    func malformedNACLPortsMakeTheVPCUnknown(range: String) throws {
        let acls =
            #"{"NetworkAcls": [{"NetworkAclId": "acl-1", "VpcId": "vpc-1", "IsDefault": false, "Associations": [{"SubnetId": "subnet-1", "NetworkAclId": "acl-1"}], "Entries": [{"RuleNumber": 100, "Protocol": "6", "RuleAction": "allow", "Egress": false, "CidrBlock": "0.0.0.0/0"\#(range)}]}]}"#
        let snapshot = try SnapshotLoader().load(
            try Self.snapshot(DNSAndEdgeTests.base.merging(["acls.json": acls]) { $1 }))
        #expect(snapshot.networkACLs["acl-1"] == nil)
        #expect(snapshot.incompleteness.contains { $0.vpcID == "vpc-1" })
        #expect(
            try QueryEngine(snapshot: snapshot).answer(Query(from: "eni-1", to: "eni-2", ports: 443...443)).verdict
                == .unknown)
    }
}
