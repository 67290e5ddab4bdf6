import PacketSets

/// What the evaluation of a pair of interfaces reads about each VPC, to tell which VPCs two
/// snapshots describe alike: a pair between two such VPCs has the same answer in both.
///
/// The list follows every lookup the path stages make (``PathAnalyzer``): the VPC's subnets,
/// route tables and network ACLs (with any associated with its subnets from elsewhere), its
/// security groups and those its interfaces carry, its interfaces, NAT and internet gateways
/// (attached or routed to), peering connections (involving it or routed to) with the blocks of
/// the VPCs at both ends, and what the snapshot says it lacks about it. Prefix lists, gaps not tied
/// to a VPC, which VPCs route to a transit gateway, transit gateways with their attachments and
/// route tables, VPN gateways and connections, and load balancers with their listeners concern every VPC. Where a component was
/// read (its file and JSON path) does not count: it names the snapshot's directory, and no answer
/// depends on it.
struct VPCContext: Equatable, Sendable {
    var vpc: VPC?
    var subnets: [Subnet] = []
    var routeTables: [RouteTable] = []
    var networkACLs: [NetworkACL] = []
    var securityGroups: [String: SecurityGroup?] = [:]
    var interfaces: [NetworkInterface] = []
    var natGateways: [String: NATGateway?] = [:]
    var internetGateways: [String: InternetGateway?] = [:]
    var peeringConnections: [String: PeeringConnection?] = [:]
    var peerBlocks: [String: [CIDRBlock]?] = [:]
    var incompleteness: [Incompleteness] = []
    /// Its interfaces in the scope of the comparison.
    var scoped: Set<String> = []

    /// The contexts of every VPC `snapshot` mentions, and what concerns them all.
    static func all(of snapshot: Snapshot, index: NetworkIndex, scoped: Set<String>) -> (
        vpcs: [String: VPCContext], shared: Shared
    ) {
        var contexts: [String: VPCContext] = [:]
        for (id, vpc) in snapshot.vpcs { contexts[id, default: VPCContext()].vpc = vpc.sourceless }
        var vpcOfSubnet: [String: String] = [:]
        for subnet in snapshot.subnets.values {
            contexts[subnet.vpcID, default: VPCContext()].subnets.append(subnet.sourceless)
            vpcOfSubnet[subnet.id] = subnet.vpcID
        }
        /// The VPCs a component associated with `subnets` (and belonging to `own`) concerns.
        func concerned(_ own: String, _ subnets: [String]) -> Set<String> {
            Set([own] + subnets.compactMap { vpcOfSubnet[$0] })
        }
        for table in snapshot.routeTables.values {
            for vpc in concerned(table.vpcID, table.subnetIDs) {
                contexts[vpc, default: VPCContext()].routeTables.append(table.sourceless)
                for route in table.routes {
                    switch route.target {
                    case .natGateway(let id):
                        contexts[vpc, default: VPCContext()].natGateways[id] = snapshot.natGateways[id]?.sourceless
                    case .internetGateway(let id):
                        contexts[vpc, default: VPCContext()].internetGateways[id] =
                            snapshot.internetGateways[id]?.sourceless
                    case .peeringConnection(let id):
                        contexts[vpc, default: VPCContext()].peeringConnections[id] =
                            snapshot.peeringConnections[id]?.sourceless
                    default: break
                    }
                }
            }
        }
        for acl in snapshot.networkACLs.values {
            for vpc in concerned(acl.vpcID, acl.subnetIDs) {
                contexts[vpc, default: VPCContext()].networkACLs.append(acl.sourceless)
            }
        }
        // Each group made sourceless once: 100k interfaces carry 20k groups.
        let groups = snapshot.securityGroups.mapValues(\.sourceless)
        for group in groups.values {
            if let vpc = group.vpcID { contexts[vpc, default: VPCContext()].securityGroups[group.id] = group }
        }
        for interface in snapshot.networkInterfaces.values {
            contexts[interface.vpcID, default: VPCContext()].interfaces.append(interface.sourceless)
            for group in interface.groupIDs {
                contexts[interface.vpcID, default: VPCContext()].securityGroups[group] = groups[group]
            }
            if scoped.contains(interface.id) {
                contexts[interface.vpcID, default: VPCContext()].scoped.insert(interface.id)
            }
        }
        for gateway in snapshot.natGateways.values {
            contexts[gateway.vpcID, default: VPCContext()].natGateways[gateway.id] = gateway.sourceless
        }
        for gateway in snapshot.internetGateways.values {
            for vpc in gateway.attachedVPCIDs {
                contexts[vpc, default: VPCContext()].internetGateways[gateway.id] = gateway.sourceless
            }
        }
        for peering in snapshot.peeringConnections.values {
            for vpc in [peering.requester.vpcID, peering.accepter.vpcID] {
                contexts[vpc, default: VPCContext()].peeringConnections[peering.id] = peering.sourceless
            }
        }
        for item in snapshot.incompleteness {
            if let vpc = item.vpcID { contexts[vpc, default: VPCContext()].incompleteness.append(item) }
        }
        for id in Array(contexts.keys) {
            guard var context = contexts[id] else { continue }
            for case let peering? in context.peeringConnections.values {
                for side in [peering.requester.vpcID, peering.accepter.vpcID] {
                    context.peerBlocks[side] = snapshot.vpcs[side]?.cidrBlocks
                }
            }
            context.subnets.sort { $0.id < $1.id }
            context.routeTables.sort { $0.id < $1.id }
            context.networkACLs.sort { $0.id < $1.id }
            context.interfaces.sort { $0.id < $1.id }
            context.incompleteness.sort { $0.reason < $1.reason }
            contexts[id] = context
        }
        let shared = Shared(
            prefixLists: snapshot.prefixLists.mapValues(\.sourceless),
            incompleteness: Set(snapshot.incompleteness.filter { $0.vpcID == nil }),
            vpcsRoutingToTransitGateways: index.vpcsRoutingToTransitGateways,
            vpnGateways: snapshot.vpnGateways.mapValues(\.sourceless),
            vpnConnections: snapshot.vpnConnections.mapValues(\.sourceless),
            transitGateways: snapshot.transitGateways.mapValues(\.sourceless),
            transitGatewayAttachments: snapshot.transitGatewayAttachments.mapValues(\.sourceless),
            transitGatewayRouteTables: snapshot.transitGatewayRouteTables.mapValues(\.sourceless),
            loadBalancers: snapshot.loadBalancers.mapValues(\.sourceless),
            listeners: snapshot.listeners.mapValues { Set($0.map(\.sourceless)) })
        return (contexts, shared)
    }

