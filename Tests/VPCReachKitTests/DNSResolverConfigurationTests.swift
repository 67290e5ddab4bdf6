import Foundation
import PacketSets
import Testing
@testable import VPCReachKit

/// Who answers a name (semantics §31-§35): DHCP options, Resolver rules, DNS Firewall, Route 53
/// Profiles, the auto-defined EC2 domains, and record sets chosen by routing policy, on
/// `DNSAndEdgeTests.base` (vpc-1 in eu-west-1, zone corp.internal) plus outputs in AWS CLI shape.
@Suite struct DNSResolverConfigurationTests {
    static let zone = "Z0ZONE1234567890ABCDE"
    static let dhcp = #"{"DhcpOptions": [{"DhcpConfigurations": [{"Key": "domain-name-servers", "Values": [{"Value": "AmazonProvidedDNS"}]}], "DhcpOptionsId": "dopt-1", "OwnerId": "111122223333", "Tags": []}]}"#
    static let vpcWithOptions = #"{"Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16", "DhcpOptionsId": "dopt-1", "CidrBlockAssociationSet": [{"CidrBlock": "10.0.0.0/16", "CidrBlockState": {"State": "associated"}}]}]}"#

    static func resolve(_ name: String, _ extra: [String: String], fromVPC vpc: String = "vpc-1") throws -> DNSAnswer {
        let root = try IngestTests.snapshot(DNSAndEdgeTests.base.merging(extra) { $1 })
        let index = NetworkIndex(try SnapshotLoader().load(root))
        return DNSResolver(index: index).resolve(name, fromVPC: vpc)
    }

    static func failure(_ answer: DNSAnswer) -> DNSFailure? {
        if case .failure(let failure) = answer { return failure }
        return nil
    }

    static func unknown(_ answer: DNSAnswer) -> String? {
        if case .unknown(let reason) = answer { return reason }
        return nil
    }

    static func rule(_ id: String, _ domain: String, _ type: String) -> String {
        #"{"Id": "\#(id)", "CreatorRequestId": "", "Arn": "arn:aws:route53resolver:eu-west-1:111122223333:resolver-rule/\#(id)", "DomainName": "\#(domain)", "Status": "COMPLETE", "RuleType": "\#(type)", "Name": "\#(id)", "TargetIps": \#(type == "FORWARD" ? #"[{"Ip": "192.0.2.45", "Port": 53}]"# : "[]"), "OwnerId": "111122223333", "ShareStatus": "NOT_SHARED"}"#
    }

    static func association(_ rule: String, vpc: String = "vpc-1", status: String = "COMPLETE") -> String {
        #"{"Id": "rslvr-rrassoc-\#(rule.suffix(4))", "ResolverRuleId": "\#(rule)", "Name": "assoc", "VPCId": "\#(vpc)", "Status": "\#(status)", "StatusMessage": ""}"#
    }

    // MARK: - DHCP options and the Resolver's attributes (§32)

    @Test func customDHCPServersLeaveTheAnswerToThem() throws {
        let custom = Self.dhcp.replacingOccurrences(of: "AmazonProvidedDNS", with: "10.9.9.9")
        let answer = try Self.resolve("blue.corp.internal", ["vpcs.json": Self.vpcWithOptions, "dhcp.json": custom])
        #expect(Self.unknown(answer)?.contains("10.9.9.9") == true, "\(answer)")
        // AmazonProvidedDNS: the zone answers, and no DHCP assumption is made.
        let snapshot = try SnapshotLoader().load(try IngestTests.snapshot(DNSAndEdgeTests.base.merging(["vpcs.json": Self.vpcWithOptions, "dhcp.json": Self.dhcp]) { $1 }))
        let resolver = DNSResolver(index: NetworkIndex(snapshot))
        #expect(DNSAndEdgeTests.addresses(resolver.resolve("blue.corp.internal", fromVPC: "vpc-1")) == ["10.0.1.20"])
        #expect(!resolver.assumptions(fromVPC: "vpc-1").contains { $0.contains("DHCP") })
        #expect(resolver.assumptions(fromVPC: "vpc-1").contains { $0.contains("no Resolver rules exported") })
    }

