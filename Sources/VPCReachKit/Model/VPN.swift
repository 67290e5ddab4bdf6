import PacketSets

/// A virtual private gateway (`describe-vpn-gateways`), semantics §42.
public struct VPNGateway: Hashable, Sendable {
    /// `vgw-…`.
    public var id: String
    /// `State`: only `available` forwards.
    public var state: String
    /// The VPCs it is attached to (`VpcAttachments[]` in state `attached`).
    public var attachedVPCIDs: [String]
    public var tags: Tags
    public var source: SourceLocation

    public var isAvailable: Bool { state == "available" }
}

/// A Site-to-Site VPN connection (`describe-vpn-connections`), on a virtual private gateway or a
/// transit gateway, semantics §42.
public struct VPNConnection: Hashable, Sendable {
    /// `vpn-…`.
    public var id: String
    /// `State`: only `available` carries traffic.
    public var state: String
    /// `VpnGatewayId`, for a connection on a virtual private gateway.
    public var vpnGatewayID: String?
    /// `TransitGatewayId`, for a connection on a transit gateway.
    public var transitGatewayID: String?
    /// `Options.StaticRoutesOnly`: `false` means BGP, whose learned routes no export lists.
    public var staticRoutesOnly: Bool
    /// `Routes[]` in state `available`: the on-premises blocks of a static connection on a virtual
    /// private gateway.
    public var staticRoutes: [CIDRBlock]
    /// `VgwTelemetry[].Status`: how many tunnels are `UP`, of how many.
    public var tunnelsUp: Int
    public var tunnels: Int
    public var tags: Tags
    public var source: SourceLocation

    /// Whether it carries traffic: `true` when available with a tunnel up, `false` when not
    /// available or every tunnel is down, `nil` when available but no tunnel status was exported.
    public var carriesTraffic: Bool? {
        guard state == "available" else { return false }
        return tunnels == 0 ? nil : tunnelsUp > 0
    }
}
