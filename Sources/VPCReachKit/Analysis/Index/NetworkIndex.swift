import PacketSets

/// Lookup tables over a snapshot, built once: which table and ACL a subnet uses, who owns an
/// address, which interfaces carry a group.
public struct NetworkIndex: Sendable {
    /// The snapshot indexed.
    public let snapshot: Snapshot
    let interfaceByPrivateAddress: [UInt32: String]
    let interfaceByPublicAddress: [UInt32: String]
    let interfacesByGroup: [String: [String]]
    /// Subnet → the table it uses, and whether by explicit association.
    let tableOfSubnet: [String: (id: String, explicit: Bool)]
    /// Subnet → the network ACL it uses.
    let aclOfSubnet: [String: String]
    /// `vpcA|vpcB` → the first active peering between them.
    let activePeerings: [String: String]
    /// VPCs sorted by id, for address lookups.
    let sortedVPCs: [VPC]
    /// VPCs with at least one route to a transit gateway.
    let vpcsRoutingToTransitGateways: Set<String>
    /// The route tables with a route to a transit gateway.
    let tablesRoutingToTransitGateways: Set<String>
    /// Each VPC's transit gateway attachments, available ones first, then by id.
    let transitAttachmentsOfVPC: [String: [TransitGatewayAttachment]]
    /// ENI id → the first task (by ARN) naming it.
    let taskByInterface: [String: ECSTask]
    /// ENI attachment id → the first task (by ARN) naming it.
    let taskByAttachment: [String: ECSTask]

    /// Indexes `snapshot`.
    public init(_ snapshot: Snapshot) {
        self.snapshot = snapshot
        var privates: [UInt32: String] = [:]
        var publics: [UInt32: String] = [:]
        var groups: [String: [String]] = [:]
        for interface in snapshot.networkInterfaces.values.sorted(by: { $0.id < $1.id }) {
            for address in interface.privateAddresses where privates[address.value] == nil {
                privates[address.value] = interface.id
            }
            for address in interface.publicAddresses where publics[address.value] == nil {
                publics[address.value] = interface.id
            }
            for group in interface.groupIDs { groups[group, default: []].append(interface.id) }
        }
        interfaceByPrivateAddress = privates
        interfaceByPublicAddress = publics
        interfacesByGroup = groups

        var mainTable: [String: String] = [:]
        var tables: [String: (id: String, explicit: Bool)] = [:]
        for table in snapshot.routeTables.values.sorted(by: { $0.id < $1.id }) {
            if table.isMain, mainTable[table.vpcID] == nil { mainTable[table.vpcID] = table.id }
            for subnet in table.subnetIDs where tables[subnet] == nil { tables[subnet] = (table.id, true) }
        }
        var defaultACL: [String: String] = [:]
        var acls: [String: String] = [:]
        for acl in snapshot.networkACLs.values.sorted(by: { $0.id < $1.id }) {
            if acl.isDefault, defaultACL[acl.vpcID] == nil { defaultACL[acl.vpcID] = acl.id }
            for subnet in acl.subnetIDs where acls[subnet] == nil { acls[subnet] = acl.id }
        }
        for subnet in snapshot.subnets.values {
            if tables[subnet.id] == nil, let main = mainTable[subnet.vpcID] { tables[subnet.id] = (main, false) }
            if acls[subnet.id] == nil, let fallback = defaultACL[subnet.vpcID] { acls[subnet.id] = fallback }
        }
        tableOfSubnet = tables
        aclOfSubnet = acls
        var peerings: [String: String] = [:]
        for peering in snapshot.peeringConnections.values.sorted(by: { $0.id < $1.id }) where peering.isActive {
            let a = peering.requester.vpcID
            let b = peering.accepter.vpcID
            if peerings["\(a)|\(b)"] == nil { peerings["\(a)|\(b)"] = peering.id }
            if peerings["\(b)|\(a)"] == nil { peerings["\(b)|\(a)"] = peering.id }
        }
        activePeerings = peerings
        sortedVPCs = snapshot.vpcs.values.sorted { $0.id < $1.id }
        transitAttachmentsOfVPC = Dictionary(
            grouping: snapshot.transitGatewayAttachments.values.filter { $0.kind == .vpc }.sorted {
                ($0.isAvailable ? 0 : 1, $0.id) < ($1.isAvailable ? 0 : 1, $1.id)
            }, by: \.resourceID)
        let transitTables = snapshot.routeTables.values.filter { table in
            table.routes.contains { if case .transitGateway = $0.target { true } else { false } }
        }
        tablesRoutingToTransitGateways = Set(transitTables.map(\.id))
        vpcsRoutingToTransitGateways = Set(transitTables.map(\.vpcID))
        var byInterface: [String: ECSTask] = [:]
        var byAttachment: [String: ECSTask] = [:]
        for task in snapshot.ecsTasks.values.sorted(by: { $0.arn < $1.arn }) {
            if let id = task.networkInterfaceID, byInterface[id] == nil { byInterface[id] = task }
            if let id = task.attachmentID, byAttachment[id] == nil { byAttachment[id] = task }
        }
        taskByInterface = byInterface
        taskByAttachment = byAttachment
    }

