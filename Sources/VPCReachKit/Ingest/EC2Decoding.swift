import PacketSets

/// Readers for `aws ec2 describe-*` outputs.
extension FileReader {
    func cidr(_ node: JSONNode) throws -> CIDRBlock {
        let text = try node.string()
        guard let block = CIDRBlock(text) else { throw node.fail("'\(text)' is not an IPv4 CIDR block") }
        return block
    }

    func address(_ node: JSONNode) throws -> IPv4Address {
        let text = try node.string()
        guard let address = IPv4Address(text) else { throw node.fail("'\(text)' is not an IPv4 address") }
        return address
    }

    func placement(owner: String?, zone: String? = nil) -> Placement {
        Placement(
            account: owner ?? context.placement.account, region: Self.region(ofZone: zone) ?? context.placement.region)
    }

    mutating func readVPC(_ node: JSONNode) throws {
        let id = try node.string("VpcId")
        var blocks: [CIDRBlock] = []
        for association in try node.array("CidrBlockAssociationSet") {
            let state = try association["CidrBlockState"]?.optionalString("State") ?? "associated"
            if state == "associated" { blocks.append(try cidr(association.required("CidrBlock"))) }
        }
        if let primary = node["CidrBlock"], blocks.isEmpty, node["CidrBlockAssociationSet"] == nil {
            blocks.append(try cidr(primary))
        }
        // The primary block first: the Route 53 Resolver is its base plus two (semantics §7a).
        if let primary = (try? node["CidrBlock"].map(cidr)) ?? nil, let position = blocks.firstIndex(of: primary),
            position > 0
        {
            blocks.insert(blocks.remove(at: position), at: 0)
        }
        steps.append(
            .vpc(
                VPC(
                    id: id, placement: placement(owner: try node.optionalString("OwnerId")), cidrBlocks: blocks,
                    dnsSupport: nil, dnsHostnames: nil, isDefault: try node.optionalBool("IsDefault") ?? false,
                    tags: try node.tags(),
                    source: context.location(node), dhcpOptionsID: try node.optionalString("DhcpOptionsId"))))
    }

    mutating func readVPCAttribute(_ root: JSONNode, key: String) {
        do {
            let id = try root.string("VpcId")
            let value = try root.required(key).required("Value").bool()
            steps.append(
                .vpcAttribute(vpcID: id, key: key, value: value, placement: context.placement, file: context.file))
            count("VpcAttributes", context.placement)
        } catch let error as JSONReadError {
            fail(error, vpcID: (try? root.optionalString("VpcId")) ?? nil)
        } catch {}
    }

    mutating func readSubnet(_ node: JSONNode) throws {
        let zone = try node.optionalString("AvailabilityZone")
        let subnet = Subnet(
            id: try node.string("SubnetId"), vpcID: try node.string("VpcId"),
            cidrBlock: try cidr(node.required("CidrBlock")),
            availabilityZone: zone, placement: placement(owner: try node.optionalString("OwnerId"), zone: zone),
            tags: try node.tags(), source: context.location(node))
        steps.append(.subnet(subnet))
    }

    mutating func readRouteTable(_ node: JSONNode) throws {
        var isMain = false
        var subnets: [String] = []
        var gateways: [String] = []
        for association in try node.array("Associations") {
            let state = try association["AssociationState"]?.optionalString("State") ?? "associated"
            guard state == "associated" else { continue }
            if try association.optionalBool("Main") == true { isMain = true }
            if let subnet = try association.optionalString("SubnetId") { subnets.append(subnet) }
            if let gateway = try association.optionalString("GatewayId") { gateways.append(gateway) }
        }
        var routes: [Route] = []
        var routeAt: [RouteSlot: Int] = [:]
        for route in try node.array("Routes") {
            let read = try readRoute(route)
            // One destination twice from the same origin (a static route and a propagated one may
            // share it, §11): the same route exported twice is kept once; two targets for it leave
            // which one carries the traffic unknown (the table is skipped, its VPC unknown).
            let key = RouteSlot(destination: read.destination, propagated: read.isPropagated)
            if let earlier = routeAt[key].map({ routes[$0] }) {
                guard earlier.sourceless == read.sourceless else {
                    throw route.fail(
                        "destination \(read.destination) appears twice with different routes (also at \(earlier.source.jsonPath))"
                    )
                }
                continue
            }
            routeAt[key] = routes.count
            routes.append(read)
        }
        let table = RouteTable(
            id: try node.string("RouteTableId"), vpcID: try node.string("VpcId"), isMain: isMain, subnetIDs: subnets,
            gatewayIDs: gateways, routes: routes, tags: try node.tags(), source: context.location(node))
        steps.append(.routeTable(table))
    }

