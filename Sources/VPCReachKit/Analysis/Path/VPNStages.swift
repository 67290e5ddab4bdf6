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
        // Static routes of a connection with a tunnel up carry their blocks; of one whose tunnels
        // are all down, drop them (a connection that carries traffic is asked first).
        func order(_ connection: VPNConnection) -> Int {
            switch connection.carriesTraffic {
            case true?: 0
            case nil: 1
            case false?: 2
            }
        }
        for connection in connections.sorted(by: { (order($0), $0.id) < (order($1), $1.id) }) {
            let covered = remaining.intersection(IntervalSet(connection.staticRoutes.map(\.range)))
            guard !covered.isEmpty else { continue }
            remaining = remaining.subtracting(covered)
            let packets = portion.restricting(.destinationAddress, to: covered)
            if vpnCarries(packets, connection, code: .badStateVPN, stage: &stage) {
                stage.hop.details.append(
                    "\(TrafficSets.addresses(covered)) leaves on premises over VPN connection \(index.label(connection.id)) (static route, \(connection.tunnelsUp) of \(connection.tunnels) tunnels up)"
                )
            }
        }
        guard !remaining.isEmpty else { return }
        let rest = portion.restricting(.destinationAddress, to: remaining)
        // Routes a BGP session learned are withdrawn when it goes down: a propagated route with one
        // up names a block the gateway knows. Static connections' blocks were matched above.
        let upBGP = connections.filter { !$0.staticRoutesOnly && $0.carriesTraffic == true }
        if route.isPropagated, !upBGP.isEmpty {
            stage.hop.details.append(
                "\(TrafficSets.addresses(remaining)) leaves on premises over \(upBGP.map { index.label($0.id) }.joined(separator: ", ")) (a route the gateway propagated)"
            )
        } else if let dynamic = connections.first(where: { !$0.staticRoutesOnly && $0.carriesTraffic != false }) {
            stage.markUnknown(
                rest,
                "VPN connection \(index.label(dynamic.id)) learns its routes over BGP, which no export lists: whether it knows \(TrafficSets.addresses(remaining)) is unknown"
            )
        } else if route.isPropagated {
            stage.markUnknown(
                rest,
                "\(index.label(id)) propagated the route \(route.destination), but no VPN connection of the snapshot that carries traffic knows it: it may come from a Direct Connect virtual interface (not modeled)"
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
        guard vpnCarries(packets, connection, code: .tgwBadStateVPN, stage: &stage) else { return TransitStages() }
        stage.hop.details.append(
            "leaves on premises over VPN connection \(index.label(connection.id)) (\(connection.tunnelsUp) of \(connection.tunnels) tunnels up)"
        )
        var result = TransitStages()
        result.toVPN = [(TransitEntry(gateway: entry.gateway, attachment: attachment, subnetID: nil), packets)]
        return result
    }

    /// Whether `connection` carries `packets`; when it does not, they are denied with `code`, and
    /// when its tunnels' status was not exported, undecided.
    func vpnCarries(
        _ packets: PacketSet, _ connection: VPNConnection, code: ExplanationCode, stage: inout StageResult
    ) -> Bool {
        switch connection.carriesTraffic {
        case true?: return true
        case false?: denyVPN(packets, connection, code: code, stage: &stage)
        case nil:
            stage.markUnknown(
                packets,
                "the tunnels' status of VPN connection \(index.label(connection.id)) is not in the export (VgwTelemetry)"
            )
        }
        return false
    }

    private func denyVPN(
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
