/// An auditor's report: who can reach what, what is exposed, what looks wrong, with evidence.
public struct AuditReport: Sendable, Codable, Equatable {
    /// The JSON schema version.
    public var schemaVersion = 1
    /// The snapshot described.
    public var snapshot: String
    /// When the report was made, as given (injectable for byte-identical output).
    public var generatedAt: String
    /// What the snapshot holds.
    public var inventory: InventorySection
    /// Who reaches each sensitive port.
    public var sensitivePorts: [SensitivePort]
    /// Interfaces reachable from the internet.
    public var internetExposure: [Exposure]
    /// Each peering connection and its routes.
    public var peerings: [PeeringReview]
    /// Transit gateways with their route tables (absent when the snapshot describes none).
    public var transitGateways: [TransitGatewayReview]? = nil
    /// Private zones, their associations, and names that do not resolve where they are used.
    public var dns: DNSReview
    /// Everything that looks wrong, most severe first.
    public var findings: [Finding]
    /// Policy results, with `--policy`.
    public var policy: CheckReport?
    /// The reachability diff, with `--baseline`.
    public var diff: ReachabilityDiff?
}

/// The inventory part of a report.
public struct InventorySection: Sendable, Codable, Equatable {
    /// A VPC with its subnets.
    public struct VPCRow: Sendable, Codable, Equatable {
        public var id: String
        public var name: String?
        public var account: String?
        public var region: String?
        public var cidrBlocks: [String]
        /// `true` or `false`; absent when not exported.
        public var dnsSupport: Bool?
        public var dnsHostnames: Bool?
        public var subnets: [SubnetRow]
    }

    /// A subnet with the route table and network ACL it uses.
    public struct SubnetRow: Sendable, Codable, Equatable {
        public var id: String
        public var name: String?
        public var cidrBlock: String
        public var availabilityZone: String?
        public var routeTable: String?
        /// `explicit` or `main`.
        public var routeTableAssociation: String
        public var networkACL: String?
        public var interfaces: Int
    }

    /// A network interface.
    public struct InterfaceRow: Sendable, Codable, Equatable {
        public var id: String
        public var name: String?
        public var kind: String
        public var owner: String?
        public var vpc: String
        public var subnet: String
        public var privateAddresses: [String]
        public var publicAddresses: [String]
        public var securityGroups: [String]
    }

    /// An ECS service.
    public struct ServiceRow: Sendable, Codable, Equatable {
        public var cluster: String
        public var name: String
        public var subnets: [String]
        public var securityGroups: [String]
        public var runningTasks: Int
    }

    public var accounts: [String]
    public var regions: [String]
    public var counts: [String: Int]
    public var vpcs: [VPCRow]
    /// Interface counts per kind (`ec2-instance`, `ecs-task`, `rds`, …).
    public var interfaceKinds: [String: Int]
    public var interfaces: [InterfaceRow]
    public var ecsServices: [ServiceRow]
    /// Snapshot warnings and errors.
    public var diagnostics: [Diagnostic]
}

/// One sensitive port: every destination reachable on it, with the sources grouped.
public struct SensitivePort: Sendable, Codable, Equatable {
    /// The port.
    public var port: Int
    /// `PostgreSQL`, `Redis`, … or `port N`.
    public var service: String
    /// Destinations at least one source reaches.
    public var destinations: [Destination]

    /// A destination and its sources.
    public struct Destination: Sendable, Codable, Equatable {
        public var id: String
        public var label: String
        public var role: String
        /// Sources grouped by role and subnet.
        public var sources: [SourceGroup]
        /// The inbound rules of the destination's groups that match the traffic of reaching sources.
        public var rules: [String]
        /// Interfaces the snapshot cannot decide about (they may reach it).
        public var undecided: [String]
    }

    /// Sources that share a role and subnet.
    public struct SourceGroup: Sendable, Codable, Equatable {
        /// `role in subnet`, or `internet` for outside addresses.
        public var group: String
        /// The interface ids (or address ranges).
        public var members: [String]
    }
}

/// An interface reachable from outside the snapshot's VPCs.
public struct Exposure: Sendable, Codable, Equatable {
    public var id: String
    public var label: String
    public var publicAddresses: [String]
    /// Traffic that some internet address can send and get answers to.
    public var traffic: TrafficMap
    public var trafficText: String
    /// The internet addresses that can, as CIDR blocks or ranges.
    public var from: [String]
    /// The inbound rules that admit it.
    public var rules: [String]
}

/// A transit gateway under review (semantics §41): what each of its route tables sends where.
public struct TransitGatewayReview: Sendable, Codable, Equatable {
    /// One route table: the attachments associated with it, and its routes.
    public struct Table: Sendable, Codable, Equatable {
        public var id: String
        public var name: String?
        /// `attachment (resource)` of each attachment associated with it.
        public var associations: [String]
        /// `destination -> attachment (resource)` per route, `blackhole` for a blackhole route.
        public var routes: [String]
        /// Whether the export holds every route (no routes exported, or cut at 1,000: false).
        public var complete: Bool
    }

    public var id: String
    public var name: String?
    public var state: String
    public var securityGroupReferencing: Bool
    /// `attachment: kind resource (state)` of each attachment.
    public var attachments: [String]
    public var routeTables: [Table]
}

/// A peering connection under review.
public struct PeeringReview: Sendable, Codable, Equatable {
    public var id: String
    public var name: String?
    public var status: PeeringStatus
    public var requesterVPC: String
    public var accepterVPC: String
    public var requesterCIDRs: [String]
    public var accepterCIDRs: [String]
    /// `AllowDnsResolutionFromRemoteVpc` per side, when exported.
    public var requesterRemoteDNS: Bool?
    public var accepterRemoteDNS: Bool?
    /// Every route to it, as `rtb (name) in vpc: destination (state)`.
    public var routes: [String]
    /// Whether every route is narrower than the peer VPC's blocks.
    public var narrow: Bool
}

/// The DNS part of a report.
public struct DNSReview: Sendable, Codable, Equatable {
    /// A hosted zone.
    public struct Zone: Sendable, Codable, Equatable {
        public var id: String
        public var name: String
        public var isPrivate: Bool
        /// Associated VPCs, or `null` when not exported.
        public var vpcs: [String]?
        public var records: Int?
    }

    public var zones: [Zone]
    /// `name from vpc: reason` for names a VPC uses (routes to its addresses) but cannot resolve.
    public var unresolved: [String]
    /// VPCs associated with private zones whose DNS attributes are off or not exported.
    public var vpcsMissingAttributes: [String]
}

/// Something that looks wrong.
public struct Finding: Sendable, Codable, Equatable, Comparable {
    /// How bad: `high`, `medium`, `low`, `info`.
    public enum Severity: String, Sendable, Codable, Comparable, CaseIterable {
        case high, medium, low, info

        var rank: Int { Severity.allCases.firstIndex(of: self) ?? 0 }
        public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
    }

    /// A stable rule id, e.g. `SG_OPEN_TO_WORLD`.
    public var rule: String
    public var severity: Severity
    /// One sentence.
    public var title: String
    /// Resource ids, rule numbers, routes: the evidence.
    public var evidence: [String]
    /// Where in the snapshot.
    public var sources: [SourceLocation]
    /// What to do about it.
    public var remediation: String

    public static func < (lhs: Finding, rhs: Finding) -> Bool {
        (lhs.severity, lhs.rule, lhs.title) < (rhs.severity, rhs.rule, rhs.title)
    }
}