    func readRoute(_ node: JSONNode) throws -> Route {
        let destination: RouteDestination
        if let block = node["DestinationCidrBlock"] {
            destination = .cidr(try cidr(block))
        } else if let list = try node.optionalString("DestinationPrefixListId") {
            destination = .prefixList(list)
        } else if let ipv6 = try node.optionalString("DestinationIpv6CidrBlock") {
            destination = .ipv6(ipv6)
        } else {
            throw node.fail("route has no DestinationCidrBlock, DestinationIpv6CidrBlock or DestinationPrefixListId")
        }
        let target: RouteTarget
        if let id = try node.optionalString("NetworkInterfaceId") {
            target = .networkInterface(id)
        } else if let id = try node.optionalString("NatGatewayId") {
            target = .natGateway(id)
        } else if let id = try node.optionalString("VpcPeeringConnectionId") {
            target = .peeringConnection(id)
        } else if let id = try node.optionalString("TransitGatewayId") {
            target = .transitGateway(id)
        } else if let id = try node.optionalString("InstanceId") {
            target = .instance(id)
        } else if let id = try node.optionalString("EgressOnlyInternetGatewayId") {
            target = .egressOnlyInternetGateway(id)
        } else if let id = try node.optionalString("GatewayId") {
            if id == "local" {
                target = .local
            } else if id.hasPrefix("igw-") {
                target = .internetGateway(id)
            } else if id.hasPrefix("vgw-") {
                target = .virtualPrivateGateway(id)
            } else if id.hasPrefix("vpce-") {
                target = .vpcEndpoint(id)
            } else {
                target = .other(field: "GatewayId", id: id)
            }
        } else if let field = ["CarrierGatewayId", "LocalGatewayId", "CoreNetworkArn", "OdbNetworkArn"].first(where: {
            node[$0] != nil
        }) {
            target = .other(field: field, id: try node.string(field))
        } else {
            throw node.fail("route has no target")
        }
        return Route(
            destination: destination, target: target, origin: try node.optionalString("Origin") ?? "CreateRoute",
            state: RouteState(try node.optionalString("State") ?? "active"), source: context.location(node))
    }

    /// `describe-security-group-vpc-associations`: only `associated` rows let the group be used
    /// in the VPC.
    mutating func readSecurityGroupVPCAssociation(_ node: JSONNode) throws {
        guard try node.optionalString("State") ?? "associated" == "associated" else { return }
        steps.append(.securityGroupVPCAssociation(groupID: try node.string("GroupId"), vpcID: try node.string("VpcId")))
    }

    mutating func readSecurityGroup(_ node: JSONNode) throws {
        let owner = try node.optionalString("OwnerId")
        let group = SecurityGroup(
            id: try node.string("GroupId"), name: try node.optionalString("GroupName") ?? "",
            vpcID: try node.optionalString("VpcId"),
            ownerID: owner, placement: placement(owner: owner),
            ingress: try readPermissions(node.array("IpPermissions")),
            egress: try readPermissions(node.array("IpPermissionsEgress")), tags: try node.tags(),
            source: context.location(node))
        steps.append(.securityGroup(group))
    }

