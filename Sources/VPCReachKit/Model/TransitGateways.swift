import PacketSets

/// A transit gateway (`describe-transit-gateways`), semantics §41.
public struct TransitGateway: Hashable, Sendable {
    /// `tgw-…`.
    public var id: String
    /// `State`: only `available` forwards.
    public var state: String
    /// `Options.SecurityGroupReferencingSupport` is `enable` (AWS's default is `disable`).
    public var securityGroupReferencing: Bool
    public var tags: Tags
    public var source: SourceLocation

    public var isAvailable: Bool { state == "available" }
}

/// A transit gateway attachment (`describe-transit-gateway-attachments`, with the VPC options of
/// `describe-transit-gateway-vpc-attachments`), semantics §41.
public struct TransitGatewayAttachment: Hashable, Sendable {
    /// What the attachment connects (`ResourceType`).
    public enum Kind: Hashable, Sendable, CustomStringConvertible {
        case vpc
        case vpn
        case directConnectGateway
        case peering
        case connect
        case other(String)

        public init(_ text: String) {
            switch text {
            case "vpc": self = .vpc
            case "vpn": self = .vpn
            case "direct-connect-gateway": self = .directConnectGateway
            case "peering", "tgw-peering": self = .peering
            case "connect": self = .connect
            default: self = .other(text)
            }
        }

        public var description: String {
            switch self {
            case .vpc: "vpc"
            case .vpn: "vpn"
            case .directConnectGateway: "direct-connect-gateway"
            case .peering: "peering"
            case .connect: "connect"
            case .other(let text): text
            }
        }
    }

    /// `tgw-attach-…`.
    public var id: String
    public var transitGatewayID: String
    public var kind: Kind
    /// `ResourceId`: the VPC, VPN connection, Direct Connect gateway or peer transit gateway.
    public var resourceID: String
    /// `State`: only `available` carries traffic.
    public var state: String
    /// The route table associated with it, when `Association.State` is `associated`.
    public var routeTableID: String?
    /// `Association.State` (`disassociated` when the generic output shows none), `nil` when only the VPC output was read.
    public var associationState: String?
    /// The VPC attachment's subnets, one per Availability Zone (`nil`: not exported).
    public var subnetIDs: [String]?
    /// `Options.ApplianceModeSupport` is `enable`.
    public var applianceMode: Bool
    /// `Options.SecurityGroupReferencingSupport` is `enable` (`nil`: not exported; AWS's default is `enable`).
    public var securityGroupReferencing: Bool?
    public var tags: Tags
    public var source: SourceLocation

    public var isAvailable: Bool { state == "available" }
}

/// One route of a transit gateway route table (`search-transit-gateway-routes`).
public struct TransitGatewayRoute: Hashable, Sendable {
    /// `DestinationCidrBlock`, or the prefix list a route without one comes from.
    public var destination: RouteDestination
    /// `PrefixListId`: the prefix list the route comes from, when it does.
    public var prefixListID: String?
    /// The attachments it sends to (more than one: equal-cost paths).
    public var attachmentIDs: [String]
    /// `static` or `propagated`.
    public var isStatic: Bool
    /// `active`, `blackhole` or another state.
    public var state: RouteState
    public var source: SourceLocation
}

/// A transit gateway route table (`describe-transit-gateway-route-tables`) and its routes.
public struct TransitGatewayRouteTable: Hashable, Sendable {
    public var id: String
    public var transitGatewayID: String
    public var state: String
    /// Its routes, `nil` until a `search-transit-gateway-routes` output for it is read.
    public var routes: [TransitGatewayRoute]?
    /// `AdditionalRoutesAvailable` was true: the export holds only the first 1,000 routes.
    public var truncated: Bool
    public var tags: Tags
    public var source: SourceLocation
}

/// Transit gateway routes chosen for some destination addresses; `route` is nil where nothing matches.
public struct TransitGatewayRouteChoice: Sendable {
    public var route: TransitGatewayRoute?
    public var addresses: IntervalSet
}

extension TransitGatewayRoute {
    /// Whether it came from a prefix-list reference (shown as `propagated` with a `PrefixListId`).
    public var fromPrefixList: Bool {
        if case .prefixList = destination { return true }
        return prefixListID != nil
    }
}

extension TransitGatewayRouteTable {
    /// Longest prefix match of `destinations` over the table's `active` and `blackhole` routes
    /// (semantics §41): on equal prefixes a static route beats a prefix-list route, which beats a
    /// propagated one; then the route listed first. Routes in other states are not used. Returns
    /// the choices and the addresses a prefix list with unknown entries might capture.
    public func lookup(_ destinations: IntervalSet, prefixLists: (String) -> [CIDRBlock]?) -> (
        choices: [TransitGatewayRouteChoice], undecided: IntervalSet
    ) {
        let usable = (routes ?? []).filter { $0.state == .active || $0.state == .blackhole }
        let (choices, unknownLists) = LongestPrefix.choose(
            usable, destinations: destinations, prefixLists: prefixLists,
            destination: \.destination, rank: { $0.isStatic ? 0 : $0.fromPrefixList ? 1 : 2 })
        let undecided = unknownLists ? destinations : IntervalSet()
        return (choices.map { TransitGatewayRouteChoice(route: $0.route, addresses: $0.addresses) }, undecided)
    }
}

extension Snapshot {
    /// The subnet of the attachment's in the Availability Zone of `subnetID` (one per zone).
    public func attachmentSubnet(_ attachment: TransitGatewayAttachment, inZoneOf subnetID: String) -> String? {
        guard let zone = subnets[subnetID]?.availabilityZone else { return nil }
        return attachment.subnetIDs?.first { subnets[$0]?.availabilityZone == zone }
    }
}
