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
        /// An address inside a VPC that no interface of the snapshot owns, in that subnet (`nil`
        /// when no subnet holds it): a destination only (§7a).
        case unassigned(subnetID: String?)
        /// An address AWS answers at itself (the Route 53 Resolver, instance metadata) or keeps
        /// reserved in a subnet: a destination only (§7a).
        case service(ServiceAddress)
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
    /// Which of its addresses the query named: an interface named by a private address cannot be
    /// addressed from the internet, whatever public address it also has (semantics §30).
    public var addressing: Addressing = .interface
    /// What the interface accepts addressed to itself, whatever its security groups admit.
    public var acceptance: Acceptance = .host
    /// The ephemeral ports it opens connections from as a client (§26), unless the query says.
    public var ephemeralPorts: ClosedRange<Int> = Query.defaultEphemeralPorts
    /// The addresses that have a public address, when only some of them do (an interface whose
    /// secondary private addresses have none, §28); `nil`: all of them when `hasPublicAddress`.
    public var publicSources: IntervalSet? = nil

    /// The addresses an internet gateway carries traffic for: every address of an end with a
    /// public address (whatever range it stands for), or only those paired with one.
    public var publiclyAddressed: IntervalSet {
        publicSources ?? (hasPublicAddress ? IntervalSet(0...UInt32.max) : IntervalSet())
    }

    /// The packets whose address in `field` (this end's) has no public address paired with it,
    /// and the words for why an internet gateway drops them (§28, §30).
    func withoutPublicAddress(_ packets: PacketSet, at field: PacketField) -> (packets: PacketSet, reason: String) {
        let unpaired = packets.subtracting(packets.restricting(field, to: publiclyAddressed))
        guard !unpaired.isEmpty else { return (unpaired, "") }
        let reason =
            hasPublicAddress
            ? "\(label) has no public IPv4 address paired with \(TrafficSets.addresses(unpaired.values(of: field))) (a public address belongs to one private address)"
            : "\(label) has no public IPv4 address"
        return (unpaired, reason)
    }

    /// How its addresses pair with public ones, as classes of alike interfaces must agree on:
    /// an interface paired only in part is a class of its own.
    var publicPairing: PublicPairing {
        if publicSources != nil { return .partial(id) }
        return hasPublicAddress ? .all : .none
    }

    /// Whether the end is inside a VPC of the snapshot.
    public var isInternal: Bool { kind != .external }

    public static func < (lhs: Endpoint, rhs: Endpoint) -> Bool { lhs.id < rhs.id }
}

/// Whether an end's addresses have public addresses: none, all, or some (that end alone).
enum PublicPairing: Hashable, Sendable, Comparable {
    case none
    case all
    case partial(String)

    init(_ interface: NetworkInterface) {
        switch interface.isPubliclyPaired {
        case false?: self = .none
        case true?: self = .all
        case nil: self = .partial(interface.id)
        }
    }
}

/// Which of an interface's addresses a query named.
public enum Addressing: String, Hashable, Sendable, Codable {
    /// The interface as a whole (by id, tag, subnet, group, service…): reached from the internet
    /// at its public addresses and from inside at its private ones.
    case interface
    /// One of its private addresses, or a block of private addresses holding it.
    case privateAddress = "private"
    /// One of its public (or Elastic) addresses.
    case publicAddress = "public"
}

/// Addresses that AWS itself answers or reserves (semantics §7a).
public enum ServiceAddress: Hashable, Sendable {
    /// The Route 53 Resolver: a VPC's base address plus two (that VPC), or 169.254.169.253 (`nil`:
    /// the source's own VPC).
    case resolver(vpcID: String?)
    /// The instance metadata service at 169.254.169.254.
    case instanceMetadata
    /// One of the five addresses AWS reserves in every subnet (network, router, DNS, future use,
    /// broadcast), other than the Resolver's.
    case reserved(subnetID: String, role: String)
}

/// What an end accepts when it is the destination (semantics §38).
public enum Acceptance: Hashable, Sendable {
    /// Whatever its security groups admit: an instance, a task, a database, an address outside.
    case host
    /// Nothing: the interface only forwards other endpoints' traffic (``InterfaceKind/isForwarder``).
    case forwardOnly(InterfaceKind)
    /// Only its load balancer's listeners: the ``LoadBalancer/id`` its description names, or `nil`
    /// when it names none.
    case loadBalancer(String?)
}

/// What a destination selector resolves to: endpoints, or a DNS name resolved per source VPC.
enum DestinationSpec {
    case endpoints([Endpoint])
    case dnsName(String)
}