    /// The ports AWS exports for a rule: TCP and UDP always carry `FromPort` ≤ `ToPort` within
    /// 0-65535; ICMP a type and code within -1-255. Anything else is malformed (the group is
    /// skipped and answers through it are unknown), never read as "all ports" or "none".
    static func checkPorts(_ ipProtocol: IPProtocol, from: Int?, to: Int?, in permission: JSONNode) throws {
        switch ipProtocol {
        case .tcp, .udp:
            guard let from, let to, 0 <= from, from <= to, to <= 65535 else {
                throw permission.fail(
                    "\(ipProtocol) rule with FromPort \(from.map(String.init) ?? "missing") and ToPort \(to.map(String.init) ?? "missing"), not a range within 0-65535"
                )
            }
        case .icmp:
            for value in [from, to] {
                if let value, !(-1...255).contains(value) {
                    throw permission.fail("icmp rule with type/code \(value), outside -1-255")
                }
            }
        default: break
        }
    }

    func readPermissions(_ permissions: [JSONNode]) throws -> [SecurityGroupRule] {
        var rules: [SecurityGroupRule] = []
        for permission in permissions {
            let protocolNode = try permission.required("IpProtocol")
            let protocolText = try protocolNode.string()
            guard let ipProtocol = IPProtocol(aws: protocolText) else {
                throw protocolNode.fail("'\(protocolText)' is not a protocol name or number")
            }
            let from = try permission.optionalInt("FromPort")
            let to = try permission.optionalInt("ToPort")
            try Self.checkPorts(ipProtocol, from: from, to: to, in: permission)
            func rule(_ peer: SecurityGroupPeer, _ entry: JSONNode) throws -> SecurityGroupRule {
                SecurityGroupRule(
                    ipProtocol: ipProtocol, fromPort: from, toPort: to, peer: peer,
                    ruleDescription: try entry.optionalString("Description"), source: context.location(entry))
            }
            for range in try permission.array("IpRanges") {
                rules.append(try rule(.cidr(try cidr(range.required("CidrIp"))), range))
            }
            for range in try permission.array("Ipv6Ranges") {
                rules.append(try rule(.ipv6(try range.string("CidrIpv6")), range))
            }
            for list in try permission.array("PrefixListIds") {
                rules.append(try rule(.prefixList(try list.string("PrefixListId")), list))
            }
            for pair in try permission.array("UserIdGroupPairs") {
                let reference = GroupReference(
                    groupID: try pair.string("GroupId"), userID: try pair.optionalString("UserId"),
                    vpcID: try pair.optionalString("VpcId"),
                    peeringConnectionID: try pair.optionalString("VpcPeeringConnectionId"),
                    peeringStatus: try pair.optionalString("PeeringStatus").map { PeeringStatus($0) })
                rules.append(try rule(.group(reference), pair))
            }
        }
        return rules
    }

