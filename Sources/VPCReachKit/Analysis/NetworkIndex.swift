import PacketSets

/// Lookup tables over a snapshot, built once: which table and ACL a subnet uses, who owns an
/// address, which interfaces carry a group.
public struct NetworkIndex: Sendable {
    /// The snapshot indexed.
    public let snapshot: Snapshot
    let interfaceByPrivateAddress: [UInt32: String]
    let interfaceByPublicAddress: [UInt32: String]
    let interfacesByGroup: [String: [String]]

    /// Indexes `snapshot`.
    public init(_ snapshot: Snapshot) {
        self.snapshot = snapshot
        var privates: [UInt32: String] = [:]
        var publics: [UInt32: String] = [:]
        var groups: [String: [String]] = [:]
        for interface in snapshot.networkInterfaces.values.sorted(by: { $0.id < $1.id }) {
            for address in interface.privateAddresses where privates[address.value] == nil { privates[address.value] = interface.id }
            for address in interface.publicAddresses where publics[address.value] == nil { publics[address.value] = interface.id }
            for group in interface.groupIDs { groups[group, default: []].append(interface.id) }
        }
        interfaceByPrivateAddress = privates
        interfaceByPublicAddress = publics
        interfacesByGroup = groups
    }

    /// The route table a subnet uses: its explicit association, else its VPC's main table.
    public func routeTable(forSubnet subnetID: String) -> RouteTable? {
        let tables = snapshot.routeTables.values.sorted { $0.id < $1.id }
        if let explicit = tables.first(where: { $0.subnetIDs.contains(subnetID) }) { return explicit }
        guard let vpcID = snapshot.subnets[subnetID]?.vpcID else { return nil }
        return tables.first { $0.vpcID == vpcID && $0.isMain }
    }

    /// Whether the subnet's table comes from an explicit association.
    public func hasExplicitRouteTable(_ subnetID: String) -> Bool {
        snapshot.routeTables.values.contains { $0.subnetIDs.contains(subnetID) }
    }

    /// The network ACL a subnet uses: its association, else its VPC's default ACL.
    public func networkACL(forSubnet subnetID: String) -> NetworkACL? {
        let acls = snapshot.networkACLs.values.sorted { $0.id < $1.id }
        if let associated = acls.first(where: { $0.subnetIDs.contains(subnetID) }) { return associated }
        guard let vpcID = snapshot.subnets[subnetID]?.vpcID else { return nil }
        return acls.first { $0.vpcID == vpcID && $0.isDefault }
    }

    /// The VPC whose blocks contain `address`, if any.
    public func vpc(containing address: IPv4Address) -> VPC? {
        snapshot.vpcs.values.sorted { $0.id < $1.id }.first { $0.contains(address) }
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
    public func activePeering(between a: String, and b: String) -> PeeringConnection? {
        snapshot.peeringConnections.values.sorted { $0.id < $1.id }.first {
            $0.isActive && $0.peer(of: a)?.vpcID == b
        }
    }

    /// The `Name` tag of any resource id, if the snapshot knows it.
    public func name(of id: String) -> String? {
        let s = snapshot
        let prefix = id.split(separator: "-").first.map(String.init) ?? ""
        switch prefix {
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
        default: return s.hostedZones[id]?.name
        }
    }

    /// `id (Name)` or `id`.
    public func label(_ id: String) -> String {
        name(of: id).map { "\(id) (\($0))" } ?? id
    }
}
