import PacketSets

/// Site-to-Site VPN (semantics §42): on premises is outside the snapshot, so a VPN delivers what it
/// knows a route for while one of its tunnels is up; BGP-learned routes are in no export.
extension PathAnalyzer {
    /// A VPC route to virtual private gateway `id` (from a subnet of `vpcID`) toward `target`.
    func vpnGatewayRoute(
        _ id: String, route: Route, vpcID: String, target: Endpoint, portion: PacketSet, stage: inout StageResult
    ) {
        guard let gateway = snapshot.vpnGateways[id] else {
            stage.markUnknown(
                portion,
                "traffic to \(target.label) goes to virtual private gateway \(id) (VPN or Direct Connect), which the snapshot does not cover (export describe-vpn-gateways and describe-vpn-connections)"
            )
            return
        }
        guard gateway.isAvailable, gateway.attachedVPCIDs.contains(vpcID) else {
            stage.deny(
                portion, code: .badState, component: id,
                "virtual private gateway \(index.label(id)) is \(gateway.isAvailable ? "not attached to \(index.label(vpcID))" : gateway.state)",
                fix: "attach \(id) to \(vpcID)", sources: [gateway.source])
            return
        }
        guard !target.isInternal else {
            stage.markUnknown(
                portion,
                "\(route.destination) -> \(id) carries traffic for \(target.label) on premises; whether the network there sends it back into AWS is outside the snapshot"
            )
            return
        }
        let connections = snapshot.vpnConnections.values.filter { $0.vpnGatewayID == id }.sorted { $0.id < $1.id }
        guard !connections.isEmpty else {
            stage.markUnknown(
                portion,
                snapshot.vpnConnections.isEmpty
                    ? "the VPN connections of \(index.label(id)) are not in the snapshot (export describe-vpn-connections)"
                    : "no VPN connection of the snapshot uses \(index.label(id)); a Direct Connect virtual interface may (not modeled)"
            )
            return
        }
        var remaining = portion.values(of: .destinationAddress)
        // Static routes of a connection with a tunnel up carry their blocks; of one whose tunnels are all down, drop them.
        for connection in connections.sorted(by: {
            ($0.carriesTraffic ? 0 : 1, $0.id) < ($1.carriesTraffic ? 0 : 1, $1.id)
        }) {
            let covered = remaining.intersection(IntervalSet(connection.staticRoutes.map(\.range)))
            guard !covered.isEmpty else { continue }
            remaining = remaining.subtracting(covered)
            let packets = portion.restricting(.destinationAddress, to: covered)
            if connection.carriesTraffic {
                stage.hop.details.append(
                    "\(TrafficSets.addresses(covered)) leaves on premises over VPN connection \(index.label(connection.id)) (static route, \(connection.tunnelsUp) of \(connection.tunnels) tunnels up)"
                )
            } else {
                denyVPN(packets, connection, code: .badStateVPN, stage: &stage)
            }
        }
        guard !remaining.isEmpty else { return }
        let rest = portion.restricting(.destinationAddress, to: remaining)
        let up = connections.filter(\.carriesTraffic)
        if route.isPropagated, !up.isEmpty {
            // The gateway propagated this route to the table: it knows the prefix.
            stage.hop.details.append(
                "\(TrafficSets.addresses(remaining)) leaves on premises over \(up.map { index.label($0.id) }.joined(separator: ", ")) (a route the gateway propagated)"
            )
        } else if let dynamic = up.first(where: { !$0.staticRoutesOnly }) {
            stage.markUnknown(
                rest,
                "VPN connection \(index.label(dynamic.id)) learns its routes over BGP, which no export lists: whether it knows \(TrafficSets.addresses(remaining)) is unknown"
            )
        } else if let down = connections.first(where: { !$0.staticRoutesOnly }) {
            denyVPN(rest, down, code: .badStateVPN, stage: &stage)
        } else {
            stage.deny(
                rest, code: .noRouteToDestination, component: id,
                "no VPN connection of \(index.label(id)) has a static route to \(TrafficSets.addresses(remaining)) (\(target.label)): the gateway drops it",
                fix:
                    "add a static route for \(TrafficSets.addresses(remaining)) to \(connections[0].id) (aws ec2 create-vpn-connection-route)",
                sources: connections.map(\.source))
        }
    }

