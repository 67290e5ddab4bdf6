/// Part of the snapshot that could not be read: answers touching it are `unknown`.
public struct Incompleteness: Hashable, Sendable, Codable {
    /// The VPC affected, or `nil` when the whole snapshot is affected.
    public var vpcID: String?
    /// Why, naming the file and JSON path.
    public var reason: String
}

/// Everything loaded from one snapshot directory, keyed by id for deterministic iteration.
public struct Snapshot: Sendable {
    /// The directory it was read from.
    public var root: String
    /// VPCs by id.
    public var vpcs: [String: VPC] = [:]
    /// Subnets by id.
    public var subnets: [String: Subnet] = [:]
    /// Route tables by id.
    public var routeTables: [String: RouteTable] = [:]
    /// Network ACLs by id.
    public var networkACLs: [String: NetworkACL] = [:]
    /// Security groups by id.
    public var securityGroups: [String: SecurityGroup] = [:]
    /// Network interfaces by id.
    public var networkInterfaces: [String: NetworkInterface] = [:]
    /// Instances by id.
    public var instances: [String: Instance] = [:]
    /// Internet gateways by id.
    public var internetGateways: [String: InternetGateway] = [:]
    /// NAT gateways by id.
    public var natGateways: [String: NATGateway] = [:]
    /// Peering connections by id.
    public var peeringConnections: [String: PeeringConnection] = [:]
    /// Virtual private gateways by id (semantics §42).
    public var vpnGateways: [String: VPNGateway] = [:]
    /// Site-to-Site VPN connections by id (semantics §42).
    public var vpnConnections: [String: VPNConnection] = [:]
    /// Transit gateways by id (semantics §41).
    public var transitGateways: [String: TransitGateway] = [:]
    /// Transit gateway attachments by id.
    public var transitGatewayAttachments: [String: TransitGatewayAttachment] = [:]
    /// Transit gateway route tables by id, with their routes when exported.
    public var transitGatewayRouteTables: [String: TransitGatewayRouteTable] = [:]
    /// Prefix lists by id.
    public var prefixLists: [String: PrefixList] = [:]
    /// Hosted zones by id.
    public var hostedZones: [String: HostedZone] = [:]
    /// Load balancers by ``LoadBalancer/id``.
    public var loadBalancers: [String: LoadBalancer] = [:]
    /// Listeners by the ``LoadBalancer/id`` of their load balancer, in the order read.
    public var listeners: [String: [Listener]] = [:]
    /// ECS services by `cluster/service`.
    public var ecsServices: [String: ECSService] = [:]
    /// ECS tasks by ARN.
    public var ecsTasks: [String: ECSTask] = [:]
    /// DHCP options, Resolver rules, DNS Firewall and Route 53 Profiles.
    public var resolver = ResolverConfiguration()
    /// The VPCs each security group is associated with beyond its own
    /// (`describe-security-group-vpc-associations`, state `associated`), by group id.
    public var securityGroupVPCAssociations: [String: [String]] = [:]
    /// Resource counts per AWS key, as loaded (`Vpcs`, `Subnets`, …).
    public var counts: [String: Int] = [:]
    /// Resource counts per account/region placement and AWS key.
    public var countsByPlacement: [Placement: [String: Int]] = [:]
    /// Everything that was ignored, assumed or could not be read.
    public var diagnostics: [Diagnostic] = []
    /// Parts that could not be read.
    public var incompleteness: [Incompleteness] = []

    /// Creates an empty snapshot for `root`.
    public init(root: String) {
        self.root = root
    }

    /// Why answers touching `vpcID` cannot be trusted, or an empty list.
    public func incompleteness(affecting vpcIDs: [String]) -> [Incompleteness] {
        incompleteness.filter { $0.vpcID == nil || vpcIDs.contains($0.vpcID ?? "") }
    }
}