    /// What concerns every VPC.
    struct Shared: Equatable, Sendable {
        var prefixLists: [String: PrefixList]
        var incompleteness: Set<Incompleteness>
        var vpcsRoutingToTransitGateways: Set<String>
        /// Virtual private gateways and VPN connections (§42): a change to one concerns every VPC.
        var vpnGateways: [String: VPNGateway]
        var vpnConnections: [String: VPNConnection]
        /// Transit gateways (§41): a change to one concerns every VPC.
        var transitGateways: [String: TransitGateway]
        var transitGatewayAttachments: [String: TransitGatewayAttachment]
        var transitGatewayRouteTables: [String: TransitGatewayRouteTable]
        /// What load balancer interfaces accept (§38): rare enough to count for every VPC.
        var loadBalancers: [String: LoadBalancer]
        var listeners: [String: Set<Listener>]
    }

    /// The VPCs whose contexts differ between two snapshots, or `nil` when something that
    /// concerns every VPC differs.
    static func changed(
        _ base: Snapshot, _ baseIndex: NetworkIndex, scoped baseScope: Set<String>,
        _ candidate: Snapshot, _ candidateIndex: NetworkIndex, scoped candidateScope: Set<String>
    ) -> Set<String>? {
        let sides = [(base, baseIndex, baseScope), (candidate, candidateIndex, candidateScope)].concurrentMap {
            snapshot, index, scoped in
            all(of: snapshot, index: index, scoped: scoped)
        }
        let (before, after) = (sides[0], sides[1])
        guard before.shared == after.shared else { return nil }
        let vpcs = Array(Set(before.vpcs.keys).union(after.vpcs.keys))
        let differs = vpcs.concurrentMap { before.vpcs[$0] != after.vpcs[$0] }
        return Set(zip(vpcs, differs).compactMap { vpc, differs in differs ? vpc : nil })
    }
}
