import PacketSets

/// The checks behind the report's findings, one method per rule.
struct FindingRules {
    let index: NetworkIndex
    let sensitivePorts: [Int]
    var snapshot: Snapshot { index.snapshot }

    func all() -> [Finding] {
        openToWorld() + staleReferences() + unusedGroups() + blackholeRoutes() + widePeeringRoutes()
            + asymmetricPeeringRoutes()
            + shadowedNetworkACLAllows() + dnsAttributes() + unknowns()
    }

    /// Ingress rules open to 0.0.0.0/0 or ::/0 on a sensitive port, or on a range that contains one.
    func openToWorld() -> [Finding] {
        let used = Set(
            snapshot.networkInterfaces.values.flatMap(\.groupIDs)
                + snapshot.ecsServices.values.flatMap(\.securityGroupIDs))
        return snapshot.securityGroups.values.sorted { $0.id < $1.id }.flatMap { group in
            group.ingress.compactMap { rule -> Finding? in
                let world: Bool
                switch rule.peer {
                case .cidr(let block): world = block.prefixLength == 0
                case .ipv6(let text): world = text == "::/0"
                default: world = false
                }
                let traffic = TrafficSets.rule(rule)
                let ports = Set(sensitivePorts).sorted().filter {
                    !traffic.restricting(.ipProtocol, to: 6...6).restricting(
                        .destinationPort, to: UInt32($0)...UInt32($0)
                    ).isEmpty
                }
                guard world, !ports.isEmpty else { return nil }
                return Finding(
                    rule: "SG_OPEN_TO_WORLD", severity: used.contains(group.id) ? .high : .medium,
                    title:
                        "\(index.label(group.id)) admits \(rule.peer) on sensitive port(s) \(ports.map(String.init).joined(separator: ", "))",
                    evidence: [
                        ComponentChanges.ruleLine(rule, inbound: true),
                        used.contains(group.id) ? "in use (interfaces or ECS services)" : "attached to nothing",
                    ],
                    sources: [rule.source],
                    remediation:
                        "narrow the rule to the sources that need the port (a security group or known CIDR blocks)")
            }
        }
    }

    /// References to groups whose peering is gone, or that are not in the snapshot.
    func staleReferences() -> [Finding] {
        snapshot.securityGroups.values.sorted { $0.id < $1.id }.flatMap { group in
            (group.ingress + group.egress).compactMap { rule -> Finding? in
                guard case .group(let reference) = rule.peer else { return nil }
                // A new active peering between the same VPCs makes the reference live again (§21).
                let revived = reference.vpcID.map { index.referenceIsLive(from: group.vpcID, to: $0) } ?? false
                if !revived, let status = reference.peeringStatus, status != "active" {
                    return Finding(
                        rule: "SG_STALE_REFERENCE", severity: .medium,
                        title: "\(index.label(group.id)) references \(reference) across a peering that is \(status)",
                        evidence: ["peering \(reference.peeringConnectionID ?? "?") status \(status)"],
                        sources: [rule.source],
                        remediation: "remove the stale rule, or re-create the peering connection and the reference")
                }
                if !revived, let id = reference.peeringConnectionID,
                    snapshot.peeringConnections[id].map({ !$0.isActive }) ?? false
                {
                    return Finding(
                        rule: "SG_STALE_REFERENCE", severity: .medium,
                        title:
                            "\(index.label(group.id)) references \(reference) across peering \(id), which is not active",
                        evidence: ["peering \(id) status \(snapshot.peeringConnections[id]?.status ?? "?")"],
                        sources: [rule.source],
                        remediation: "remove the stale rule, or accept or re-create the peering connection")
                }
                guard snapshot.securityGroups[reference.groupID] == nil else { return nil }
                return Finding(
                    rule: "SG_UNKNOWN_REFERENCE", severity: .low,
                    title: "\(index.label(group.id)) references \(reference), which is not in the snapshot",
                    evidence: ["referenced group \(reference.groupID)\(reference.vpcID.map { " in \($0)" } ?? "")"],
                    sources: [rule.source],
                    remediation: "export the account that owns the group, or remove the rule if the group is gone")
            }
        }
    }

    /// Groups no interface and no ECS service uses.
    func unusedGroups() -> [Finding] {
        let used = Set(
            snapshot.networkInterfaces.values.flatMap(\.groupIDs)
                + snapshot.ecsServices.values.flatMap(\.securityGroupIDs))
        return snapshot.securityGroups.values.sorted { $0.id < $1.id }.filter {
            !used.contains($0.id) && $0.name != "default"
        }.map { group in
            Finding(
                rule: "SG_UNUSED", severity: .low,
                title: "\(index.label(group.id)) is attached to no interface and used by no ECS service",
                evidence: [group.id], sources: [group.source], remediation: "delete the group if nothing will use it")
        }
    }

