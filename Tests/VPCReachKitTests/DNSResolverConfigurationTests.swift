import Foundation
import PacketSets
import Testing

@testable import VPCReachKit

/// Who answers a name (semantics §31-§35): DHCP options, Resolver rules, DNS Firewall, Route 53
/// Profiles, the auto-defined EC2 domains, and record sets chosen by routing policy, on
/// `DNSAndEdgeTests.base` (vpc-1 in eu-west-1, zone corp.internal) plus outputs in AWS CLI shape.
@Suite struct DNSResolverConfigurationTests {
    static let zone = "Z0ZONE1234567890ABCDE"
    static let dhcp =
        #"{"DhcpOptions": [{"DhcpConfigurations": [{"Key": "domain-name-servers", "Values": [{"Value": "AmazonProvidedDNS"}]}], "DhcpOptionsId": "dopt-1", "OwnerId": "111122223333", "Tags": []}]}"#
    static let vpcWithOptions =
        #"{"Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16", "DhcpOptionsId": "dopt-1", "CidrBlockAssociationSet": [{"CidrBlock": "10.0.0.0/16", "CidrBlockState": {"State": "associated"}}]}]}"#

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
        let snapshot = try SnapshotLoader().load(
            try IngestTests.snapshot(
                DNSAndEdgeTests.base.merging(["vpcs.json": Self.vpcWithOptions, "dhcp.json": Self.dhcp]) { $1 }))
        let resolver = DNSResolver(index: NetworkIndex(snapshot))
        #expect(DNSAndEdgeTests.addresses(resolver.resolve("blue.corp.internal", fromVPC: "vpc-1")) == ["10.0.1.20"])
        #expect(!resolver.assumptions(fromVPC: "vpc-1").contains { $0.contains("DHCP") })
        #expect(resolver.assumptions(fromVPC: "vpc-1").contains { $0.contains("no Resolver rules exported") })
    }

    @Test func noDHCPOptionsGiveNoDNSServer() throws {
        let vpc = Self.vpcWithOptions.replacingOccurrences(of: "dopt-1", with: "default")
        #expect(
            Self.unknown(try Self.resolve("blue.corp.internal", ["vpcs.json": vpc]))?.contains("no DHCP options")
                == true)
    }

    @Test func theResolverTurnedOffFailsEveryLookupWhenTheInstancesAskIt() throws {
        let off = #"{"VpcId": "vpc-1", "EnableDnsSupport": {"Value": false}}"#
        let decided = try Self.resolve(
            "blue.corp.internal", ["vpcs.json": Self.vpcWithOptions, "dhcp.json": Self.dhcp, "dns-support.json": off])
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
            "zones2.json":
                #"{"HostedZones": [{"Id": "/hostedzone/\#(zone)", "Name": "internal.", "Config": {"PrivateZone": true}}]}"#,
            "route53/\(zone)/get-hosted-zone.json":
                #"{"HostedZone": {"Id": "/hostedzone/\#(zone)", "Name": "internal.", "Config": {"PrivateZone": true}}, "VPCs": [{"VPCRegion": "eu-west-1", "VPCId": "vpc-1"}]}"#,
            "route53/\(zone)/list-resource-record-sets.json":
                #"{"ResourceRecordSets": [{"Name": "tools.internal.", "Type": "A", "TTL": 60, "ResourceRecords": [{"Value": "10.0.1.30"}]}]}"#,
        ]
        #expect(
            DNSAndEdgeTests.addresses(try Self.resolve("ip-10-0-1-20.eu-west-1.compute.internal", extra)) == [
                "10.0.1.20"
            ])
        #expect(DNSAndEdgeTests.addresses(try Self.resolve("tools.internal", extra)) == ["10.0.1.30"])
        // A zone as specific as the EC2 domain wins over the auto-defined rule.
        let exact = extra.mapValues {
            $0.replacingOccurrences(of: "\"internal.\"", with: "\"eu-west-1.compute.internal.\"").replacingOccurrences(
                of: "tools.internal.", with: "tools.eu-west-1.compute.internal.")
        }
        #expect(Self.failure(try Self.resolve("ip-10-0-1-20.eu-west-1.compute.internal", exact))?.code == .nxdomain)
    }

    /// Another Region's hostnames resolve over an active peering only when the peer side allows
    /// DNS resolution from this VPC and the peer VPC has both attributes on.
    @Test func aPeerVPCsRegionHostnamesNeedThePeeringsDNSOption() throws {
        func peering(_ option: String) -> String {
            #"{"VpcPeeringConnections": [{"VpcPeeringConnectionId": "pcx-1", "Status": {"Code": "active"}, "RequesterVpcInfo": {"VpcId": "vpc-1", "OwnerId": "111122223333", "Region": "eu-west-1", "CidrBlock": "10.0.0.0/16"}, "AccepterVpcInfo": {"VpcId": "vpc-9", "OwnerId": "111122223333", "Region": "us-east-1", "CidrBlock": "10.9.0.0/16"\#(option)}}]}"#
        }
        let allowed =
            #", "PeeringOptions": {"AllowDnsResolutionFromRemoteVpc": true, "AllowEgressFromLocalClassicLinkToRemoteVpc": false, "AllowEgressFromLocalVpcToRemoteClassicLink": false}"#
        let peerAttributes = [
            "peer/vpcs.json": #"{"Vpcs": [{"VpcId": "vpc-9", "CidrBlock": "10.9.0.0/16"}]}"#,
            "peer/dns-support.json": #"{"VpcId": "vpc-9", "EnableDnsSupport": {"Value": true}}"#,
            "peer/dns-hostnames.json": #"{"VpcId": "vpc-9", "EnableDnsHostnames": {"Value": true}}"#,
        ]
        #expect(Self.failure(try Self.resolve("ip-10-9-1-20.ec2.internal", [:]))?.code == .nxdomain)
        #expect(
            DNSAndEdgeTests.addresses(
                try Self.resolve(
                    "ip-10-9-1-20.ec2.internal", peerAttributes.merging(["pcx.json": peering(allowed)]) { $1 })) == [
                    "10.9.1.20"
                ])
        // The option not exported: undecided; turned off: no such domain.
        #expect(
            Self.unknown(
                try Self.resolve("ip-10-9-1-20.ec2.internal", peerAttributes.merging(["pcx.json": peering("")]) { $1 }))?
                .contains("AllowDnsResolutionFromRemoteVpc") == true)
        let refused = allowed.replacingOccurrences(
            of: "\"AllowDnsResolutionFromRemoteVpc\": true", with: "\"AllowDnsResolutionFromRemoteVpc\": false")
        #expect(
            Self.failure(
                try Self.resolve(
                    "ip-10-9-1-20.ec2.internal", peerAttributes.merging(["pcx.json": peering(refused)]) { $1 }))?.code
                == .nxdomain)
        // Outside the VPC and outside RFC 1918: not documented to resolve.
        #expect(Self.unknown(try Self.resolve("ip-100-64-1-20.eu-west-1.compute.internal", [:])) != nil)
    }

    // MARK: - Resolver rules and Profiles (§34a)

    @Test func aForwardingRuleBeatsThePrivateZoneAndASystemRuleGivesASubdomainBack() throws {
        let rules =
            #"{"ResolverRules": [\#(Self.rule("rslvr-rr-forward1", "corp.internal.", "FORWARD")), \#(Self.rule("rslvr-rr-system01", "blue.corp.internal.", "SYSTEM")), \#(Self.rule("rslvr-rr-unused01", "green.corp.internal.", "FORWARD"))]}"#
        let associations =
            #"{"ResolverRuleAssociations": [\#(Self.association("rslvr-rr-forward1")), \#(Self.association("rslvr-rr-system01")), \#(Self.association("rslvr-rr-unused01", vpc: "vpc-2"))]}"#
        let extra = ["rules.json": rules, "rule-associations.json": associations]
        #expect(Self.unknown(try Self.resolve("anything.corp.internal", extra))?.contains("rslvr-rr-forward1") == true)
        #expect(Self.unknown(try Self.resolve("green.corp.internal", extra))?.contains("rslvr-rr-forward1") == true)
        #expect(DNSAndEdgeTests.addresses(try Self.resolve("blue.corp.internal", extra)) == ["10.0.1.20"])
        // An association to a rule the listing lacks: its domain may be any.
        let missing = #"{"ResolverRuleAssociations": [\#(Self.association("rslvr-rr-missing1"))]}"#
        #expect(
            Self.unknown(try Self.resolve("blue.corp.internal", ["rule-associations.json": missing]))?.contains(
                "not in the snapshot") == true)
    }

    @Test func aProfileSharesZonesRulesAndFirewallGroups() throws {
        let other = "Z0OTHERZONE1234567890"
        let profile =
            #"{"ProfileAssociations": [{"CreationTime": 1709338817.148, "Id": "rpassoc-1", "ModificationTime": 1709338974.772, "Name": "a", "OwnerId": "111122223333", "ProfileId": "rp-1", "ResourceId": "vpc-1", "Status": "COMPLETE", "StatusMessage": "Created Profile Association"}]}"#
        let resources =
            #"{"ProfileResourceAssociations": [{"Id": "rpr-1", "Name": "zone", "OwnerId": "111122223333", "ProfileId": "rp-1", "ResourceArn": "arn:aws:route53:::hostedzone/\#(other)", "ResourceType": "PRIVATE_HOSTED_ZONE", "Status": "COMPLETE"}]}"#
        let extra = [
            "profiles.json": profile, "profile-resources/rp-1.json": resources,
            "zones2.json":
                #"{"HostedZones": [{"Id": "/hostedzone/\#(other)", "Name": "shared.internal.", "Config": {"PrivateZone": true}}]}"#,
            "route53/\(other)/get-hosted-zone.json":
                #"{"HostedZone": {"Id": "/hostedzone/\#(other)", "Name": "shared.internal.", "Config": {"PrivateZone": true}}, "VPCs": [{"VPCRegion": "eu-west-1", "VPCId": "vpc-2"}]}"#,
            "route53/\(other)/list-resource-record-sets.json":
                #"{"ResourceRecordSets": [{"Name": "db.shared.internal.", "Type": "A", "TTL": 60, "ResourceRecords": [{"Value": "10.0.1.30"}]}]}"#,
        ]
        #expect(DNSAndEdgeTests.addresses(try Self.resolve("db.shared.internal", extra)) == ["10.0.1.30"])
        var unshared = extra
        unshared["profiles.json"] = profile.replacingOccurrences(of: "vpc-1", with: "vpc-2")
        #expect(Self.failure(try Self.resolve("db.shared.internal", unshared))?.code == .nxdomain)
    }

    // MARK: - DNS Firewall (§34b)

    static func firewall(rules: String, domains: [String: String]) -> [String: String] {
        var files = [
            "firewall-associations.json":
                #"{"FirewallRuleGroupAssociations": [{"Id": "rslvr-frgassoc-1", "FirewallRuleGroupId": "rslvr-frg-early", "VpcId": "vpc-1", "Name": "early", "Priority": 101, "MutationProtection": "DISABLED", "Status": "COMPLETE"}, {"Id": "rslvr-frgassoc-2", "FirewallRuleGroupId": "rslvr-frg-late", "VpcId": "vpc-1", "Name": "late", "Priority": 200, "MutationProtection": "DISABLED", "Status": "COMPLETE"}]}"#,
            "firewall-rules.json": rules,
        ]
        for (list, names) in domains { files["firewall-domains/\(list).json"] = #"{"Domains": [\#(names)]}"# }
        return files
    }

    static func firewallRule(_ group: String, _ list: String, priority: Int, _ action: String, _ extra: String = "")
        -> String
    {
        #"{"FirewallRuleGroupId": "\#(group)", "FirewallDomainListId": "\#(list)", "Name": "r\#(priority)", "Priority": \#(priority), "Action": "\#(action)"\#(extra)}"#
    }

    @Test func theFirstMatchingFirewallRuleDecides() throws {
        let rules =
            #"{"FirewallRules": [\#(Self.firewallRule("rslvr-frg-late", "rslvr-fdl-all", priority: 1, "BLOCK", #", "BlockResponse": "NXDOMAIN""#)), \#(Self.firewallRule("rslvr-frg-early", "rslvr-fdl-green", priority: 5, "ALLOW")), \#(Self.firewallRule("rslvr-frg-early", "rslvr-fdl-app", priority: 9, "BLOCK", #", "BlockResponse": "OVERRIDE", "BlockOverrideDnsType": "CNAME", "BlockOverrideDomain": "green.corp.internal.", "BlockOverrideTtl": 0"#))]}"#
        let extra = Self.firewall(
            rules: rules,
            domains: [
                "rslvr-fdl-all": #""*.corp.internal.""#, "rslvr-fdl-green": #""green.corp.internal.""#,
                "rslvr-fdl-app": #""app.corp.internal.""#,
            ])
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
            #"{"Name": "us-only.corp.internal.", "Type": "A", "SetIdentifier": "us", "GeoLocation": {"CountryCode": "US"}, "TTL": 60, "ResourceRecords": [{"Value": "10.0.1.30"}]}"#
        )
        let extra = [DNSRecordTests.zoneRecords: records]
        let near = try Self.resolve("near.corp.internal", extra)
        #expect(DNSAndEdgeTests.addresses(near) == ["10.0.1.20"])
        if case .addresses(_, let steps, _) = near { #expect(steps.contains { $0.contains("record set ireland") }) }
        #expect(DNSAndEdgeTests.addresses(try Self.resolve("far.corp.internal", extra)) == ["10.0.1.20", "10.0.1.30"])
        #expect(DNSAndEdgeTests.addresses(try Self.resolve("geo.corp.internal", extra)) == ["10.0.1.20"])
        #expect(Self.failure(try Self.resolve("us-only.corp.internal", extra))?.code == .nxdomain)
    }

    /// A weighted set that leads nowhere makes some lookups fail: the answer carries the failure
    /// with the addresses, and a query counts one more, unreachable, pair.
    @Test func aSetThatFailsMakesSomeLookupsFail() throws {
        let records = DNSRecordTests.records(
            #"{"Name": "green.corp.internal.", "Type": "A", "TTL": 60, "ResourceRecords": [{"Value": "10.0.1.30"}]}"#,
            #"{"Name": "half.corp.internal.", "Type": "CNAME", "SetIdentifier": "live", "Weight": 50, "TTL": 60, "ResourceRecords": [{"Value": "green.corp.internal"}]}"#,
            #"{"Name": "half.corp.internal.", "Type": "CNAME", "SetIdentifier": "gone", "Weight": 50, "TTL": 60, "ResourceRecords": [{"Value": "missing.corp.internal"}]}"#,
            #"{"Name": "guarded.corp.internal.", "Type": "A", "SetIdentifier": "live", "Weight": 50, "AliasTarget": {"HostedZoneId": "\#(Self.zone)", "DNSName": "green.corp.internal.", "EvaluateTargetHealth": true}}"#,
            #"{"Name": "guarded.corp.internal.", "Type": "A", "SetIdentifier": "gone", "Weight": 50, "AliasTarget": {"HostedZoneId": "\#(Self.zone)", "DNSName": "missing.corp.internal.", "EvaluateTargetHealth": true}}"#,
            #"{"Name": "empty.corp.internal.", "Type": "A", "TTL": 60, "ResourceRecords": []}"#)
        let extra = [DNSRecordTests.zoneRecords: records]
        guard case .addresses(let found, _, let failure) = try Self.resolve("half.corp.internal", extra) else {
            Issue.record("expected addresses")
            return
        }
        #expect(found.map(\.description) == ["10.0.1.30"])
        #expect(failure?.code == .nxdomain)
        // Health-checked sets that fail are skipped by Route 53.
        guard case .addresses(_, _, let skipped) = try Self.resolve("guarded.corp.internal", extra) else {
            Issue.record("expected addresses")
            return
        }
        #expect(skipped == nil)
        #expect(Self.failure(try Self.resolve("empty.corp.internal", extra))?.code == .nxdomain)
        // In a query: one pair per address and one unreachable pair for the failing lookups.
        let root = try IngestTests.snapshot(DNSAndEdgeTests.base.merging(extra) { $1 })
        let answer = try QueryEngine(snapshot: try SnapshotLoader().load(root)).answer(
            Query(from: "eni-1", to: "half.corp.internal", ports: 443...443))
        #expect(answer.verdict == .unreachable)
        #expect(answer.pairs.map(\.verdict) == [.reachable, .unreachable])
        #expect(answer.pairs[1].blockers.map(\.code.rawValue) == ["DNS_NXDOMAIN"])
    }

    /// Many weighted CNAMEs at every level: the lookup budget ends the resolution as unknown
    /// instead of exponential work.
    @Test func manyWeightedCNAMEsHitTheLookupBudget() throws {
        var sets: [String] = []
        for level in 0..<12 {
            for copy in 0..<4 {
                sets.append(
                    #"{"Name": "l\#(level).corp.internal.", "Type": "CNAME", "SetIdentifier": "c\#(copy)", "Weight": 1, "TTL": 60, "ResourceRecords": [{"Value": "l\#(level + 1).corp.internal"}]}"#
                )
            }
        }
        sets.append(
            #"{"Name": "l12.corp.internal.", "Type": "A", "TTL": 60, "ResourceRecords": [{"Value": "10.0.1.30"}]}"#)
        let answer = try Self.resolve(
            "l0.corp.internal",
            [DNSRecordTests.zoneRecords: #"{"ResourceRecordSets": [\#(sets.joined(separator: ","))]}"#])
        #expect(Self.unknown(answer)?.contains("lookups") == true, "\(answer)")
    }

    /// Rule and association statuses: updating is in force, creating is not, overridden is unknown.
    @Test func statusesDecideWhetherARuleIsInForce() throws {
        let rules = #"{"ResolverRules": [\#(Self.rule("rslvr-rr-forward1", "corp.internal.", "FORWARD"))]}"#
        func associated(_ status: String) -> [String: String] {
            [
                "rules.json": rules,
                "rule-associations.json":
                    #"{"ResolverRuleAssociations": [\#(Self.association("rslvr-rr-forward1", status: status))]}"#,
            ]
        }
        #expect(
            Self.unknown(try Self.resolve("blue.corp.internal", associated("UPDATING")))?.contains("forwards") == true)
        #expect(
            DNSAndEdgeTests.addresses(try Self.resolve("blue.corp.internal", associated("CREATING"))) == ["10.0.1.20"])
        #expect(
            Self.unknown(try Self.resolve("blue.corp.internal", associated("OVERRIDDEN")))?.contains(
                "not in the snapshot") == true)
    }

    /// Types and actions AWS may add later are warned about and make what they touch unknown,
    /// instead of an unreadable snapshot.
    @Test func unknownRuleTypesAndFirewallActionsAreUnknownNotErrors() throws {
        let rules = #"{"ResolverRules": [\#(Self.rule("rslvr-rr-future01", "corp.internal.", "FUTURE"))]}"#
        let extra = [
            "rules.json": rules,
            "rule-associations.json": #"{"ResolverRuleAssociations": [\#(Self.association("rslvr-rr-future01"))]}"#,
        ]
        #expect(Self.unknown(try Self.resolve("blue.corp.internal", extra))?.contains("does not model") == true)
        let snapshot = try SnapshotLoader().load(try IngestTests.snapshot(DNSAndEdgeTests.base.merging(extra) { $1 }))
        #expect(snapshot.incompleteness.isEmpty)
        #expect(snapshot.diagnostics.contains { $0.message.contains("RuleType 'FUTURE'") })
        let firewall = Self.firewall(
            rules:
                #"{"FirewallRules": [\#(Self.firewallRule("rslvr-frg-early", "rslvr-fdl-all", priority: 1, "QUARANTINE"))]}"#,
            domains: ["rslvr-fdl-all": #""*.corp.internal.""#])
        #expect(Self.unknown(try Self.resolve("blue.corp.internal", firewall))?.contains("does not model") == true)
    }

    /// A Profile whose resources were not exported, and a zone shared twice for one domain.
    @Test func anUnexportedProfileOrATieIsUnknown() throws {
        let profile =
            #"{"ProfileAssociations": [{"Id": "rpassoc-1", "Name": "a", "OwnerId": "111122223333", "ProfileId": "rp-1", "ResourceId": "vpc-1", "Status": "COMPLETE"}]}"#
        #expect(
            Self.unknown(try Self.resolve("blue.corp.internal", ["profiles.json": profile]))?.contains("rp-1") == true)
        let twin = "Z0TWINZONE1234567890A"
        let shared = [
            "profiles.json": profile,
            "profile-resources/rp-1.json":
                #"{"ProfileResourceAssociations": [{"Id": "rpr-1", "Name": "zone", "OwnerId": "111122223333", "ProfileId": "rp-1", "ResourceArn": "arn:aws:route53:::hostedzone/\#(twin)", "ResourceType": "PRIVATE_HOSTED_ZONE", "Status": "COMPLETE"}]}"#,
            "zones2.json":
                #"{"HostedZones": [{"Id": "/hostedzone/\#(twin)", "Name": "corp.internal.", "Config": {"PrivateZone": true}}]}"#,
            "route53/\(twin)/get-hosted-zone.json":
                #"{"HostedZone": {"Id": "/hostedzone/\#(twin)", "Name": "corp.internal.", "Config": {"PrivateZone": true}}, "VPCs": []}"#,
            "route53/\(twin)/list-resource-record-sets.json": #"{"ResourceRecordSets": []}"#,
        ]
        #expect(Self.unknown(try Self.resolve("blue.corp.internal", shared))?.contains("no precedence") == true)
        // An exported, empty resource list: the Profile shares nothing.
        #expect(
            DNSAndEdgeTests.addresses(
                try Self.resolve(
                    "blue.corp.internal",
                    ["profiles.json": profile, "profile-resources/rp-1.json": #"{"ProfileResourceAssociations": []}"#]))
                == ["10.0.1.20"])
    }

    /// `diff` notices a Resolver rule added for a zone's domain.
    @Test func aResolverRuleAddedIsADNSChange() throws {
        let before = try SnapshotLoader().load(try IngestTests.snapshot(DNSAndEdgeTests.base))
        let rules = #"{"ResolverRules": [\#(Self.rule("rslvr-rr-forward1", "corp.internal.", "FORWARD"))]}"#
        let after = try SnapshotLoader().load(
            try IngestTests.snapshot(
                DNSAndEdgeTests.base.merging([
                    "rules.json": rules,
                    "rule-associations.json":
                        #"{"ResolverRuleAssociations": [\#(Self.association("rslvr-rr-forward1"))]}"#,
                ]) { $1 }))
        let changed = try #require(DNSChanges.changes(between: before, after))
        let changes = DNSChanges.between(NetworkIndex(before), NetworkIndex(after), changed: changed, vpcs: nil)
        #expect(
            changes.contains { $0.name == "blue.corp.internal." && $0.vpc == "vpc-1" && $0.after.hasPrefix("unknown") })
        #expect(DNSChanges.changes(between: before, before) == nil)
    }

    @Test func mixedAliasAndPlainSetsAndWeightedCNAMEsAnswerWithEverySet() throws {
        let records = DNSRecordTests.records(
            #"{"Name": "green.corp.internal.", "Type": "A", "TTL": 60, "ResourceRecords": [{"Value": "10.0.1.30"}]}"#,
            #"{"Name": "blue.corp.internal.", "Type": "A", "TTL": 60, "ResourceRecords": [{"Value": "10.0.1.20"}]}"#,
            #"{"Name": "mixed.corp.internal.", "Type": "A", "SetIdentifier": "alias", "Weight": 50, "AliasTarget": {"HostedZoneId": "\#(Self.zone)", "DNSName": "green.corp.internal.", "EvaluateTargetHealth": false}}"#,
            #"{"Name": "mixed.corp.internal.", "Type": "A", "SetIdentifier": "plain", "Weight": 50, "TTL": 60, "ResourceRecords": [{"Value": "10.0.1.10"}]}"#,
            #"{"Name": "cut.corp.internal.", "Type": "CNAME", "SetIdentifier": "a", "Weight": 1, "TTL": 60, "ResourceRecords": [{"Value": "blue.corp.internal"}]}"#,
            #"{"Name": "cut.corp.internal.", "Type": "CNAME", "SetIdentifier": "b", "Weight": 1, "TTL": 60, "ResourceRecords": [{"Value": "green.corp.internal"}]}"#
        )
        let extra = [DNSRecordTests.zoneRecords: records]
        #expect(
            DNSAndEdgeTests.addresses(try Self.resolve("mixed.corp.internal", extra)) == ["10.0.1.10", "10.0.1.30"])
        #expect(DNSAndEdgeTests.addresses(try Self.resolve("cut.corp.internal", extra)) == ["10.0.1.20", "10.0.1.30"])
    }
}