    mutating func readNetworkACL(_ node: JSONNode) throws {
        var entries: [NetworkACLEntry] = []
        var entryAt: [EntrySlot: Int] = [:]
        for entry in try node.array("Entries") {
            let protocolNode = try entry.required("Protocol")
            let protocolText = try protocolNode.string()
            guard let ipProtocol = IPProtocol(aws: protocolText) else {
                throw protocolNode.fail("'\(protocolText)' is not a protocol number")
            }
            var portRange: ClosedRange<Int>?
            var portsExported = true
            if let range = entry["PortRange"] {
                let from = try range.required("From").int()
                let to = try range.required("To").int()
                guard 0 <= from, from <= to, to <= 65535 else {
                    throw range.fail("port range \(from)-\(to) is not a range within 0-65535")
                }
                portRange = from...to
            } else if ipProtocol == .tcp || ipProtocol == .udp {
                // AWS exports a PortRange for every TCP and UDP entry: without it which ports the
                // entry matches is unknown, and so is what happens to the packets it may match (§17).
                portsExported = false
                error(
                    "\(ipProtocol) entry without a PortRange: the ports it matches are unknown, so traffic it may match is undecided",
                    context.location(entry))
            }
            var icmp: (Int, Int)?
            if let typeCode = entry["IcmpTypeCode"] {
                icmp = (try typeCode.optionalInt("Type") ?? -1, try typeCode.optionalInt("Code") ?? -1)
            }
            let action = try entry.string("RuleAction")
            guard action == "allow" || action == "deny" else {
                throw entry.fail("RuleAction '\(action)' is neither allow nor deny")
            }
            let block: CIDRBlock? = try entry["CidrBlock"].map(cidr)
            if block == nil && entry["Ipv6CidrBlock"] == nil {
                throw entry.fail("entry has neither CidrBlock nor Ipv6CidrBlock")
            }
            let ruleNumber = try entry.required("RuleNumber").int()
            let egress = try entry.required("Egress").bool()
            let read = NetworkACLEntry(
                ruleNumber: ruleNumber, isEgress: egress, allows: action == "allow", ipProtocol: ipProtocol,
                portRange: portRange, portsExported: portsExported, icmpTypeCode: icmp, cidrBlock: block,
                source: context.location(entry))
            // One rule number twice in one direction: kept once when identical; otherwise which one
            // AWS applies is unknown (the ACL is skipped, its VPC unknown).
            let key = EntrySlot(ruleNumber: ruleNumber, egress: egress, ipv4: block != nil)
            if let earlier = entryAt[key].map({ entries[$0] }) {
                guard earlier.sourceless == read.sourceless else {
                    throw entry.fail(
                        "rule number \(ruleNumber) (\(egress ? "egress" : "ingress")) appears twice with different content (also at \(earlier.source.jsonPath))"
                    )
                }
                continue
            }
            entryAt[key] = entries.count
            entries.append(read)
        }
        let acl = NetworkACL(
            id: try node.string("NetworkAclId"), vpcID: try node.string("VpcId"),
            isDefault: try node.optionalBool("IsDefault") ?? false,
            subnetIDs: try node.array("Associations").compactMap { try $0.optionalString("SubnetId") },
            entries: entries,
            tags: try node.tags(), source: context.location(node))
        steps.append(.networkACL(acl))
    }

    func readInterface(_ node: JSONNode, vpcFallback: String? = nil) throws -> NetworkInterface {
        var privateAddresses: [IPv4Address] = []
        var publicAddresses: [IPv4Address] = []
        var pairs: [IPv4Address: IPv4Address] = [:]
        if let primary = node["PrivateIpAddress"] { privateAddresses.append(try address(primary)) }
        for entry in try node.array("PrivateIpAddresses") {
            var privateAddress: IPv4Address?
            if let text = entry["PrivateIpAddress"] {
                let value = try address(text)
                privateAddress = value
                if !privateAddresses.contains(value) { privateAddresses.append(value) }
            }
            if let publicIP = entry["Association"].flatMap({ $0["PublicIp"] }) {
                let value = try address(publicIP)
                if !publicAddresses.contains(value) { publicAddresses.append(value) }
                if let privateAddress { pairs[privateAddress] = value }
            }
        }
        // The interface's own Association is its primary private address's.
        if let publicIP = node["Association"].flatMap({ $0["PublicIp"] }) {
            let value = try address(publicIP)
            if !publicAddresses.contains(value) { publicAddresses.insert(value, at: 0) }
            if let primary = privateAddresses.first, pairs[primary] == nil { pairs[primary] = value }
        }
        let attachment = node["Attachment"]
        let owner = try node.optionalString("OwnerId")
        let zone = try node.optionalString("AvailabilityZone")
        var interface = NetworkInterface(
            id: try node.string("NetworkInterfaceId"), subnetID: try node.string("SubnetId"),
            vpcID: try node.optionalString("VpcId") ?? vpcFallback ?? "", privateAddresses: privateAddresses,
            publicAddresses: publicAddresses, groupIDs: try Self.groupIDs(of: node),
            kind: .other,
            interfaceType: try node.optionalString("InterfaceType"),
            interfaceDescription: try node.optionalString("Description"),
            requesterID: try node.optionalString("RequesterId"),
            instanceID: try attachment?.optionalString("InstanceId"),
            deviceIndex: try attachment?.optionalInt("DeviceIndex"), status: try node.optionalString("Status"),
            sourceDestCheck: try node.optionalBool("SourceDestCheck"), placement: placement(owner: owner, zone: zone),
            tags: try node["TagSet"] != nil ? node.tags("TagSet") : node.tags(), source: context.location(node),
            publicAddressPairs: pairs)
        if interface.vpcID.isEmpty { throw node.fail("network interface has no VpcId") }
        interface.kind = InterfaceClassifier.kind(
            of: interface, requesterManaged: try node.optionalBool("RequesterManaged") ?? false)
        return interface
    }

