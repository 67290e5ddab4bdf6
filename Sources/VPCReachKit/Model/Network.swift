import PacketSets

/// Where a resource lives: its account and region, from the data or else from the snapshot path.
public struct Placement: Hashable, Sendable, Codable, Comparable {
    /// The 12-digit account id, or `nil` when neither the data nor the path tells.
    public var account: String?
    /// The region such as `eu-west-1`, or `nil` when neither the data nor the path tells.
    public var region: String?

    /// Creates a placement.
    public init(account: String?, region: String?) {
        self.account = account
        self.region = region
    }

    public static func < (lhs: Placement, rhs: Placement) -> Bool {
        (lhs.account ?? "", lhs.region ?? "") < (rhs.account ?? "", rhs.region ?? "")
    }
}

/// A VPC with its associated IPv4 CIDR blocks and DNS attributes.
public struct VPC: Hashable, Sendable {
    /// `vpc-…`.
    public var id: String
    /// Account and region.
    public var placement: Placement
    /// Every IPv4 block in state `associated` (the primary one included).
    public var cidrBlocks: [CIDRBlock]
    /// `enableDnsSupport`, or `nil` when the snapshot has no describe-vpc-attribute output for it.
    public var dnsSupport: Bool?
    /// `enableDnsHostnames`, or `nil` when the snapshot has no describe-vpc-attribute output for it.
    public var dnsHostnames: Bool?
    /// Whether this is the region's default VPC.
    public var isDefault: Bool
    /// The VPC's tags.
    public var tags: Tags
    /// Where it was read.
    public var source: SourceLocation
    /// `DhcpOptionsId`: a `dopt-…` set, `default` for none, or `nil` when the export does not say.
    public var dhcpOptionsID: String? = nil

    /// Whether `address` is inside one of the VPC's blocks.
    public func contains(_ address: IPv4Address) -> Bool {
        cidrBlocks.contains { $0.contains(address) }
    }

    /// The VPC's addresses as an interval set.
    public var addresses: IntervalSet { IntervalSet(cidrBlocks.map(\.range)) }
}

/// A subnet.
public struct Subnet: Hashable, Sendable {
    /// `subnet-…`.
    public var id: String
    /// The VPC it belongs to.
    public var vpcID: String
    /// Its IPv4 block.
    public var cidrBlock: CIDRBlock
    /// Its availability zone, e.g. `eu-west-1a`.
    public var availabilityZone: String?
    /// Account and region.
    public var placement: Placement
    /// The subnet's tags.
    public var tags: Tags
    /// Where it was read.
    public var source: SourceLocation
}

/// The addresses AWS reserves in every subnet (VPC user guide, subnet sizing): the first four and
/// the last.
extension Subnet {
    /// The addresses an interface can get.
    public var usableAddresses: ClosedRange<UInt32> {
        cidrBlock.prefixLength <= 28 ? (cidrBlock.first + 4)...(cidrBlock.last - 1) : cidrBlock.range
    }

    /// What AWS reserves `address` for, or `nil` for a usable address.
    public func reservedRole(of address: IPv4Address) -> String? {
        guard cidrBlock.contains(address), !usableAddresses.contains(address.value) else { return nil }
        switch address.value - cidrBlock.first {
        case 0: return "the network address"
        case 1: return "the VPC router"
        case 2: return "reserved for the DNS server"
        case 3: return "reserved for future use"
        default: return "the broadcast address"
        }
    }
}

/// An internet gateway and the VPCs it is attached to.
public struct InternetGateway: Hashable, Sendable {
    /// `igw-…`.
    public var id: String
    /// VPCs with an `available`/`attached` attachment.
    public var attachedVPCIDs: [String]
    /// The gateway's tags.
    public var tags: Tags
    /// Where it was read.
    public var source: SourceLocation
}

/// A NAT gateway.
public struct NATGateway: Hashable, Sendable {
    /// The source ports a NAT gateway gives the packets it translates (VPC user guide, NAT
    /// gateways): the replies to them must pass every one.
    public static let translatedPorts = 1024...65535
    /// The IP protocols a NAT gateway carries: TCP, UDP and ICMP (VPC user guide, NAT gateways);
    /// it drops every other protocol.
    public static let carriedProtocols = IntervalSet([1...1, 6...6, 17...17])

    /// `nat-…`.
    public var id: String
    /// Its VPC.
    public var vpcID: String
    /// The subnet it sits in.
    public var subnetID: String
    /// `available`, `pending`, `failed`, `deleting`, `deleted`.
    public var state: String

    /// Whether it translates traffic: only an `available` gateway does (semantics §29).
    public var isAvailable: Bool { state == "available" }
    /// `public` (the default) or `private`.
    public var connectivityType: String
    /// Its private addresses.
    public var privateAddresses: [IPv4Address]
    /// Its public (Elastic IP) addresses.
    public var publicAddresses: [IPv4Address]
    /// Its network interfaces.
    public var networkInterfaceIDs: [String]
    /// The gateway's tags.
    public var tags: Tags
    /// Where it was read.
    public var source: SourceLocation
}

/// A managed prefix list, customer- or AWS-managed.
public struct PrefixList: Hashable, Sendable {
    /// `pl-…`.
    public var id: String
    /// Its name, e.g. `com.amazonaws.eu-west-1.s3`.
    public var name: String?
    /// Its IPv4 entries, or `nil` when the snapshot does not hold them.
    public var cidrBlocks: [CIDRBlock]?
    /// Where it was read.
    public var source: SourceLocation
}
