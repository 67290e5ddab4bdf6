import PacketSets

/// One thing a file says, decoded but not yet stored: files are decoded independently (and
/// concurrently), then their steps are applied to the snapshot one file after another, in the
/// files' order, so the result is the same as reading them one by one.
///
/// Most steps store a resource by id (a later copy replaces an earlier one). The others merge
/// with what earlier files said, and that merge happens when the step is applied: a VPC keeps
/// DNS attributes read before it and the first copy of its blocks, prefix lists and hosted zones
/// combine their descriptions with their entries and records.
enum IngestStep: Sendable {
    case vpc(VPC)
    /// `describe-vpc-attribute`: `EnableDnsSupport` or `EnableDnsHostnames` of a VPC.
    case vpcAttribute(vpcID: String, key: String, value: Bool, placement: Placement, file: String)
    case subnet(Subnet)
    case routeTable(RouteTable)
    case securityGroup(SecurityGroup)
    case networkACL(NetworkACL)
    case networkInterface(NetworkInterface)
    /// A copy of an interface inside describe-instances output, used when describe-network-interfaces lacks it.
    case instanceInterface(NetworkInterface)
    /// A copy inside describe-instances output that could not be read, by id when it was readable.
    case unreadableInstanceInterface(id: String?, Incompleteness)
    case instance(Instance)
    case internetGateway(InternetGateway)
    case natGateway(NATGateway)
    case peeringConnection(PeeringConnection)
    /// `describe-managed-prefix-lists`: a list's name, and its IPv4 entries when the output has them.
    case prefixList(id: String, name: String?, cidrBlocks: [CIDRBlock]?, isIPv6: Bool, source: SourceLocation)
    /// `get-managed-prefix-list-entries`: entries added to a list.
    case prefixListEntries(id: String, cidrBlocks: [CIDRBlock], file: String)
    /// `list-hosted-zones` (with its source) or `get-hosted-zone` (with VPC associations).
    case hostedZone(HostedZoneDescription)
    /// `list-resource-record-sets`: records added to a zone.
    case recordSets(zoneID: String, [ResourceRecordSet], file: String)
    /// `list-resource-record-sets` in a path without a `Z…` id: records of the zone that the
    /// nearest of `candidates` (path names, nearest the file first) names, if a hosted-zone output
    /// describes one.
    case recordSetsOfListedZone(candidates: [String], [ResourceRecordSet], placement: Placement, file: String)
    case loadBalancer(LoadBalancer)
    /// A listener of the load balancer with that id (from describe-listeners, or a classic load
    /// balancer's `ListenerDescriptions`).
    case listener(loadBalancerID: String, Listener)
    case ecsService(ECSService)
    case ecsTask(ECSTask)
    /// DHCP options, Resolver rules, DNS Firewall, Route 53 Profiles.
    case resolver(FileReader.ResolverItem)
    /// A security group's association with another VPC (`associated` only).
    case securityGroupVPCAssociation(groupID: String, vpcID: String)
    case vpnGateway(VPNGateway)
    case vpnConnection(VPNConnection)
    case transitGateway(TransitGateway)
    /// An attachment from the generic output or the VPC one (`fromVPCOutput`): the two merge by id.
    case transitGatewayAttachment(TransitGatewayAttachment, fromVPCOutput: Bool)
    case transitGatewayRouteTable(TransitGatewayRouteTable)
    /// `search-transit-gateway-routes`: routes added to a table.
    case transitGatewayRoutes(tableID: String, [TransitGatewayRoute], truncated: Bool, file: String)
    case count(String, Placement, by: Int)
    case diagnostic(Diagnostic)
    case incompleteness(Incompleteness)
}

/// What `list-hosted-zones` or `get-hosted-zone` says about a zone.
struct HostedZoneDescription: Sendable {
    var id: String
    var name: String
    var isPrivate: Bool
    /// From get-hosted-zone only.
    var vpcAssociations: [ZoneVPCAssociation]?
    /// From list-hosted-zones only: where the zone is described.
    var source: SourceLocation?
    var placement: Placement
    var file: String
}