    func blackholeRoutes() -> [Finding] {
        snapshot.routeTables.values.sorted { $0.id < $1.id }.flatMap { table in
            table.routes.filter { $0.state == .blackhole }.map { route in
                Finding(
                    rule: "ROUTE_BLACKHOLE", severity: .medium,
                    title: "route \(route.destination) -> \(route.target) in \(index.label(table.id)) is a blackhole",
                    evidence: ["\(table.id): \(route.destination) -> \(route.target) (blackhole)"],
                    sources: [route.source],
                    remediation: "delete the route or point it at a working target")
            }
        }
    }

    func widePeeringRoutes() -> [Finding] {
        snapshot.routeTables.values.sorted { $0.id < $1.id }.flatMap { table in
            table.routes.compactMap { route -> Finding? in
                guard case .peeringConnection(let id) = route.target, case .cidr(let block) = route.destination,
                    let peering = snapshot.peeringConnections[id], let peer = peering.peer(of: table.vpcID)
                else { return nil }
                let peerBlocks = snapshot.vpcs[peer.vpcID]?.cidrBlocks ?? peer.cidrBlocks
                guard block.prefixLength == 0 || peerBlocks.contains(where: { block.contains($0) }) else { return nil }
                return Finding(
                    rule: "PEERING_WIDE_ROUTE", severity: .medium,
                    title:
                        "\(index.label(table.id)) routes \(block) to \(index.label(id)): the whole \(block.prefixLength == 0 ? "address space" : "peer VPC"), not only the subnets in use",
                    evidence: [
                        "\(table.id): \(block) -> \(id)",
                        "subnets using it: \(subnets(using: table).map(\.id).joined(separator: ", "))",
                    ],
                    sources: [route.source],
                    remediation:
                        "route only the peer subnets that are needed, and only in the route tables of the subnets that need them"
                )
            }
        }
    }

    /// The subnets that use a table, explicitly or as their VPC's main table.
    func subnets(using table: RouteTable) -> [Subnet] {
        snapshot.subnets.values.filter { index.routeTable(forSubnet: $0.id)?.id == table.id }.sorted { $0.id < $1.id }
    }

    /// A subnet routes to a peer subnet over a peering, but the peer subnet's table does not route back.
    func asymmetricPeeringRoutes() -> [Finding] {
        var findings: [Finding] = []
        for table in snapshot.routeTables.values.sorted(by: { $0.id < $1.id }) {
            for route in table.routes {
                guard case .peeringConnection(let id) = route.target, route.state == .active,
                    case .cidr(let block) = route.destination,
                    let peering = snapshot.peeringConnections[id], peering.isActive,
                    let peer = peering.peer(of: table.vpcID)
                else { continue }
                let local = subnets(using: table)
                let remote = snapshot.subnets.values.filter { $0.vpcID == peer.vpcID && $0.cidrBlock.overlaps(block) }
                    .sorted { $0.id < $1.id }
                for far in remote {
                    guard let back = index.routeTable(forSubnet: far.id) else { continue }
                    // The way back as the route stage takes it: longest prefix, active, via this peering.
                    let missing = local.filter { near in
                        !back.sendsAll(
                            IntervalSet(near.cidrBlock.range), to: .peeringConnection(id),
                            prefixLists: index.prefixListBlocks)
                    }
                    guard !missing.isEmpty else { continue }
                    findings.append(
                        Finding(
                            rule: "PEERING_ASYMMETRIC_ROUTES", severity: .high,
                            title:
                                "\(index.label(table.id)) routes \(block) to \(index.label(id)), but \(index.label(back.id)) of \(index.label(far.id)) has no route back to \(missing.map { $0.cidrBlock.description }.joined(separator: ", "))",
                            evidence: [
                                "\(table.id): \(block) -> \(id)",
                                "\(back.id) used by \(far.id): no route to \(missing.map(\.id).joined(separator: ", ")) via \(id)",
                            ],
                            sources: [route.source, back.source],
                            remediation:
                                "add routes for \(missing.map { $0.cidrBlock.description }.joined(separator: ", ")) via \(id) to \(back.id), or remove the one-way route"
                        ))
                }
            }
        }
        return findings
    }