    @Test func noDHCPOptionsGiveNoDNSServer() throws {
        let vpc = Self.vpcWithOptions.replacingOccurrences(of: "dopt-1", with: "default")
        #expect(Self.unknown(try Self.resolve("blue.corp.internal", ["vpcs.json": vpc]))?.contains("no DHCP options") == true)
    }

    @Test func theResolverTurnedOffFailsEveryLookupWhenTheInstancesAskIt() throws {
        let off = #"{"VpcId": "vpc-1", "EnableDnsSupport": {"Value": false}}"#
        let decided = try Self.resolve("blue.corp.internal", ["vpcs.json": Self.vpcWithOptions, "dhcp.json": Self.dhcp, "dns-support.json": off])
        #expect(Self.failure(decided)?.code == .resolverDisabled)
        #expect(Self.failure(decided)?.component == "vpc-1")
        // Without the DHCP options another server may answer.
        #expect(Self.unknown(try Self.resolve("blue.corp.internal", ["dns-support.json": off])) != nil)
    }

    // MARK: - EC2 domains and the most specific domain (§34)

    @Test func ec2HostnamesNeedBothAttributes() throws {
        let off = #"{"VpcId": "vpc-1", "EnableDnsHostnames": {"Value": false}}"#
        let answer = try Self.resolve("ip-10-0-1-20.eu-west-1.compute.internal", ["dns-hostnames.json": off])
        #expect(Self.failure(answer)?.code == .nxdomain, "\(answer)")
        #expect(Self.failure(answer)?.reason.contains("enableDnsHostnames is off") == true)
    }

    @Test func aPrivateZoneForALessSpecificDomainDoesNotShadowTheEC2Domain() throws {
        let zone = "Z0INTERNAL1234567890A"
        let extra = [
            "zones2.json": #"{"HostedZones": [{"Id": "/hostedzone/\#(zone)", "Name": "internal.", "Config": {"PrivateZone": true}}]}"#,
            "route53/\(zone)/get-hosted-zone.json": #"{"HostedZone": {"Id": "/hostedzone/\#(zone)", "Name": "internal.", "Config": {"PrivateZone": true}}, "VPCs": [{"VPCRegion": "eu-west-1", "VPCId": "vpc-1"}]}"#,
            "route53/\(zone)/list-resource-record-sets.json": #"{"ResourceRecordSets": [{"Name": "tools.internal.", "Type": "A", "TTL": 60, "ResourceRecords": [{"Value": "10.0.1.30"}]}]}"#,
        ]
        #expect(DNSAndEdgeTests.addresses(try Self.resolve("ip-10-0-1-20.eu-west-1.compute.internal", extra)) == ["10.0.1.20"])
        #expect(DNSAndEdgeTests.addresses(try Self.resolve("tools.internal", extra)) == ["10.0.1.30"])
        // A zone as specific as the EC2 domain wins over the auto-defined rule.
        let exact = extra.mapValues { $0.replacingOccurrences(of: "\"internal.\"", with: "\"eu-west-1.compute.internal.\"").replacingOccurrences(of: "tools.internal.", with: "tools.eu-west-1.compute.internal.") }
        #expect(Self.failure(try Self.resolve("ip-10-0-1-20.eu-west-1.compute.internal", exact))?.code == .nxdomain)
    }

    @Test func aPeerVPCsRegionHostnamesResolveOverAnActivePeering() throws {
        let peering = #"{"VpcPeeringConnections": [{"VpcPeeringConnectionId": "pcx-1", "Status": {"Code": "active"}, "RequesterVpcInfo": {"VpcId": "vpc-1", "OwnerId": "111122223333", "Region": "eu-west-1", "CidrBlock": "10.0.0.0/16"}, "AccepterVpcInfo": {"VpcId": "vpc-9", "OwnerId": "111122223333", "Region": "us-east-1", "CidrBlock": "10.9.0.0/16"}}]}"#
        #expect(Self.failure(try Self.resolve("ip-10-9-1-20.ec2.internal", [:]))?.code == .nxdomain)
        #expect(DNSAndEdgeTests.addresses(try Self.resolve("ip-10-9-1-20.ec2.internal", ["pcx.json": peering])) == ["10.9.1.20"])
        // Outside the VPC and outside RFC 1918: not documented to resolve.
        #expect(Self.unknown(try Self.resolve("ip-100-64-1-20.eu-west-1.compute.internal", [:])) != nil)
    }

