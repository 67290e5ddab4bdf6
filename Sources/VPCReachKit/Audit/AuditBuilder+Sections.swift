import PacketSets

/// Peering and DNS sections.
extension AuditBuilder {
    /// The route tables in `vpcID` whose routes to `peering` exist, with the subnets that use each.
    func routes(to peering: String) -> [(table: RouteTable, route: Route)] {
        snapshot.routeTables.values.sorted { $0.id < $1.id }.flatMap { table in
            table.routes.filter { $0.target == .peeringConnection(peering) }.map { (table, $0) }
        }
    }

    /// Whether a route to a peering covers 0.0.0.0/0 or a whole block of the peer VPC.
    func isWide(_ route: Route, peerBlocks: [CIDRBlock]) -> Bool {
        guard case .cidr(let block) = route.destination else { return false }
        return block.prefixLength == 0 || peerBlocks.contains { block.contains($0) }
    }

    func peeringReviews() -> [PeeringReview] {
        snapshot.peeringConnections.values.sorted { $0.id < $1.id }.map { peering in
            let routes = routes(to: peering.id)
            let narrow = routes.allSatisfy { table, route in
                let peer = peering.peer(of: table.vpcID)
                let blocks = peer.flatMap { snapshot.vpcs[$0.vpcID]?.cidrBlocks } ?? peer?.cidrBlocks ?? []
                return !isWide(route, peerBlocks: blocks)
            }
            return PeeringReview(
                id: peering.id, name: peering.tags.name, status: peering.status,
                requesterVPC: index.label(peering.requester.vpcID),
                accepterVPC: index.label(peering.accepter.vpcID),
                requesterCIDRs: peering.requester.cidrBlocks.map(\.description),
                accepterCIDRs: peering.accepter.cidrBlocks.map(\.description),
                requesterRemoteDNS: peering.requester.allowsRemoteDNSResolution,
                accepterRemoteDNS: peering.accepter.allowsRemoteDNSResolution,
                routes: routes.map { table, route in
                    "\(index.label(table.id)) in \(table.vpcID): \(route.destination) (\(route.state))"
                },
                narrow: narrow)
        }
    }

    func transitGatewayReviews() -> [TransitGatewayReview] {
        func attachmentText(_ id: String) -> String {
            guard let attachment = snapshot.transitGatewayAttachments[id] else { return id }
            return "\(index.label(id)) (\(attachment.kind) \(index.label(attachment.resourceID)))"
        }
        return snapshot.transitGateways.values.sorted { $0.id < $1.id }.map { gateway in
            let attachments = snapshot.transitGatewayAttachments.values.filter { $0.transitGatewayID == gateway.id }
                .sorted { $0.id < $1.id }
            let tables = snapshot.transitGatewayRouteTables.values.filter { $0.transitGatewayID == gateway.id }
                .sorted { $0.id < $1.id }.map { table in
                    TransitGatewayReview.Table(
                        id: table.id, name: table.tags.name,
                        associations: attachments.filter { $0.routeTableID == table.id }.map { attachmentText($0.id) },
                        routes: (table.routes ?? []).map { route in
                            let targets =
                                route.state == .blackhole
                                ? "blackhole" : route.attachmentIDs.map(attachmentText).joined(separator: ", ")
                            return
                                "\(route.destination) -> \(targets) (\(route.isStatic ? "static" : "propagated")\(route.state == .active || route.state == .blackhole ? "" : ", \(route.state)"))"
                        },
                        complete: table.routes != nil && !table.truncated)
                }
            return TransitGatewayReview(
                id: gateway.id, name: gateway.tags.name, state: gateway.state,
                securityGroupReferencing: gateway.securityGroupReferencing,
                attachments: attachments.map {
                    "\(index.label($0.id)): \($0.kind) \(index.label($0.resourceID)) (\($0.state))"
                }, routeTables: tables)
        }
    }

    func dnsReview() -> DNSReview {
        let zones = snapshot.hostedZones.values.sorted { ($0.name, $0.id) < ($1.name, $1.id) }.map { zone in
            DNSReview.Zone(
                id: zone.id, name: zone.name, isPrivate: zone.isPrivate,
                vpcs: zone.vpcAssociations?.map(\.vpcID).sorted(),
                records: zone.recordSets?.count)
        }
        let associated = Set(
            snapshot.hostedZones.values.flatMap { $0.isPrivate ? ($0.vpcAssociations ?? []).map(\.vpcID) : [] })
        let missing = associated.sorted().compactMap { id -> String? in
            guard let vpc = snapshot.vpcs[id] else { return nil }
            guard vpc.dnsSupport != true || vpc.dnsHostnames != true else { return nil }
            func text(_ value: Bool?) -> String { value.map { $0 ? "on" : "off" } ?? "not exported" }
            return
                "\(index.label(id)): enableDnsSupport \(text(vpc.dnsSupport)), enableDnsHostnames \(text(vpc.dnsHostnames))"
        }
        return DNSReview(zones: zones, unresolved: unresolvedNames(), vpcsMissingAttributes: missing)
    }

    /// Names of private zones that a VPC uses (it routes to their addresses over a peering) but
    /// that do not resolve from it.
    func unresolvedNames() -> [String] {
        let resolver = DNSResolver(index: index)
        var lines: [String] = []
        for zone in snapshot.hostedZones.values.sorted(by: { $0.id < $1.id }) where zone.isPrivate {
            guard let homes = zone.vpcAssociations?.map(\.vpcID).sorted(), let records = zone.recordSets else {
                continue
            }
            let names = Set(
                records.filter { ["A", "CNAME"].contains($0.type) && !$0.name.hasPrefix("*.") }.map(\.name)
            ).sorted()
            for name in names {
                // The addresses, as any associated VPC resolves them.
                let answers = homes.lazy.compactMap { home -> [IPv4Address]? in
                    if case .addresses(let found, _, _) = resolver.resolve(name, fromVPC: home) { return found }
                    return nil
                }
                guard let addresses = answers.first, let home = homes.first else { continue }
                for vpc in snapshot.vpcs.values.sorted(by: { $0.id < $1.id })
                where vpc.id != home && !homes.contains(vpc.id) {
                    let routed = addresses.contains { address in routesOverPeering(from: vpc.id, to: address) }
                    guard routed else { continue }
                    switch resolver.resolve(name, fromVPC: vpc.id) {
                    case .addresses: continue
                    case .failure(let failure):
                        lines.append("\(name) from \(index.label(vpc.id)): \(failure.reason)")
                    case .unknown(let reason):
                        lines.append("\(name) from \(index.label(vpc.id)): \(reason)")
                    }
                }
            }
        }
        return lines
    }

    /// Whether some route table of `vpcID` sends `address` to an active peering, by longest prefix
    /// match as the route stage does.
    func routesOverPeering(from vpcID: String, to address: IPv4Address) -> Bool {
        snapshot.routeTables.values.contains { table in
            guard table.vpcID == vpcID else { return false }
            return table.lookup(IntervalSet(address.value...address.value), prefixLists: index.prefixListBlocks).choices
                .contains { choice in
                    guard let route = choice.route, route.state == .active,
                        case .peeringConnection(let id) = route.target
                    else { return false }
                    return snapshot.peeringConnections[id]?.isActive == true
                }
        }
    }
}