    /// Allow entries that an earlier deny entry of the same ACL and direction (partly) overrides.
    func shadowedNetworkACLAllows() -> [Finding] {
        snapshot.networkACLs.values.sorted { $0.id < $1.id }.flatMap { acl in
            [false, true].flatMap { egress -> [Finding] in
                let entries = acl.entries.filter { $0.isEgress == egress && $0.cidrBlock != nil }.sorted {
                    $0.ruleNumber < $1.ruleNumber
                }
                var earlierDenies: [(NetworkACLEntry, PacketSet)] = []
                var findings: [Finding] = []
                for entry in entries {
                    let field: PacketField = egress ? .destinationAddress : .sourceAddress
                    let set = TrafficSets.rule(entry.ipProtocol, portRange: entry.portRange, icmp: entry.icmpTypeCode)
                        .restricting(field, to: entry.cidrBlock?.range ?? 0...0)
                    if entry.allows, entry.ruleNumber < 32767 {
                        let shadowing = earlierDenies.filter { !$0.1.intersection(set).isEmpty }
                        if !shadowing.isEmpty {
                            let covered = set.isSubset(of: shadowing.reduce(PacketSet.empty) { $0.union($1.1) })
                            findings.append(
                                Finding(
                                    rule: "NACL_SHADOWED_ALLOW", severity: covered ? .medium : .low,
                                    title:
                                        "\(egress ? "outbound" : "inbound") allow rule \(entry.ruleNumber) of \(index.label(acl.id)) is \(covered ? "fully" : "partly") overridden by earlier deny rule(s) \(shadowing.map { String($0.0.ruleNumber) }.joined(separator: ", "))",
                                    evidence: shadowing.map {
                                        "rule \($0.0.ruleNumber) deny \($0.0.ipProtocol) \($0.0.portRange.map(PortText.range) ?? "all") \($0.0.cidrBlock?.description ?? "")"
                                    }
                                        + [
                                            "rule \(entry.ruleNumber) allow \(entry.ipProtocol) \(entry.portRange.map(PortText.range) ?? "all") \(entry.cidrBlock?.description ?? "")"
                                        ],
                                    sources: shadowing.map(\.0.source) + [entry.source],
                                    remediation:
                                        "renumber the rules so that the intended allow comes first, or narrow the deny")
                            )
                        }
                    }
                    if !entry.allows { earlierDenies.append((entry, set)) }
                }
                return findings
            }
        }
    }

    /// VPCs associated with private zones whose DNS attributes are off or not exported.
    func dnsAttributes() -> [Finding] {
        let associated = Set(
            snapshot.hostedZones.values.flatMap { $0.isPrivate ? ($0.vpcAssociations ?? []).map(\.vpcID) : [] })
        return associated.sorted().compactMap { id in
            guard let vpc = snapshot.vpcs[id], vpc.dnsSupport != true || vpc.dnsHostnames != true else { return nil }
            let off = vpc.dnsSupport == false || vpc.dnsHostnames == false
            return Finding(
                rule: "VPC_DNS_ATTRIBUTES", severity: off ? .medium : .info,
                title:
                    "\(index.label(id)) is associated with a private zone but enableDnsSupport/enableDnsHostnames are \(off ? "not both on" : "not exported")",
                evidence: [
                    "enableDnsSupport \(vpc.dnsSupport.map(String.init) ?? "?")",
                    "enableDnsHostnames \(vpc.dnsHostnames.map(String.init) ?? "?")",
                ],
                sources: [vpc.source],
                remediation: off
                    ? "turn both attributes on (ec2 modify-vpc-attribute)"
                    : "export describe-vpc-attribute for both attributes")
        }
    }

    /// What the snapshot cannot decide: unreadable parts and targets that are not modelled.
    func unknowns() -> [Finding] {
        let incomplete = snapshot.incompleteness.map { item in
            Finding(
                rule: "SNAPSHOT_INCOMPLETE", severity: .high, title: item.reason,
                evidence: [item.vpcID ?? "whole snapshot"], sources: [],
                remediation: "re-export the file; answers touching this part are unknown")
        }
        let unmodelled = snapshot.routeTables.values.sorted { $0.id < $1.id }.flatMap { table in
            table.routes.filter { $0.state == .active }.compactMap { route -> Finding? in
                let missing: Bool
                switch route.target {
                case .internetGateway(let id): missing = snapshot.internetGateways[id] == nil
                case .natGateway(let id): missing = snapshot.natGateways[id] == nil
                case .peeringConnection(let id): missing = snapshot.peeringConnections[id] == nil
                default: missing = false
                }
                if missing {
                    return Finding(
                        rule: "UNMODELLED_TARGET", severity: .info,
                        title:
                            "\(index.label(table.id)) routes \(route.destination) to \(route.target), which is not in the snapshot",
                        evidence: ["\(table.id): \(route.destination) -> \(route.target)"], sources: [route.source],
                        remediation:
                            "answers through this route are unknown; export the resource (or the account that owns it)")
                }
                switch route.target {
                case .transitGateway, .virtualPrivateGateway, .vpcEndpoint, .networkInterface, .instance,
                    .egressOnlyInternetGateway, .other:
                    return Finding(
                        rule: "UNMODELLED_TARGET", severity: .info,
                        title:
                            "\(index.label(table.id)) routes \(route.destination) to \(route.target); what lies beyond is outside the snapshot",
                        evidence: ["\(table.id): \(route.destination) -> \(route.target)"], sources: [route.source],
                        remediation:
                            "answers through this route are unknown: the snapshot does not cover what lies beyond \(route.target)"
                    )
                default: return nil
                }
            }
        }
        return incomplete + unmodelled
    }
}