    /// An interface's `Groups`. AWS always lists them (an empty list for the AWS-managed interfaces
    /// that carry none): a missing or null key is malformed, not "no filtering", so the interface
    /// is skipped and its VPC's answers are unknown.
    static func groupIDs(of node: JSONNode) throws -> [String] {
        guard let groups = node["Groups"], groups.kind != .null else {
            throw node.fail(
                "network interface has no Groups list (AWS always exports one; without it its security groups are unknown)"
            )
        }
        return try groups.array().map { try $0.string("GroupId") }
    }

    mutating func readNetworkInterface(_ node: JSONNode) throws {
        let interface = try readInterface(node)
        steps.append(.networkInterface(interface))
    }

    mutating func readReservation(_ node: JSONNode) throws {
        let owner = try node.optionalString("OwnerId")
        for instanceNode in try node.array("Instances") {
            let instanceID = try instanceNode.string("InstanceId")
            var interfaceIDs: [String] = []
            var primary: String?
            let instanceVPC = try instanceNode.optionalString("VpcId")
            for interfaceNode in try instanceNode.array("NetworkInterfaces") {
                var interface: NetworkInterface
                do {
                    interface = try readInterface(interfaceNode, vpcFallback: instanceVPC)
                } catch let error as JSONReadError {
                    // describe-network-interfaces is the primary source of interfaces; a copy inside
                    // describe-instances that cannot be read is skipped, and its VPC is marked
                    // incomplete unless describe-network-interfaces has the interface.
                    let location = SourceLocation(file: context.file, jsonPath: error.path)
                    warn("\(error.message); this copy of the instance's interface is skipped", location)
                    let interfaceID = (try? interfaceNode.optionalString("NetworkInterfaceId")) ?? nil
                    steps.append(
                        .unreadableInstanceInterface(
                            id: interfaceID,
                            Incompleteness(
                                vpcID: instanceVPC,
                                reason:
                                    "\(location) could not be read (\(error.message)), so \(instanceVPC.map { "VPC '\($0)'" } ?? "the whole snapshot") is incomplete"
                            )))
                    continue
                }
                interface.instanceID = interface.instanceID ?? instanceID
                if interface.placement.account == nil { interface.placement.account = owner }
                interface.kind = .ec2Instance
                interfaceIDs.append(interface.id)
                if interface.deviceIndex == 0 || primary == nil && interface.deviceIndex == nil {
                    primary = interface.id
                }
                steps.append(.instanceInterface(interface))
            }
            let instance = Instance(
                id: instanceID, state: try instanceNode["State"]?.optionalString("Name"),
                networkInterfaceIDs: interfaceIDs, primaryNetworkInterfaceID: primary,
                platform: try instanceNode.optionalString("Platform"),
                metadataEndpoint: try instanceNode["MetadataOptions"]?.optionalString("HttpEndpoint"),
                tags: try instanceNode.tags(), source: context.location(instanceNode))
            steps.append(.instance(instance))
            count("Instances", context.placement)
        }
    }

    mutating func readInternetGateway(_ node: JSONNode) throws {
        let attached = try node.array("Attachments").compactMap { attachment -> String? in
            let state = try attachment.optionalString("State") ?? "available"
            return state == "available" || state == "attached" ? try attachment.string("VpcId") : nil
        }
        let gateway = InternetGateway(
            id: try node.string("InternetGatewayId"), attachedVPCIDs: attached, tags: try node.tags(),
            source: context.location(node))
        steps.append(.internetGateway(gateway))
    }

