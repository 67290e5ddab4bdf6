import PacketSets

/// What owns a network interface, as told by its `InterfaceType`, `Description` and `RequesterId`.
public enum InterfaceKind: String, Hashable, Sendable, Codable, CaseIterable {
    case ec2Instance = "ec2-instance"
    case ecsTask = "ecs-task"
    case rds
    case elastiCache = "elasticache"
    case loadBalancer = "load-balancer"
    case gatewayLoadBalancer = "gateway-load-balancer"
    case gatewayLoadBalancerEndpoint = "gateway-load-balancer-endpoint"
    case natGateway = "nat-gateway"
    case vpcEndpoint = "vpc-endpoint"
    case lambda
    case transitGateway = "transit-gateway"
    case efs
    case other

    /// The ephemeral ports a client of this kind opens connections from, which the replies must
    /// reach (semantics §26): load balancers, NAT gateways and Lambda use 1024-65535, Windows
    /// 49152-65535, Linux (instances, ECS tasks, everything else) 32768-60999.
    public func ephemeralPorts(platform: String?) -> ClosedRange<Int> {
        switch self {
        case .natGateway: return NATGateway.translatedPorts
        case .loadBalancer, .lambda: return 1024...65535
        default: return platform?.lowercased() == "windows" ? 49152...65535 : Self.linuxEphemeralPorts
        }
    }

    /// The Linux default ephemeral range, which the ElastiCache guide also uses: the range of a
    /// source the snapshot tells nothing else about.
    public static let linuxEphemeralPorts = 32768...60999

    /// Whether the interface only forwards other endpoints' traffic (a NAT gateway, a transit
    /// gateway attachment, a Gateway Load Balancer or its endpoint) and accepts no connection
    /// addressed to it: a query to it is unreachable (semantics §38), and it is left out of
    /// matrices, diffs and reports, which are about endpoints.
    public var isForwarder: Bool {
        switch self {
        case .natGateway, .transitGateway, .gatewayLoadBalancer, .gatewayLoadBalancerEndpoint: true
        default: false
        }
    }
}

/// A network interface: the place where security groups apply.
public struct NetworkInterface: Hashable, Sendable {
    /// `eni-…`.
    public var id: String
    /// Its subnet.
    public var subnetID: String
    /// Its VPC.
    public var vpcID: String
    /// Its private IPv4 addresses, primary first.
    public var privateAddresses: [IPv4Address]
    /// Public IPv4 addresses associated with it (primary association and per-address ones).
    public var publicAddresses: [IPv4Address]
    /// The security groups on it.
    public var groupIDs: [String]
    /// What owns it.
    public var kind: InterfaceKind
    /// `InterfaceType` as printed.
    public var interfaceType: String?
    /// `Description` as printed.
    public var interfaceDescription: String?
    /// `RequesterId`, for requester-managed interfaces.
    public var requesterID: String?
    /// The instance it is attached to, if any.
    public var instanceID: String?
    /// Its device index on that instance.
    public var deviceIndex: Int?
    /// `Status` as printed.
    public var status: String?
    /// `SourceDestCheck`.
    public var sourceDestCheck: Bool?
    /// The `Platform` of the instance it is attached to (`windows`), copied when the snapshot is
    /// loaded: it decides the client's ephemeral ports.
    public var platform: String? = nil
    /// Account and region.
    public var placement: Placement
    /// Its tags (`TagSet`).
    public var tags: Tags
    /// Where it was read.
    public var source: SourceLocation
    /// Each public address with the private address it is associated with (`Association` of the
    /// primary private address, `PrivateIpAddresses[].Association`); empty when the export does not
    /// say, in which case the public addresses belong to the primary private address.
    public var publicAddressPairs: [IPv4Address: IPv4Address] = [:]
    /// The ECS attachment UUID its `Description` names (`arn:aws:ecs:…:attachment/UUID`): how a
    /// task's interface is found when `describe-tasks` does not name it.
    public var ecsAttachmentID: String? { interfaceDescription.flatMap(Self.ecsAttachmentID(in:)) }

