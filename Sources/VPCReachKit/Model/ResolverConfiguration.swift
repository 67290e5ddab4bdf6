/// How a VPC's DNS queries are answered beyond its hosted zones: DHCP options, Route 53 Resolver
/// rules, DNS Firewall and Route 53 Profiles (docs/semantics.md §34a-§34c).
public struct ResolverConfiguration: Sendable {
    /// DHCP options sets by `dopt-…` id.
    public var dhcpOptions: [String: DHCPOptions] = [:]
    /// Resolver rules by `rslvr-rr-…` id (and the auto-defined internet rule).
    public var rules: [String: ResolverRule] = [:]
    /// Resolver rules' VPC associations.
    public var ruleAssociations: [ResolverRuleAssociation] = []
    /// DNS Firewall rule groups' VPC associations.
    public var firewallAssociations: [FirewallRuleGroupAssociation] = []
    /// DNS Firewall rules by rule group id; a group without an entry was not exported.
    public var firewallRules: [String: [FirewallRule]] = [:]
    /// DNS Firewall domain lists' domains by `rslvr-fdl-…` id; a list without an entry was not exported.
    public var firewallDomains: [String: [String]] = [:]
    /// Route 53 Profiles' VPC associations.
    public var profileAssociations: [ProfileAssociation] = []
    /// Route 53 Profiles' resources by profile id.
    public var profileResources: [String: [ProfileResource]] = [:]
    /// Which of these exports the snapshot holds at all.
    public var exported: Set<Export> = []
    /// Rule groups whose `list-firewall-rules` output was read (named by the file), even empty.
    public var exportedFirewallRuleGroups: Set<String> = []
    /// Profiles whose `list-profile-resource-associations` output was read, even empty.
    public var exportedProfileResources: Set<String> = []

    /// Whether a rule, association or Profile in `status` is in force: `true` once complete and
    /// while updating or being deleted, `false` while being created or failed, `nil` for a status
    /// AWS does not explain (`OVERRIDDEN`, or one this reader does not know).
    public static func inForce(_ status: String) -> Bool? {
        switch status {
        case "COMPLETE", "UPDATING", "DELETING": true
        case "CREATING", "FAILED", "DELETED": false
        default: nil
        }
    }

    /// An export that shapes DNS answers.
    public enum Export: String, Hashable, Sendable, CaseIterable {
        case dhcpOptions = "ec2 describe-dhcp-options"
        /// The rules' associations (a rule associated with nothing applies nowhere; an associated
        /// rule missing from `list-resolver-rules` makes answers unknown).
        case resolverRules = "route53resolver list-resolver-rule-associations"
        case firewall = "route53resolver list-firewall-rule-group-associations"
        case profiles = "route53profiles list-profile-associations"
    }
}

/// A DHCP options set (`ec2 describe-dhcp-options`).
public struct DHCPOptions: Hashable, Sendable {
    public var id: String
    /// The `domain-name-servers` values (`AmazonProvidedDNS` or addresses), or `nil` when the set has none.
    public var domainNameServers: [String]?
    public var source: SourceLocation
}

/// A Route 53 Resolver rule (`route53resolver list-resolver-rules`).
public struct ResolverRule: Hashable, Sendable {
    /// What the Resolver does with a query the rule matches.
    public enum Kind: String, Hashable, Sendable {
        /// Forwards to the rule's target IPs (`FORWARD`, and `DELEGATE`).
        case forward = "FORWARD"
        /// The Resolver answers itself, overriding a forwarding rule for a parent domain (`SYSTEM`).
        case system = "SYSTEM"
        /// The auto-defined internet resolver (`RECURSIVE`, domain `.`).
        case recursive = "RECURSIVE"
        /// A `RuleType` this reader does not know: its domain's answers are unknown.
        case unmodelled = "UNMODELLED"
    }
    public var id: String
    public var name: String?
    /// The canonical domain name (`.` for the internet resolver).
    public var domainName: String
    public var kind: Kind
    /// `COMPLETE` when in force.
    public var status: String
    /// `TargetIps[].Ip`.
    public var targets: [String]
    public var source: SourceLocation
}

/// A Resolver rule's association with a VPC (`list-resolver-rule-associations`).
public struct ResolverRuleAssociation: Hashable, Sendable {
    public var ruleID: String
    public var vpcID: String
    public var status: String
    public var source: SourceLocation
}

/// A DNS Firewall rule group's association with a VPC (`list-firewall-rule-group-associations`).
public struct FirewallRuleGroupAssociation: Hashable, Sendable {
    public var groupID: String
    public var vpcID: String
    /// Lowest first.
    public var priority: Int
    public var status: String
    public var source: SourceLocation
}

/// A DNS Firewall rule (`list-firewall-rules`).
public struct FirewallRule: Hashable, Sendable {
    public enum Action: String, Hashable, Sendable {
        case allow = "ALLOW"
        case block = "BLOCK"
        case alert = "ALERT"
        /// An action this reader does not know: a name it matches is unknown.
        case unmodelled = "UNMODELLED"
    }
    public enum BlockResponse: String, Hashable, Sendable {
        case nodata = "NODATA"
        case nxdomain = "NXDOMAIN"
        case override = "OVERRIDE"
    }
    public var groupID: String
    public var name: String?
    /// Lowest first within the group.
    public var priority: Int
    /// The domain list it matches, or `nil` for a threat-protection rule (`FirewallThreatProtectionId`).
    public var domainListID: String?
    public var action: Action
    public var blockResponse: BlockResponse?
    /// The CNAME target of an `OVERRIDE` block.
    public var overrideDomain: String?
    /// The query type it applies to (`Qtype`), or `nil` for every type.
    public var queryType: String?
    /// Whether only the first name of a CNAME chain is inspected (`TRUST_REDIRECTION_DOMAIN`).
    public var trustsRedirection: Bool
    public var source: SourceLocation
}

/// A Route 53 Profile's association with a VPC (`route53profiles list-profile-associations`).
public struct ProfileAssociation: Hashable, Sendable {
    public var profileID: String
    public var vpcID: String
    public var status: String
    public var source: SourceLocation
}

/// A resource shared with the VPCs of a Route 53 Profile (`list-profile-resource-associations`).
public struct ProfileResource: Hashable, Sendable {
    public enum Kind: Hashable, Sendable {
        case hostedZone, resolverRule, firewallRuleGroup
        case other(String)
    }
    public var profileID: String
    public var kind: Kind
    /// The resource's id, from its ARN (`Z…`, `rslvr-rr-…`, `rslvr-frg-…`).
    public var resourceID: String
    /// A firewall rule group's priority (`ResourceProperties` `{"priority": N}`).
    public var priority: Int?
    public var status: String
    public var source: SourceLocation
}