    mutating func readNATGateway(_ node: JSONNode) throws {
        var privates: [IPv4Address] = []
        var publics: [IPv4Address] = []
        var interfaces: [String] = []
        for entry in try node.array("NatGatewayAddresses") {
            if let text = entry["PrivateIp"] { privates.append(try address(text)) }
            if let text = entry["PublicIp"] { publics.append(try address(text)) }
            if let eni = try entry.optionalString("NetworkInterfaceId") { interfaces.append(eni) }
        }
        let gateway = NATGateway(
            id: try node.string("NatGatewayId"), vpcID: try node.string("VpcId"), subnetID: try node.string("SubnetId"),
            state: try node.optionalString("State") ?? "available",
            connectivityType: try node.optionalString("ConnectivityType") ?? "public", privateAddresses: privates,
            publicAddresses: publics, networkInterfaceIDs: interfaces, tags: try node.tags(),
            source: context.location(node))
        steps.append(.natGateway(gateway))
    }

    mutating func readPeeringConnection(_ node: JSONNode) throws {
        func side(_ key: String) throws -> PeeringSide {
            let info = try node.required(key)
            var blocks = try info.array("CidrBlockSet").map { try cidr($0.required("CidrBlock")) }
            if blocks.isEmpty, let primary = info["CidrBlock"] { blocks = [try cidr(primary)] }
            return PeeringSide(
                vpcID: try info.string("VpcId"), ownerID: try info.optionalString("OwnerId"),
                region: try info.optionalString("Region"), cidrBlocks: blocks,
                allowsRemoteDNSResolution: try info["PeeringOptions"]?.optionalBool("AllowDnsResolutionFromRemoteVpc"))
        }
        let connection = PeeringConnection(
            id: try node.string("VpcPeeringConnectionId"),
            status: PeeringStatus(try node.required("Status").string("Code")),
            requester: try side("RequesterVpcInfo"), accepter: try side("AccepterVpcInfo"), tags: try node.tags(),
            source: context.location(node))
        steps.append(.peeringConnection(connection))
    }

    mutating func readPrefixList(_ node: JSONNode) throws {
        steps.append(
            .prefixList(
                id: try node.string("PrefixListId"), name: try node.optionalString("PrefixListName"),
                cidrBlocks: node["Cidrs"] != nil ? try node.array("Cidrs").map(cidr) : nil,
                isIPv6: try node.optionalString("AddressFamily") == "IPv6", source: context.location(node)))
    }

    mutating func readPrefixListEntries(_ node: JSONNode) {
        guard let id = Self.id(in: context.pathComponents, matching: { $0.hasPrefix("pl-") }) else {
            warn(
                "get-managed-prefix-list-entries output carries no prefix-list id and none is in its path; name the file or folder after the list (pl-….json); ignored",
                SourceLocation(file: context.file, jsonPath: "$.Entries"))
            return
        }
        do {
            var blocks: [CIDRBlock] = []
            for entry in try node.array() {
                let text = try entry.string("Cidr")
                if text.contains(":") { continue }
                blocks.append(try cidr(entry.required("Cidr")))
            }
            steps.append(.prefixListEntries(id: id, cidrBlocks: blocks, file: context.file))
            count("PrefixListEntries", context.placement, by: blocks.count)
        } catch let error as JSONReadError {
            fail(error, vpcID: nil)
        } catch {}
    }
}

/// What may appear once per route table (a destination, per origin) and per network ACL (a rule
/// number, per direction and address family): the keys duplicates are found by, in linear time.
private struct RouteSlot: Hashable {
    var destination: RouteDestination
    var propagated: Bool
}

private struct EntrySlot: Hashable {
    var ruleNumber: Int
    var egress: Bool
    var ipv4: Bool
}