    /// The UUID of an ECS attachment ARN, or `nil`.
    static func ecsAttachmentID(in text: String) -> String? {
        // Most descriptions are not ARNs: no splitting for them (every interface's role asks).
        guard text.utf8.starts(with: "arn:".utf8) else { return nil }
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "arn", parts[1].hasPrefix("aws"), parts[2] == "ecs",
            parts[4].count == 12, parts[4].allSatisfy(\.isNumber), parts[5].hasPrefix("attachment/")
        else { return nil }
        let uuid = parts[5].dropFirst("attachment/".count)
        guard uuid.count == 36, uuid.allSatisfy({ $0.isHexDigit || $0 == "-" }) else { return nil }
        return String(uuid)
    }

    /// The private addresses that have a public address: only those reach the internet through an
    /// internet gateway or are reached from it (VPC user guide, IP addressing; RA
    /// `IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS`/`_FOR_INGRESS`).
    public var publiclyPairedAddresses: [IPv4Address] {
        if !publicAddressPairs.isEmpty { return privateAddresses.filter { publicAddressPairs[$0] != nil } }
        return publicAddresses.isEmpty ? [] : Array(privateAddresses.prefix(1))
    }

    /// Whether every private address has a public one (`true`), none (`false`), or only some (`nil`).
    public var isPubliclyPaired: Bool? {
        let paired = publiclyPairedAddresses.count
        if paired == 0 { return false }
        return paired == privateAddresses.count || privateAddresses.count < 2 ? true : nil
    }

    /// The private address a public address of this interface translates to.
    public func privateAddress(pairedWith publicAddress: IPv4Address) -> IPv4Address? {
        if publicAddressPairs.isEmpty { return publicAddresses.contains(publicAddress) ? privateAddresses.first : nil }
        return publicAddressPairs.first { $0.value == publicAddress }?.key
    }
}

/// An EC2 instance.
public struct Instance: Hashable, Sendable {
    /// `i-…`.
    public var id: String
    /// `State.Name` as printed.
    public var state: String?
    /// Its network interfaces with their device indexes.
    public var networkInterfaceIDs: [String]
    /// The primary (device index 0) interface.
    public var primaryNetworkInterfaceID: String?
    /// `Platform`: `windows`, or absent for Linux/UNIX.
    public var platform: String? = nil
    /// `MetadataOptions.HttpEndpoint`: `enabled` (the default) or `disabled`.
    public var metadataEndpoint: String? = nil
    /// Its tags.
    public var tags: Tags
    /// Where it was read.
    public var source: SourceLocation
}

/// An ECS service with its awsvpc network configuration.
public struct ECSService: Hashable, Sendable {
    /// The cluster's name.
    public var clusterName: String
    /// The service's name.
    public var name: String
    /// Its ARN.
    public var arn: String?
    /// `awsvpcConfiguration.subnets`.
    public var subnetIDs: [String]
    /// `awsvpcConfiguration.securityGroups`.
    public var securityGroupIDs: [String]
    /// `awsvpcConfiguration.assignPublicIp == "ENABLED"`.
    public var assignsPublicIP: Bool
    /// `desiredCount`.
    public var desiredCount: Int?
    /// `runningCount`.
    public var runningCount: Int?
    /// Where it was read.
    public var source: SourceLocation
}

/// An ECS task and its awsvpc network interface.
public struct ECSTask: Hashable, Sendable {
    /// The task's ARN.
    public var arn: String
    /// The cluster's name.
    public var clusterName: String
    /// The service that started it (from `group: service:NAME`), if any.
    public var serviceName: String?
    /// `lastStatus`.
    public var lastStatus: String?
    /// The attachment id (the UUID in the ENI's description).
    public var attachmentID: String?
    /// The ENI from the attachment's details.
    public var networkInterfaceID: String?
    /// The private address from the attachment's details.
    public var privateAddress: IPv4Address?
    /// The subnet from the attachment's details.
    public var subnetID: String?
    /// Where it was read.
    public var source: SourceLocation
}