    /// What an endpoint is for, used to group flows: `ecs:CLUSTER/SERVICE` for a service task's
    /// interface, else the names of its groups joined by `+`.
    public func role(of endpoint: Endpoint) -> String {
        serviceRole(of: endpoint) ?? groupsRole(endpoint.groupIDs) ?? ownRole(of: endpoint)
    }

    /// ``role(of:)`` of each of `endpoints`, computed on every core; the names of each set of
    /// groups are read once (a whole estate has 100k interfaces and far fewer sets).
    func roles(of endpoints: [Endpoint]) -> [String] {
        let groupSets = Array(Set(endpoints.lazy.map(\.groupIDs)))
        let named = Dictionary(
            uniqueKeysWithValues: zip(groupSets, groupSets.concurrentMap(groupsRole)).compactMap { set, role in
                role.map { (set, $0) }
            })
        return endpoints.concurrentMap { serviceRole(of: $0) ?? named[$0.groupIDs] ?? ownRole(of: $0) }
    }

    /// `ecs:CLUSTER/SERVICE` when a service's task uses the interface.
    private func serviceRole(of endpoint: Endpoint) -> String? {
        guard case .interface(let id) = endpoint.kind else { return nil }
        let attachment = snapshot.networkInterfaces[id]?.ecsAttachmentID
        let tasks = [taskByInterface[id], attachment.flatMap { taskByAttachment[$0] }].compactMap { $0 }
        guard let task = tasks.min(by: { $0.arn < $1.arn }), let service = task.serviceName else { return nil }
        return "ecs:\(task.clusterName)/\(service)"
    }

    /// The names of the groups, sorted and joined by `+`; `nil` for none.
    private func groupsRole(_ groupIDs: [String]) -> String? {
        let names = groupIDs.map { snapshot.securityGroups[$0].map { $0.tags.name ?? $0.name } ?? $0 }.sorted()
        return names.isEmpty ? nil : names.joined(separator: "+")
    }

    /// An interface's kind and name (or id), for an interface without groups.
    private func ownRole(of endpoint: Endpoint) -> String {
        if case .interface(let id) = endpoint.kind, let interface = snapshot.networkInterfaces[id] {
            return "\(interface.kind.rawValue) \(interface.tags.name ?? id)"
        }
        return endpoint.id
    }

    /// The route table a subnet uses: its explicit association, else its VPC's main table.
    public func routeTable(forSubnet subnetID: String) -> RouteTable? {
        tableOfSubnet[subnetID].flatMap { snapshot.routeTables[$0.id] }
    }

