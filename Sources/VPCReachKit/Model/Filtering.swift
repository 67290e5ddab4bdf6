import PacketSets

/// An IP protocol as AWS rules name it: a number, or every protocol.
public enum IPProtocol: Hashable, Sendable, CustomStringConvertible {
    /// `-1`: every protocol (and every port).
    case all
    /// A protocol number: 6 TCP, 17 UDP, 1 ICMP, 58 ICMPv6, …
    case number(UInt8)

    /// TCP.
    public static let tcp = IPProtocol.number(6)
    /// UDP.
    public static let udp = IPProtocol.number(17)
    /// ICMP.
    public static let icmp = IPProtocol.number(1)

    /// Parses `-1`, `all`, `tcp`, `udp`, `icmp`, `icmpv6` or a number 0...255.
    public init?(aws text: String) {
        switch text.lowercased() {
        case "-1", "all": self = .all
        case "tcp": self = .tcp
        case "udp": self = .udp
        case "icmp": self = .icmp
        case "icmpv6": self = .number(58)
        default:
            guard let number = UInt8(text) else { return nil }
            self = .number(number)
        }
    }

    /// Whether the protocol's rules carry port ranges.
    public var hasPorts: Bool { self == .tcp || self == .udp }

    public var description: String {
        switch self {
        case .all: "all"
        case .number(6): "tcp"
        case .number(17): "udp"
        case .number(1): "icmp"
        case .number(58): "icmpv6"
        case .number(let n): "\(n)"
        }
    }
}

/// What a security group rule matches on the far side of the flow.
public enum SecurityGroupPeer: Hashable, Sendable, CustomStringConvertible {
    /// `IpRanges[].CidrIp`.
    case cidr(CIDRBlock)
    /// `Ipv6Ranges[].CidrIpv6`: never matches IPv4 traffic.
    case ipv6(String)
    /// `PrefixListIds[].PrefixListId`.
    case prefixList(String)
    /// `UserIdGroupPairs[]`: the private addresses of the ENIs carrying the group.
    case group(GroupReference)

    public var description: String {
        switch self {
        case .cidr(let block): block.description
        case .ipv6(let text): text
        case .prefixList(let id): id
        case .group(let reference): reference.description
        }
    }
}

/// A security group referenced by a rule.
public struct GroupReference: Hashable, Sendable, CustomStringConvertible {
    /// The referenced `sg-…`.
    public var groupID: String
    /// Its account, when given.
    public var userID: String?
    /// Its VPC, when given (references across a peering).
    public var vpcID: String?
    /// The peering the reference crosses, when given.
    public var peeringConnectionID: String?
    /// `PeeringStatus` as printed (`active`, `deleted`, …), when given.
    public var peeringStatus: PeeringStatus?

    /// Whether the export marks the reference stale: a peering status other than `active`.
    public var isMarkedStale: Bool { peeringStatus.map { $0 != .active } ?? false }

    public var description: String {
        userID.map { "\($0)/\(groupID)" } ?? groupID
    }
}

/// One allow rule of a security group: one protocol/port range and one peer.
public struct SecurityGroupRule: Hashable, Sendable {
    /// The protocol.
    public var ipProtocol: IPProtocol
    /// The first port (TCP/UDP) or the ICMP type; `nil` or -1 for all.
    public var fromPort: Int?
    /// The last port (TCP/UDP) or the ICMP code; `nil` or -1 for all.
    public var toPort: Int?
    /// What the rule matches on the far side.
    public var peer: SecurityGroupPeer
    /// The rule's description, if any.
    public var ruleDescription: String?
    /// Where it was read.
    public var source: SourceLocation
}

/// A security group.
public struct SecurityGroup: Hashable, Sendable {
    /// `sg-…`.
    public var id: String
    /// `GroupName`.
    public var name: String
    /// Its VPC.
    public var vpcID: String?
    /// Its account.
    public var ownerID: String?
    /// Account and region.
    public var placement: Placement
    /// Inbound allow rules.
    public var ingress: [SecurityGroupRule]
    /// Outbound allow rules.
    public var egress: [SecurityGroupRule]
    /// The group's tags.
    public var tags: Tags
    /// Where it was read.
    public var source: SourceLocation
}

/// One network ACL entry.
public struct NetworkACLEntry: Hashable, Sendable {
    /// Evaluation order; 32767 is the `*` default deny.
    public var ruleNumber: Int
    /// Whether the entry applies to outbound traffic.
    public var isEgress: Bool
    /// `allow` (true) or `deny` (false).
    public var allows: Bool
    /// The protocol.
    public var ipProtocol: IPProtocol
    /// TCP/UDP port range, when the entry has one.
    public var portRange: ClosedRange<Int>?
    /// Whether a TCP/UDP entry came with its `PortRange` (AWS always exports one): when not, the
    /// ports it matches are unknown and so is the fate of any packet it may match.
    public var portsExported = true
    /// ICMP type and code (-1 = all), when the entry has them.
    public var icmpTypeCode: (type: Int, code: Int)?
    /// The IPv4 block, or `nil` for an IPv6 entry (which never matches IPv4 traffic).
    public var cidrBlock: CIDRBlock?
    /// Where it was read.
    public var source: SourceLocation

    public static func == (lhs: NetworkACLEntry, rhs: NetworkACLEntry) -> Bool {
        lhs.ruleNumber == rhs.ruleNumber && lhs.isEgress == rhs.isEgress && lhs.allows == rhs.allows
            && lhs.ipProtocol == rhs.ipProtocol && lhs.portRange == rhs.portRange
            && lhs.portsExported == rhs.portsExported
            && lhs.icmpTypeCode?.type == rhs.icmpTypeCode?.type && lhs.icmpTypeCode?.code == rhs.icmpTypeCode?.code
            && lhs.cidrBlock == rhs.cidrBlock && lhs.source == rhs.source
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(ruleNumber)
        hasher.combine(isEgress)
        hasher.combine(source)
    }
}

/// A network ACL.
public struct NetworkACL: Hashable, Sendable {
    /// `acl-…`.
    public var id: String
    /// Its VPC.
    public var vpcID: String
    /// Whether it is its VPC's default ACL.
    public var isDefault: Bool
    /// Subnets associated with it.
    public var subnetIDs: [String]
    /// Its entries, both directions, in file order.
    public var entries: [NetworkACLEntry]
    /// The ACL's tags.
    public var tags: Tags
    /// Where it was read.
    public var source: SourceLocation
}
