import PacketSets

/// One end of a flow: an interface in the snapshot, a hypothetical interface, or an outside address range.
public struct Endpoint: Hashable, Sendable, Comparable {
    /// What kind of end it is.
    public enum Kind: Hashable, Sendable {
        /// A network interface in the snapshot.
        case interface(String)
        /// A new interface in a subnet with security groups (e.g. a task not deployed yet).
        case hypothetical(subnetID: String)
        /// Addresses outside every VPC of the snapshot (the internet, or networks not exported).
        case external
    }

    /// What kind of end it is.
    public var kind: Kind
    /// A stable id: the ENI id, the `new:` selector text, or the address range.
    public var id: String
    /// A readable label with `Name` tags.
    public var label: String
    /// The addresses the end may use.
    public var addresses: IntervalSet
    /// Its subnet (internal ends only).
    public var subnetID: String?
    /// Its VPC (internal ends only).
    public var vpcID: String?
    /// Its security groups.
    public var groupIDs: [String]
    /// Whether it has a public IPv4 address for internet traffic.
    public var hasPublicAddress: Bool

    /// Whether the end is inside a VPC of the snapshot.
    public var isInternal: Bool { kind != .external }

    public static func < (lhs: Endpoint, rhs: Endpoint) -> Bool { lhs.id < rhs.id }
}

/// What a destination selector resolves to: endpoints, or a DNS name resolved per source VPC.
enum DestinationSpec {
    case endpoints([Endpoint])
    case dnsName(String)
}