    /// A resource-name hostname starts like an instance id but is a DNS name: unknown, not a
    /// selector error.
    @Test func aResourceNameHostnameIsADNSNameNotAnInstanceID() throws {
        let engine = QueryEngine(snapshot: try SnapshotLoader().load(try IngestTests.snapshot(DNSAndEdgeTests.base)))
        let answer = try engine.answer(Query(from: "eni-1", to: "i-0123456789abcdef0.eu-west-1.compute.internal", ports: 443...443))
        #expect(answer.verdict == .unknown)
        #expect(answer.pairs[0].summary.contains("resource-name hostname"))
    }

    // MARK: - Resolver rules and Profiles (§34a)

    @Test func aForwardingRuleBeatsThePrivateZoneAndASystemRuleGivesASubdomainBack() throws {
        let rules = #"{"ResolverRules": [\#(Self.rule("rslvr-rr-forward1", "corp.internal.", "FORWARD")), \#(Self.rule("rslvr-rr-system01", "blue.corp.internal.", "SYSTEM")), \#(Self.rule("rslvr-rr-unused01", "green.corp.internal.", "FORWARD"))]}"#
        let associations = #"{"ResolverRuleAssociations": [\#(Self.association("rslvr-rr-forward1")), \#(Self.association("rslvr-rr-system01")), \#(Self.association("rslvr-rr-unused01", vpc: "vpc-2"))]}"#
        let extra = ["rules.json": rules, "rule-associations.json": associations]
        #expect(Self.unknown(try Self.resolve("anything.corp.internal", extra))?.contains("rslvr-rr-forward1") == true)
        #expect(Self.unknown(try Self.resolve("green.corp.internal", extra))?.contains("rslvr-rr-forward1") == true)
        #expect(DNSAndEdgeTests.addresses(try Self.resolve("blue.corp.internal", extra)) == ["10.0.1.20"])
        // An association to a rule the listing lacks: its domain may be any.
        let missing = #"{"ResolverRuleAssociations": [\#(Self.association("rslvr-rr-missing1"))]}"#
        #expect(Self.unknown(try Self.resolve("blue.corp.internal", ["rule-associations.json": missing]))?.contains("not in the snapshot") == true)
    }

    @Test func aProfileSharesZonesRulesAndFirewallGroups() throws {
        let other = "Z0OTHERZONE1234567890"
        let profile = #"{"ProfileAssociations": [{"CreationTime": 1709338817.148, "Id": "rpassoc-1", "ModificationTime": 1709338974.772, "Name": "a", "OwnerId": "111122223333", "ProfileId": "rp-1", "ResourceId": "vpc-1", "Status": "COMPLETE", "StatusMessage": "Created Profile Association"}]}"#
        let resources = #"{"ProfileResourceAssociations": [{"Id": "rpr-1", "Name": "zone", "OwnerId": "111122223333", "ProfileId": "rp-1", "ResourceArn": "arn:aws:route53:::hostedzone/\#(other)", "ResourceType": "PRIVATE_HOSTED_ZONE", "Status": "COMPLETE"}]}"#
        let extra = [
            "profiles.json": profile, "profile-resources/rp-1.json": resources,
            "zones2.json": #"{"HostedZones": [{"Id": "/hostedzone/\#(other)", "Name": "shared.internal.", "Config": {"PrivateZone": true}}]}"#,
            "route53/\(other)/get-hosted-zone.json": #"{"HostedZone": {"Id": "/hostedzone/\#(other)", "Name": "shared.internal.", "Config": {"PrivateZone": true}}, "VPCs": [{"VPCRegion": "eu-west-1", "VPCId": "vpc-2"}]}"#,
            "route53/\(other)/list-resource-record-sets.json": #"{"ResourceRecordSets": [{"Name": "db.shared.internal.", "Type": "A", "TTL": 60, "ResourceRecords": [{"Value": "10.0.1.30"}]}]}"#,
        ]
        #expect(DNSAndEdgeTests.addresses(try Self.resolve("db.shared.internal", extra)) == ["10.0.1.30"])
        var unshared = extra
        unshared["profiles.json"] = profile.replacingOccurrences(of: "vpc-1", with: "vpc-2")
        #expect(Self.failure(try Self.resolve("db.shared.internal", unshared))?.code == .nxdomain)
    }

