/// Readers for the exports that shape DNS answers beyond hosted zones: `ec2 describe-dhcp-options`,
/// `route53resolver list-resolver-rules`/`list-resolver-rule-associations`, DNS Firewall's
/// `list-firewall-rule-group-associations`/`list-firewall-rules`/`list-firewall-domains`, and
/// `route53profiles list-profile-associations`/`list-profile-resource-associations`.
extension FileReader {
    /// One item of those exports.
    enum ResolverItem: Sendable {
        case dhcpOptions(DHCPOptions)
        case rule(ResolverRule)
        case ruleAssociation(ResolverRuleAssociation)
        case firewallAssociation(FirewallRuleGroupAssociation)
        case firewallRule(FirewallRule)
        case firewallDomains(listID: String, [String])
        case profileAssociation(ProfileAssociation)
        case profileResource(ProfileResource)
        /// The file is one of these exports, even when it lists nothing.
        case exported(ResolverConfiguration.Export)
        /// A `list-firewall-rules` output named after its rule group (`rslvr-frg-….json`).
        case firewallRulesExported(groupID: String)
        /// A `list-profile-resource-associations` output named after its Profile (`rp-….json`).
        case profileResourcesExported(profileID: String)
    }

    mutating func readDHCPOptions(_ node: JSONNode) throws {
        var servers: [String]?
        for configuration in try node.array("DhcpConfigurations")
        where try configuration.string("Key") == "domain-name-servers" {
            servers = try configuration.array("Values").map { try $0.string("Value") }
        }
        steps.append(
            .resolver(
                .dhcpOptions(
                    DHCPOptions(
                        id: try node.string("DhcpOptionsId"), domainNameServers: servers, source: context.location(node)
                    ))))
    }

    mutating func readResolverRule(_ node: JSONNode) throws {
        let type = try node.string("RuleType")
        let kind: ResolverRule.Kind
        switch type {
        case "FORWARD", "DELEGATE": kind = .forward
        case "SYSTEM": kind = .system
        case "RECURSIVE": kind = .recursive
        default:
            warn(
                "Resolver rule with RuleType '\(type)', which vpcreach does not model: answers for its domain are unknown",
                context.location(node))
            kind = .unmodelled
        }
        steps.append(
            .resolver(
                .rule(
                    ResolverRule(
                        id: try node.string("Id"), name: try node.optionalString("Name"),
                        domainName: DNSName.canonical(try node.string("DomainName")),
                        kind: kind, status: try node.optionalString("Status") ?? "COMPLETE",
                        targets: try node.array("TargetIps").map { target in
                            let address = try target.optionalString("Ip") ?? target.optionalString("Ipv6") ?? "?"
                            return try target.optionalInt("Port").map { "\(address):\($0)" } ?? address
                        }, source: context.location(node)))))
    }

    mutating func readResolverRuleAssociation(_ node: JSONNode) throws {
        steps.append(
            .resolver(
                .ruleAssociation(
                    ResolverRuleAssociation(
                        ruleID: try node.string("ResolverRuleId"),
                        vpcID: try node.optionalString("VPCId") ?? node.string("VpcId"),
                        status: try node.optionalString("Status") ?? "COMPLETE", source: context.location(node)))))
    }

    mutating func readFirewallAssociation(_ node: JSONNode) throws {
        steps.append(
            .resolver(
                .firewallAssociation(
                    FirewallRuleGroupAssociation(
                        groupID: try node.string("FirewallRuleGroupId"), vpcID: try node.string("VpcId"),
                        priority: try node.required("Priority").int(),
                        status: try node.optionalString("Status") ?? "COMPLETE", source: context.location(node)))))
    }

    mutating func readFirewallRule(_ node: JSONNode) throws {
        let actionText = try node.string("Action")
        let action = FirewallRule.Action(rawValue: actionText).flatMap { $0 == .unmodelled ? nil : $0 } ?? .unmodelled
        if action == .unmodelled {
            warn(
                "DNS Firewall rule with Action '\(actionText)', which vpcreach does not model: names it matches are unknown",
                context.location(node))
        }
        // A block fails the lookup whatever it answers: an unknown response reads as NODATA.
        let blockResponse = try node.optionalString("BlockResponse").map {
            FirewallRule.BlockResponse(rawValue: $0) ?? .nodata
        }
        steps.append(
            .resolver(
                .firewallRule(
                    FirewallRule(
                        groupID: try node.string("FirewallRuleGroupId"), name: try node.optionalString("Name"),
                        priority: try node.required("Priority").int(),
                        domainListID: try node.optionalString("FirewallDomainListId"), action: action,
                        blockResponse: action == .block ? blockResponse ?? .nodata : nil,
                        overrideDomain: try node.optionalString("BlockOverrideDomain").map(DNSName.canonical),
                        queryType: try node.optionalString("Qtype"),
                        trustsRedirection: try node.optionalString("FirewallDomainRedirectionAction")
                            == "TRUST_REDIRECTION_DOMAIN",
                        source: context.location(node)))))
    }

    /// `list-firewall-domains` holds no list id: the path names it (`…/rslvr-fdl-….json`).
    mutating func readFirewallDomains(_ node: JSONNode) {
        guard let listID = Self.id(in: context.pathComponents, matching: { $0.hasPrefix("rslvr-fdl-") }) else {
            warn(
                "a list-firewall-domains output must be named after its domain list (rslvr-fdl-….json); ignored",
                context.location(node))
            return
        }
        do {
            let domains = try node.array().map { DNSName.canonical(try $0.string()) }
            steps.append(.resolver(.firewallDomains(listID: listID, domains)))
            count("FirewallDomains", context.placement, by: domains.count)
        } catch let error as JSONReadError {
            fail(error, vpcID: nil)
        } catch {}
    }

    mutating func readProfileAssociation(_ node: JSONNode) throws {
        // `ResourceId` is the VPC's id, or its ARN.
        let resource = try node.string("ResourceId")
        steps.append(
            .resolver(
                .profileAssociation(
                    ProfileAssociation(
                        profileID: try node.string("ProfileId"),
                        vpcID: resource.split(separator: "/").last.map(String.init) ?? resource,
                        status: try node.optionalString("Status") ?? "COMPLETE", source: context.location(node)))))
    }

    mutating func readProfileResource(_ node: JSONNode) throws {
        let arn = try node.string("ResourceArn")
        let resource = arn.split(separator: ":").last.map(String.init) ?? arn
        let parts = resource.split(separator: "/").map(String.init)
        let id = parts.last ?? resource
        // Classified by the ARN: `ResourceType` is free text in the API.
        let kind: ProfileResource.Kind
        switch parts.first {
        case "hostedzone": kind = .hostedZone
        case "resolver-rule": kind = .resolverRule
        case "firewall-rule-group": kind = .firewallRuleGroup
        default: kind = .other(try node.optionalString("ResourceType") ?? parts.first ?? "resource")
        }
        var priority: Int?
        if let properties = try node.optionalString("ResourceProperties"),
            let digits = properties.split(whereSeparator: { !$0.isNumber }).first
        {
            priority = Int(digits)
        }
        steps.append(
            .resolver(
                .profileResource(
                    ProfileResource(
                        profileID: try node.string("ProfileId"), kind: kind, resourceID: id, priority: priority,
                        status: try node.optionalString("Status") ?? "COMPLETE", source: context.location(node)))))
    }
}