    /// Packets a transit gateway sends out of VPN attachment `attachment` toward `target`.
    func toVPN(
        _ packets: PacketSet, through attachment: TransitGatewayAttachment, from entry: TransitEntry,
        target: Endpoint, stage: inout StageResult
    ) -> TransitStages {
        guard let connection = snapshot.vpnConnections[attachment.resourceID] else {
            stage.markUnknown(
                packets,
                "VPN connection \(attachment.resourceID) of attachment \(index.label(attachment.id)) is not in the snapshot (export describe-vpn-connections)"
            )
            return TransitStages()
        }
        guard !target.isInternal else {
            stage.markUnknown(
                packets,
                "transit gateway \(index.label(entry.gateway.id)) sends traffic for \(target.label) on premises over \(index.label(connection.id)); whether it comes back into AWS is outside the snapshot"
            )
            return TransitStages()
        }
        guard connection.carriesTraffic else {
            denyVPN(packets, connection, code: .tgwBadStateVPN, stage: &stage)
            return TransitStages()
        }
        stage.hop.details.append(
            "leaves on premises over VPN connection \(index.label(connection.id)) (\(connection.tunnelsUp) of \(connection.tunnels) tunnels up)"
        )
        var result = TransitStages()
        result.toVPN = [(TransitEntry(gateway: entry.gateway, attachment: attachment, subnetID: nil), packets)]
        return result
    }

    func denyVPN(
        _ packets: PacketSet, _ connection: VPNConnection, code: ExplanationCode, stage: inout StageResult
    ) {
        let why =
            connection.state != "available"
            ? "is \(connection.state)" : "has every tunnel down (\(connection.tunnels) of \(connection.tunnels))"
        stage.deny(
            packets, code: code, component: connection.id,
            "VPN connection \(index.label(connection.id)) \(why): it carries no traffic",
            fix: "bring a tunnel of \(connection.id) up (check the customer gateway's IKE/IPsec configuration)",
            sources: [connection.source])
    }
}

extension PathAnalyzer {
    /// Where traffic from on premises enters a transit gateway toward `destination` (§42): the
    /// destination VPC routes the source's addresses to a transit gateway whose table for the
    /// VPC's attachment sends them to a VPN attachment; the traffic arrives through that one.
    /// A connection that carries nothing is a denial of the entry stage.
    func onPremisesEntries(_ source: Endpoint, _ destination: Endpoint, flow: PacketSet) -> [(TransitEntry, PacketSet)]
    {
        guard let subnetID = destination.subnetID, let vpcID = destination.vpcID,
            let table = index.routeTable(forSubnet: subnetID)
        else { return [] }
        var entries: [(TransitEntry, PacketSet)] = []
        let (choices, _) = lookup(table, source.addresses)
        for choice in choices {
            guard let route = choice.route, route.state == .active, case .transitGateway(let id) = route.target,
                let gateway = snapshot.transitGateways[id], gateway.isAvailable,
                let home = index.transitAttachments(of: vpcID, to: id).first(where: \.isAvailable),
                let tableID = home.routeTableID, let transitTable = snapshot.transitGatewayRouteTables[tableID],
                transitTable.routes != nil, !transitTable.truncated
            else { continue }
            let (picks, _) = transitTable.lookup(choice.addresses, prefixLists: index.prefixListBlocks)
            for pick in picks {
                guard let transitRoute = pick.route, transitRoute.state == .active,
                    transitRoute.attachmentIDs.count == 1, let attachmentID = transitRoute.attachmentIDs.first,
                    let attachment = snapshot.transitGatewayAttachments[attachmentID], attachment.kind == .vpn
                else { continue }
                entries.append(
                    (
                        TransitEntry(gateway: gateway, attachment: attachment, subnetID: nil),
                        flow.restricting(.sourceAddress, to: pick.addresses)
                    ))
            }
        }
        return entries
    }
}
