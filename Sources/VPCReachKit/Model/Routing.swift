import PacketSets

/// Where a route sends traffic.
public enum RouteTarget: Hashable, Sendable, CustomStringConvertible {
    /// The VPC's local route.
    case local
    /// `igw-…`.
    case internetGateway(String)
    /// `eigw-…` (IPv6 only).
    case egressOnlyInternetGateway(String)
    /// `nat-…`.
    case natGateway(String)
    /// `pcx-…`.
    case peeringConnection(String)
    /// `tgw-…`.
    case transitGateway(String)
    /// `vgw-…`.
    case virtualPrivateGateway(String)
    /// `vpce-…` (gateway or Gateway Load Balancer endpoint).
    case vpcEndpoint(String)
    /// An ENI (a middlebox).
    case networkInterface(String)
    /// An instance (a NAT instance or appliance).
    case instance(String)
    /// Any other target (carrier, local or core-network gateway), by its field name and id.
    case other(field: String, id: String)

    /// The target's id as AWS prints it.
    public var id: String {
        switch self {
        case .local: "local"
        case .internetGateway(let id), .egressOnlyInternetGateway(let id), .natGateway(let id),
            .peeringConnection(let id), .transitGateway(let id), .virtualPrivateGateway(let id),
            .vpcEndpoint(let id), .networkInterface(let id), .instance(let id):
            id
        case .other(_, let id): id
        }
    }

    public var description: String { id }
}

/// Where a route's destination comes from.
public enum RouteDestination: Hashable, Sendable, CustomStringConvertible {
    /// `DestinationCidrBlock`.
    case cidr(CIDRBlock)
    /// `DestinationPrefixListId`, expanded from the snapshot's prefix lists.
    case prefixList(String)
    /// `DestinationIpv6CidrBlock`: kept for completeness, never matches IPv4 traffic.
    case ipv6(String)

    public var description: String {
        switch self {
        case .cidr(let block): block.description
        case .prefixList(let id): id
        case .ipv6(let text): text
        }
    }
}

/// A route's `State`: only `active` routes forward; `blackhole` routes drop (semantics §12).
public enum RouteState: Hashable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral {
    case active
    case blackhole
    /// Any other state (`filtered`, or one AWS may add): neither forwards nor is known to drop.
    case other(String)

    public init(_ text: String) {
        switch text {
        case "active": self = .active
        case "blackhole": self = .blackhole
        default: self = .other(text)
        }
    }

    public init(stringLiteral text: String) { self.init(text) }

    public var description: String {
        switch self {
        case .active: "active"
        case .blackhole: "blackhole"
        case .other(let text): text
        }
    }
}

/// A peering connection's `Status.Code` (and a group reference's `PeeringStatus`): only `active`
/// connections carry traffic (semantics §13).
public enum PeeringStatus: Hashable, Sendable, Codable, CustomStringConvertible, ExpressibleByStringLiteral {
    case active
    case initiatingRequest
    case pendingAcceptance
    case provisioning
    case deleting
    case deleted
    case rejected
    case failed
    case expired
    /// A status AWS may add: carries no traffic until known.
    case other(String)

    private static let texts: [(PeeringStatus, String)] = [
        (.active, "active"), (.initiatingRequest, "initiating-request"), (.pendingAcceptance, "pending-acceptance"),
        (.provisioning, "provisioning"), (.deleting, "deleting"), (.deleted, "deleted"), (.rejected, "rejected"),
        (.failed, "failed"), (.expired, "expired"),
    ]

    public init(_ text: String) {
        self = Self.texts.first { $0.1 == text }?.0 ?? .other(text)
    }

    public init(stringLiteral text: String) { self.init(text) }

    public var description: String {
        if case .other(let text) = self { return text }
        return Self.texts.first { $0.0 == self }?.1 ?? ""
    }

    public init(from decoder: any Decoder) throws {
        self.init(try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// One route of a route table.
public struct Route: Hashable, Sendable {
    /// The destination.
    public var destination: RouteDestination
    /// The target.
    public var target: RouteTarget
    /// `CreateRouteTable`, `CreateRoute`, `EnableVgwRoutePropagation` or `Advertisement`.
    public var origin: String
    /// `active`, `blackhole` or another state.
    public var state: RouteState
    /// Where it was read.
    public var source: SourceLocation

    /// Whether the route was propagated (from a VGW or a route server) rather than static.
    public var isPropagated: Bool {
        origin == "EnableVgwRoutePropagation" || origin == "Advertisement"
    }
}

/// A route table and its associations.
public struct RouteTable: Hashable, Sendable {
    /// `rtb-…`.
    public var id: String
    /// Its VPC.
    public var vpcID: String
    /// Whether it is its VPC's main table.
    public var isMain: Bool
    /// Subnets explicitly associated (association state `associated` or absent).
    public var subnetIDs: [String]
    /// Gateways with an edge association.
    public var gatewayIDs: [String]
    /// Its routes, in file order.
    public var routes: [Route]
    /// The table's tags.
    public var tags: Tags
    /// Where it was read.
    public var source: SourceLocation
}

/// A VPC peering connection's side.
public struct PeeringSide: Hashable, Sendable {
    /// The VPC on this side.
    public var vpcID: String
    /// Its account.
    public var ownerID: String?
    /// Its region.
    public var region: String?
    /// The IPv4 blocks the peering carries for this side (present only while active).
    public var cidrBlocks: [CIDRBlock]
    /// `PeeringOptions.AllowDnsResolutionFromRemoteVpc`, when exported.
    public var allowsRemoteDNSResolution: Bool? = nil
}

/// A VPC peering connection.
public struct PeeringConnection: Hashable, Sendable {
    /// `pcx-…`.
    public var id: String
    /// `Status.Code`: only `active` carries traffic.
    public var status: PeeringStatus
    /// The requester side.
    public var requester: PeeringSide
    /// The accepter side.
    public var accepter: PeeringSide
    /// The connection's tags.
    public var tags: Tags
    /// Where it was read.
    public var source: SourceLocation

    /// Whether the connection carries traffic.
    public var isActive: Bool { status == .active }

    /// The side opposite `vpcID`, or `nil` when the VPC is on neither side.
    public func peer(of vpcID: String) -> PeeringSide? {
        if requester.vpcID == vpcID { return accepter }
        if accepter.vpcID == vpcID { return requester }
        return nil
    }
}