    /// The id of the route table a subnet uses, without fetching the table.
    func routeTableID(forSubnet subnetID: String) -> String? {
        tableOfSubnet[subnetID].flatMap { snapshot.routeTables[$0.id] == nil ? nil : $0.id }
    }

    /// Whether the subnet's table comes from an explicit association.
    public func hasExplicitRouteTable(_ subnetID: String) -> Bool {
        tableOfSubnet[subnetID]?.explicit ?? false
    }

    /// The network ACL a subnet uses: its association, else its VPC's default ACL.
    public func networkACL(forSubnet subnetID: String) -> NetworkACL? {
        aclOfSubnet[subnetID].flatMap { snapshot.networkACLs[$0] }
    }

    /// The VPC whose blocks contain `address`, if any.
    public func vpc(containing address: IPv4Address) -> VPC? {
        sortedVPCs.first { $0.contains(address) }
    }

    /// The interface whose private address is `address`.
    public func interface(privateAddress address: IPv4Address) -> NetworkInterface? {
        interfaceByPrivateAddress[address.value].flatMap { snapshot.networkInterfaces[$0] }
    }

    /// The interface whose public address is `address`.
    public func interface(publicAddress address: IPv4Address) -> NetworkInterface? {
        interfaceByPublicAddress[address.value].flatMap { snapshot.networkInterfaces[$0] }
    }

    /// The IPv4 blocks of a prefix list, or `nil` when the snapshot does not hold its entries.
    public func prefixListBlocks(_ id: String) -> [CIDRBlock]? {
        snapshot.prefixLists[id]?.cidrBlocks
    }

    /// The active peering connection between two VPCs, if any.
    /// Whether a security group reference enforced in `vpcID` reaches members in `peerVPC`: the
    /// same VPC, or an active same-Region peering between the two (semantics §20, §21).
    func referenceIsLive(from vpcID: String?, to peerVPC: String) -> Bool {
        guard let vpcID else { return true }
        if vpcID == peerVPC { return true }
        guard let peering = activePeering(between: vpcID, and: peerVPC) else { return false }
        let regions = [peering.requester.region, peering.accepter.region].compactMap { $0 }
        return regions.count < 2 || regions[0] == regions[1]
    }

    public func activePeering(between a: String, and b: String) -> PeeringConnection? {
        activePeerings["\(a)|\(b)"].flatMap { snapshot.peeringConnections[$0] }
    }

    /// The `Name` tag of any resource id, if the snapshot knows it.
    public func name(of id: String) -> String? {
        let s = snapshot
        switch id.prefix(while: { $0 != "-" }) {
        case "eni": return s.networkInterfaces[id]?.tags.name
        case "i": return s.instances[id]?.tags.name
        case "subnet": return s.subnets[id]?.tags.name
        case "vpc": return s.vpcs[id]?.tags.name
        case "rtb": return s.routeTables[id]?.tags.name
        case "acl": return s.networkACLs[id]?.tags.name
        case "sg": return s.securityGroups[id].map { $0.tags.name ?? $0.name }
        case "pcx": return s.peeringConnections[id]?.tags.name
        case "igw": return s.internetGateways[id]?.tags.name
        case "nat": return s.natGateways[id]?.tags.name
        case "tgw":
            if id.hasPrefix("tgw-attach-") { return s.transitGatewayAttachments[id]?.tags.name }
            if id.hasPrefix("tgw-rtb-") { return s.transitGatewayRouteTables[id]?.tags.name }
            return s.transitGateways[id]?.tags.name
        default: return s.hostedZones[id]?.name
        }
    }

    /// The attachments of `vpcID` to transit gateway `gatewayID`, available ones first.
    func transitAttachments(of vpcID: String, to gatewayID: String) -> [TransitGatewayAttachment] {
        transitAttachmentsOfVPC[vpcID]?.filter { $0.transitGatewayID == gatewayID } ?? []
    }

    /// `id (Name)` or `id`.
    public func label(_ id: String) -> String {
        name(of: id).map { "\(id) (\($0))" } ?? id
    }
}