    // MARK: - DNS Firewall (§34b)

    static func firewall(rules: String, domains: [String: String]) -> [String: String] {
        var files = [
            "firewall-associations.json": #"{"FirewallRuleGroupAssociations": [{"Id": "rslvr-frgassoc-1", "FirewallRuleGroupId": "rslvr-frg-early", "VpcId": "vpc-1", "Name": "early", "Priority": 101, "MutationProtection": "DISABLED", "Status": "COMPLETE"}, {"Id": "rslvr-frgassoc-2", "FirewallRuleGroupId": "rslvr-frg-late", "VpcId": "vpc-1", "Name": "late", "Priority": 200, "MutationProtection": "DISABLED", "Status": "COMPLETE"}]}"#,
            "firewall-rules.json": rules,
        ]
        for (list, names) in domains { files["firewall-domains/\(list).json"] = #"{"Domains": [\#(names)]}"# }
        return files
    }

    static func firewallRule(_ group: String, _ list: String, priority: Int, _ action: String, _ extra: String = "") -> String {
        #"{"FirewallRuleGroupId": "\#(group)", "FirewallDomainListId": "\#(list)", "Name": "r\#(priority)", "Priority": \#(priority), "Action": "\#(action)"\#(extra)}"#
    }

    @Test func theFirstMatchingFirewallRuleDecides() throws {
        let rules = #"{"FirewallRules": [\#(Self.firewallRule("rslvr-frg-late", "rslvr-fdl-all", priority: 1, "BLOCK", #", "BlockResponse": "NXDOMAIN""#)), \#(Self.firewallRule("rslvr-frg-early", "rslvr-fdl-green", priority: 5, "ALLOW")), \#(Self.firewallRule("rslvr-frg-early", "rslvr-fdl-app", priority: 9, "BLOCK", #", "BlockResponse": "OVERRIDE", "BlockOverrideDnsType": "CNAME", "BlockOverrideDomain": "green.corp.internal.", "BlockOverrideTtl": 0"#))]}"#
        let extra = Self.firewall(rules: rules, domains: ["rslvr-fdl-all": #""*.corp.internal.""#, "rslvr-fdl-green": #""green.corp.internal.""#, "rslvr-fdl-app": #""app.corp.internal.""#])
        let blocked = try Self.resolve("blue.corp.internal", extra)
        #expect(Self.failure(blocked)?.code == .firewallBlock)
        #expect(Self.failure(blocked)?.component == "rslvr-frg-late")
        #expect(DNSAndEdgeTests.addresses(try Self.resolve("green.corp.internal", extra)) == ["10.0.1.30"])
        // OVERRIDE answers a CNAME to green, which the earlier group's ALLOW lets through.
        #expect(DNSAndEdgeTests.addresses(try Self.resolve("app.corp.internal", extra)) == ["10.0.1.30"])
        // An unexported list reached before a decision: unknown.
        var partial = extra
        partial["firewall-domains/rslvr-fdl-green.json"] = nil
        #expect(Self.unknown(try Self.resolve("blue.corp.internal", partial))?.contains("rslvr-fdl-green") == true)
    }

    // MARK: - Record sets by routing policy (§35)

    @Test func latencyAndGeolocationRecordsAnswerByTheVPCsRegion() throws {
        let records = DNSRecordTests.records(
            #"{"Name": "near.corp.internal.", "Type": "A", "SetIdentifier": "ireland", "Region": "eu-west-1", "TTL": 60, "ResourceRecords": [{"Value": "10.0.1.20"}]}"#,
            #"{"Name": "near.corp.internal.", "Type": "A", "SetIdentifier": "virginia", "Region": "us-east-1", "TTL": 60, "ResourceRecords": [{"Value": "10.0.1.30"}]}"#,
            #"{"Name": "far.corp.internal.", "Type": "A", "SetIdentifier": "tokyo", "Region": "ap-northeast-1", "TTL": 60, "ResourceRecords": [{"Value": "10.0.1.20"}]}"#,
            #"{"Name": "far.corp.internal.", "Type": "A", "SetIdentifier": "virginia", "Region": "us-east-1", "TTL": 60, "ResourceRecords": [{"Value": "10.0.1.30"}]}"#,
            #"{"Name": "geo.corp.internal.", "Type": "A", "SetIdentifier": "europe", "GeoLocation": {"ContinentCode": "EU"}, "TTL": 60, "ResourceRecords": [{"Value": "10.0.1.20"}]}"#,
            #"{"Name": "geo.corp.internal.", "Type": "A", "SetIdentifier": "us", "GeoLocation": {"CountryCode": "US"}, "TTL": 60, "ResourceRecords": [{"Value": "10.0.1.30"}]}"#,
            #"{"Name": "geo.corp.internal.", "Type": "A", "SetIdentifier": "default", "GeoLocation": {"CountryCode": "*"}, "TTL": 60, "ResourceRecords": [{"Value": "10.0.1.10"}]}"#,
            #"{"Name": "us-only.corp.internal.", "Type": "A", "SetIdentifier": "us", "GeoLocation": {"CountryCode": "US"}, "TTL": 60, "ResourceRecords": [{"Value": "10.0.1.30"}]}"#)
        let extra = [DNSRecordTests.zoneRecords: records]
        let near = try Self.resolve("near.corp.internal", extra)
        #expect(DNSAndEdgeTests.addresses(near) == ["10.0.1.20"])
        if case .addresses(_, let steps) = near { #expect(steps.contains { $0.contains("record set ireland") }) }
        #expect(DNSAndEdgeTests.addresses(try Self.resolve("far.corp.internal", extra)) == ["10.0.1.20", "10.0.1.30"])
        #expect(DNSAndEdgeTests.addresses(try Self.resolve("geo.corp.internal", extra)) == ["10.0.1.20"])
        #expect(Self.failure(try Self.resolve("us-only.corp.internal", extra))?.code == .nxdomain)
    }

    @Test func mixedAliasAndPlainSetsAndWeightedCNAMEsAnswerWithEverySet() throws {
        let records = DNSRecordTests.records(
            #"{"Name": "green.corp.internal.", "Type": "A", "TTL": 60, "ResourceRecords": [{"Value": "10.0.1.30"}]}"#,
            #"{"Name": "blue.corp.internal.", "Type": "A", "TTL": 60, "ResourceRecords": [{"Value": "10.0.1.20"}]}"#,
            #"{"Name": "mixed.corp.internal.", "Type": "A", "SetIdentifier": "alias", "Weight": 50, "AliasTarget": {"HostedZoneId": "\#(Self.zone)", "DNSName": "green.corp.internal.", "EvaluateTargetHealth": false}}"#,
            #"{"Name": "mixed.corp.internal.", "Type": "A", "SetIdentifier": "plain", "Weight": 50, "TTL": 60, "ResourceRecords": [{"Value": "10.0.1.10"}]}"#,
            #"{"Name": "cut.corp.internal.", "Type": "CNAME", "SetIdentifier": "a", "Weight": 1, "TTL": 60, "ResourceRecords": [{"Value": "blue.corp.internal"}]}"#,
            #"{"Name": "cut.corp.internal.", "Type": "CNAME", "SetIdentifier": "b", "Weight": 1, "TTL": 60, "ResourceRecords": [{"Value": "green.corp.internal"}]}"#)
        let extra = [DNSRecordTests.zoneRecords: records]
        #expect(DNSAndEdgeTests.addresses(try Self.resolve("mixed.corp.internal", extra)) == ["10.0.1.10", "10.0.1.30"])
        #expect(DNSAndEdgeTests.addresses(try Self.resolve("cut.corp.internal", extra)) == ["10.0.1.20", "10.0.1.30"])
    }
}
