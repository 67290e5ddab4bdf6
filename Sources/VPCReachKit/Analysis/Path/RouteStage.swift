import PacketSets

/// Route tables: longest prefix match over the subnet's table, then the target decides whether the
/// packet can get where it is going.
extension PathAnalyzer {
    /// Longest prefix match of `destinations` over `table` (``RouteTable/lookup(_:prefixLists:)``,
    /// semantics §9-§11), with the snapshot's prefix-list entries.
    func lookup(_ table: RouteTable, _ destinations: IntervalSet) -> (choices: [RouteChoice], undecided: IntervalSet) {
        table.lookup(destinations, prefixLists: index.prefixListBlocks)
    }

    /// The blockers of the route table `sender`'s subnet uses, when that table alone drops every
    /// packet from any address toward `target` (`forward CODE component`, the sender written
    /// `source`, sorted); `nil` when some packet gets past it, `sender` has no subnet or `target`
    /// is named by its public address. With
    /// `eachCoveringAll`, every denial must also drop the whole flow, so that each blocker holds for
    /// every pair of addresses (a matrix cell over many pairs names only such blockers).
    func routeBlockers(from sender: Endpoint, to target: Endpoint, eachCoveringAll: Bool = false) -> [BlockerKey]? {
        // A public address is reached over the internet (§30a): not decided by the private route.
        guard let subnet = sender.subnetID, target.addressing != .publicAddress else { return nil }
        // AWS answers service addresses itself (§7a): no route decides them.
        if case .service = target.kind { return nil }
        let flow = TrafficSets.flow(
            traffic, ephemeral: traffic.ephemeralPorts ?? 0...65535, from: IntervalSet(0...UInt32.max),
            to: target.addresses
        )
        let outcome = routeStage(from: subnet, sender: sender, to: target, packets: flow, direction: .forward)
        var stage = outcome.stage
        // A transit gateway's route table decides as the sender's does (§41): what it drops is decided here too.
        for (entry, portion) in outcome.transit {
            stage.denials += transitTableStage(entry, to: target, packets: portion).denials
        }
        guard flow.subtracting(stage.denied).isEmpty else { return nil }
        if eachCoveringAll, !stage.denials.allSatisfy({ flow.subtracting($0.packets).isEmpty }) { return nil }
        return Set(
            stage.denials.map { BlockerKey(.forward, $0.code, at: $0.component) { $0 == sender.id ? .source : nil } }
        )
        .sorted()
    }

    /// Routes `packets` (in the direction they travel) from `subnetID` toward `target`.
    ///
    /// - Parameters:
    ///   - sender: the endpoint sending in this direction (its public address matters at an IGW).
    ///   - target: the endpoint the packets are addressed to.
    /// - Returns: the stage, the packets handed to each NAT gateway (forward internet traffic) and
    ///   to each appliance that forwards (§14a).
    func routeStage(
        from subnetID: String, sender: Endpoint, to target: Endpoint, packets: PacketSet, direction: Direction
    ) -> RouteOutcome {
        guard let subnet = snapshot.subnets[subnetID], let table = index.routeTable(forSubnet: subnetID) else {
            var stage = StageResult(
                direction, kind: .routeTable, component: subnetID, name: index.name(of: subnetID), explains: explains)
            stage.markUnknown(packets, "the route table of subnet \(index.label(subnetID)) is not in the snapshot")
            return RouteOutcome(stage: stage)
        }
        let association =
            index.hasExplicitRouteTable(subnetID) ? "explicitly associated" : "the VPC's main table, used implicitly"
        var stage = StageResult(
            direction, kind: .routeTable, component: table.id, name: table.tags.name,
            details: ["route table of subnet \(index.label(subnetID)) (\(association))"], explains: explains)
        var natPortions: [(NATGateway, PacketSet)] = []
        var appliances: [(NetworkInterface, PacketSet)] = []
        var transit: [(TransitEntry, PacketSet)] = []
        let (choices, undecided) = lookup(table, packets.values(of: .destinationAddress))
        for choice in choices {
            let decided = choice.addresses.subtracting(undecided)
            guard !decided.isEmpty else { continue }
            let portion = packets.restricting(.destinationAddress, to: decided)
            let addresses = TrafficSets.addresses(decided)
            guard let route = choice.route else {
                let fix = explains ? routeFix(table, vpcID: subnet.vpcID, to: target) : nil
                stage.deny(
                    portion, code: .noRouteToDestination,
                    "route table \(index.label(table.id)) has no route to \(addresses) (\(target.label))",
                    fix: fix?.text ?? "", sources: [table.source], remediation: fix?.remediation)
                continue
            }
            let routeText = "\(route.destination) -> \(route.target) (\(route.state))"
            stage.hop.details.append("\(addresses) matches route \(routeText)")
            if route.state == .blackhole {
                stage.deny(
                    portion, code: .badStateRoute,
                    "route \(routeText) in \(index.label(table.id)) is a blackhole: its target no longer exists or is not active",
                    fix: "replace the route \(route.destination) in \(table.id) with one to a working target",
                    sources: [route.source])
                continue
            }
            guard route.state == .active else {
                stage.markUnknown(
                    portion, "route \(routeText) in \(index.label(table.id)) is in state '\(route.state)'")
                continue
            }
            classify(
                route, table: table, subnet: subnet, sender: sender, target: target, portion: portion,
                direction: direction, stage: &stage, nat: &natPortions, appliances: &appliances, transit: &transit)
        }
        if !undecided.isEmpty {
            stage.markUnknown(
                packets.restricting(.destinationAddress, to: undecided),
                "route table \(index.label(table.id)) has a prefix-list route whose entries are not in the snapshot")
        }
        return RouteOutcome(stage: stage, nat: natPortions, appliances: appliances, transit: transit)
    }

    private func classify(
        _ route: Route, table: RouteTable, subnet: Subnet, sender: Endpoint, target: Endpoint, portion: PacketSet,
        direction: Direction,
        stage: inout StageResult, nat: inout [(NATGateway, PacketSet)],
        appliances: inout [(NetworkInterface, PacketSet)], transit: inout [(TransitEntry, PacketSet)]
    ) {
        let vpcID = subnet.vpcID
        switch route.target {
        case .local:
            if target.vpcID == vpcID { return }
            stage.deny(
                portion, code: .vpcLocalRouteCIDRRestriction,
                "the local route of \(index.label(table.id)) delivers only inside \(vpcID)",
                fix: "route \(target.label) through a peering connection", sources: [route.source])
        case .peeringConnection(let id):
            classifyPeering(id, route: route, vpcID: vpcID, target: target, portion: portion, stage: &stage)
        case .internetGateway(let id):
            internetGatewayRoute(
                id, route: route, table: table, vpcID: vpcID, sender: sender, target: target, portion: portion,
                direction: direction, stage: &stage)
        case .natGateway(let id):
            natGatewayRoute(
                id, route: route, table: table, vpcID: vpcID, target: target, portion: portion,
                direction: direction, stage: &stage, nat: &nat)
        case .transitGateway(let id):
            transitGatewayRoute(
                id, route: route, subnet: subnet, target: target, portion: portion, stage: &stage, transit: &transit)
        case .virtualPrivateGateway(let id):
            vpnGatewayRoute(id, route: route, vpcID: vpcID, target: target, portion: portion, stage: &stage)
        case .vpcEndpoint(let id):
            stage.markUnknown(
                portion,
                "traffic to \(target.label) goes to VPC endpoint \(id); the service behind it is outside the snapshot")
        case .networkInterface(let id), .instance(let id):
            applianceRoute(
                id, route: route, table: table, target: target, portion: portion, stage: &stage, appliances: &appliances
            )
        case .egressOnlyInternetGateway(let id), .other(_, let id):
            stage.markUnknown(portion, "traffic to \(target.label) goes to \(id), which is not modeled")
        }
    }

    /// A route to an internet gateway (semantics §28): attached, not toward a snapshot VPC or refused addresses, and a public address for the sender.
    private func internetGatewayRoute(
        _ id: String, route: Route, table: RouteTable, vpcID: String, sender: Endpoint, target: Endpoint,
        portion: PacketSet,
        direction: Direction, stage: inout StageResult
    ) {
        let routeText = "\(route.destination) -> \(route.target)"
        guard let gateway = snapshot.internetGateways[id] else {
            stage.markUnknown(portion, "internet gateway \(id) (route \(routeText)) is not in the snapshot")
            return
        }
        guard gateway.attachedVPCIDs.contains(vpcID) else {
            stage.deny(
                portion, code: .badState, component: id,
                "internet gateway \(index.label(id)) is not attached to \(index.label(vpcID))",
                fix: "attach \(id) to \(vpcID)", sources: [gateway.source])
            return
        }
        if target.isInternal {
            let fix = explains ? routeFix(table, vpcID: vpcID, to: target) : nil
            stage.deny(
                portion, code: .noRouteToDestination,
                "route \(routeText) in \(index.label(table.id)) sends traffic for the private addresses of \(target.label) to an internet gateway, which does not deliver it",
                fix: fix?.text ?? "", sources: [route.source], remediation: fix?.remediation)
            return
        }
        for refusal in AddressSpace.refusedByInternetGateways {
            let privateDestinations = portion.restricting(.destinationAddress, to: refusal.block)
            guard !privateDestinations.isEmpty else { continue }
            stage.deny(
                privateDestinations, code: refusal.egressCode, component: id,
                "route \(routeText) in \(index.label(table.id)) sends traffic for \(refusal.name) addresses (\(addresses(of: privateDestinations))) to internet gateway \(index.label(id)), which does not send traffic to them",
                fix:
                    "route \(addresses(of: privateDestinations)) to the network that holds them (a VPN, a transit gateway, a peering)",
                sources: [route.source])
        }
        stage.hop.details.append("leaves through internet gateway \(index.label(id))")
        // On the way back, the internet-entry stage has already required the public address.
        let unpaired =
            direction == .forward ? sender.withoutPublicAddress(portion, at: .sourceAddress) : (.empty, "")
        if !unpaired.packets.isEmpty {
            stage.deny(
                unpaired.packets, code: .igwPublicIPAssociationForEgress, component: sender.id,
                "\(unpaired.reason), so internet gateway \(index.label(id)) cannot carry its traffic to or from \(target.label)",
                fix:
                    "give \(sender.id) a public or Elastic IP address for that private address, or route it through a NAT gateway"
            )
        }
    }

    /// A route to a NAT gateway (semantics §29): protocols, direction, onward routing, state and VPC.
    private func natGatewayRoute(
        _ id: String, route: Route, table: RouteTable, vpcID: String, target: Endpoint, portion: PacketSet,
        direction: Direction, stage: inout StageResult, nat: inout [(NATGateway, PacketSet)]
    ) {
        let routeText = "\(route.destination) -> \(route.target)"
        guard let gateway = snapshot.natGateways[id] else {
            stage.markUnknown(portion, "NAT gateway \(id) (route \(routeText)) is not in the snapshot")
            return
        }
        // On the way out a NAT gateway drops other protocols, wherever bound (where the route
        // alone already drops everything, that is the answer).
        let decidedByRoute = target.isInternal && natSendsToInternetOnly(gateway, target: target)
        let carried =
            direction == .forward && !decidedByRoute
            ? portion.restricting(.ipProtocol, to: NATGateway.carriedProtocols) : portion
        let dropped = portion.subtracting(carried)
        if !dropped.isEmpty {
            stage.deny(
                dropped, code: .protocolRestriction, component: id,
                "NAT gateway \(index.label(id)) carries only TCP, UDP and ICMP, not \(TrafficSets.protocolNames(dropped.values(of: .ipProtocol)))",
                fix:
                    "send \(TrafficSets.protocolNames(dropped.values(of: .ipProtocol))) another way (a public address and an internet gateway)",
                sources: [gateway.source])
        }
        guard !carried.isEmpty else { return }
        let portion = carried
        guard direction == .forward, !target.isInternal else {
            if direction == .return {
                let back = target.isInternal ? suggestedTarget(from: vpcID, to: target) : ""
                stage.deny(
                    portion, code: .noRouteToDestination,
                    "route table \(index.label(table.id)) has no route back to \(addresses(of: portion)) (\(target.label)): \(routeText) sends the replies to NAT gateway \(index.label(id)), not back the way the requests came",
                    fix: back.isEmpty
                        ? "route \(suggestedDestination(target)) in \(table.id) to the gateway the requests arrive through"
                        : "add a route for \(suggestedDestination(target)) to \(table.id)\(back)",
                    sources: [route.source], remediation: routeFix(table, vpcID: vpcID, to: target).remediation)
            } else if natSendsToInternetOnly(gateway, target: target) {
                let fix = explains ? routeFix(table, vpcID: vpcID, to: target) : nil
                stage.deny(
                    portion, code: .noRouteToDestination,
                    "route \(routeText) in \(index.label(table.id)) sends traffic for \(target.label) to NAT gateway \(index.label(id)), whose subnet routes it to the internet, where private addresses are not delivered",
                    fix: fix?.text ?? "", sources: [route.source], remediation: fix?.remediation)
            } else {
                stage.markUnknown(
                    portion,
                    "traffic to \(target.label) is routed through NAT gateway \(index.label(id)); routing onward from a NAT gateway to another VPC is not modeled"
                )
            }
            return
        }
        guard gateway.isAvailable else {
            stage.deny(
                portion, code: .badState, component: id, "NAT gateway \(index.label(id)) is \(gateway.state)",
                fix: "replace NAT gateway \(id)", sources: [gateway.source])
            return
        }
        guard gateway.vpcID == vpcID else {
            stage.deny(
                portion, code: .ngwRequiresSourceInVPC, component: id,
                "NAT gateway \(index.label(id)) is not in \(vpcID)",
                fix: "use a NAT gateway in \(vpcID)", sources: [gateway.source])
            return
        }
        stage.hop.details.append("handed to NAT gateway \(index.label(id))")
        nat.append((gateway, portion))
    }

    /// A route to an appliance interface or instance (semantics §14a): its source/destination check decides.
    private func applianceRoute(
        _ id: String, route: Route, table: RouteTable, target: Endpoint, portion: PacketSet, stage: inout StageResult,
        appliances: inout [(NetworkInterface, PacketSet)]
    ) {
        let routeText = "\(route.destination) -> \(route.target)"
        let interfaceID =
            route.target == .instance(id)
            ? snapshot.instances[id].flatMap { $0.primaryNetworkInterfaceID ?? $0.networkInterfaceIDs.first } : id
        guard let appliance = interfaceID.flatMap({ snapshot.networkInterfaces[$0] }) else {
            stage.markUnknown(
                portion,
                "traffic to \(target.label) goes to appliance \(index.label(id)) (route \(routeText)), whose interface is not in the snapshot"
            )
            return
        }
        switch appliance.sourceDestCheck {
        case true?:
            stage.deny(
                portion, code: .eniSourceDestCheckRestriction, component: appliance.id,
                "route \(routeText) in \(index.label(table.id)) sends traffic for \(target.label) to \(index.label(appliance.id)), whose source/destination check is on: it drops traffic not addressed to it",
                fix:
                    "turn the source/destination check off on \(appliance.id) (aws ec2 modify-network-interface-attribute --network-interface-id \(appliance.id) --no-source-dest-check)",
                sources: [appliance.source, route.source])
        case false?:
            stage.hop.details.append(
                "handed to appliance \(index.label(appliance.id)) (source/destination check off)")
            appliances.append((appliance, portion))
        case nil:
            stage.markUnknown(
                portion,
                "traffic to \(target.label) goes to appliance \(index.label(appliance.id)), and the export does not say whether its source/destination check is on (SourceDestCheck)"
            )
        }
    }

    /// A route table's decision and where it hands packets on.
    struct RouteOutcome {
        var stage: StageResult
        /// Packets handed to each NAT gateway (forward internet traffic).
        var nat: [(NATGateway, PacketSet)] = []
        /// Packets handed to each appliance interface whose source/destination check is off.
        var appliances: [(NetworkInterface, PacketSet)] = []
        /// Packets handed to a transit gateway (§41).
        var transit: [(TransitEntry, PacketSet)] = []
    }

    private func classifyPeering(
        _ id: String, route: Route, vpcID: String, target: Endpoint, portion: PacketSet, stage: inout StageResult
    ) {
        guard let peering = snapshot.peeringConnections[id] else {
            stage.markUnknown(
                portion, "peering connection \(id) (route \(route.destination) -> \(id)) is not in the snapshot")
            return
        }
        guard peering.isActive else {
            stage.deny(
                portion, code: .badState, component: id,
                "peering connection \(index.label(id)) is \(peering.status), and only active peering connections carry traffic",
                fix: "accept or re-create peering connection \(id)", sources: [peering.source])
            return
        }
        guard let peer = peering.peer(of: vpcID) else {
            stage.deny(
                portion, code: .badState, component: id,
                "peering connection \(index.label(id)) does not connect \(vpcID)",
                fix: "route through a peering connection of \(vpcID)", sources: [peering.source])
            return
        }
        let peerBlocks = peering.peer(of: vpcID).map(\.cidrBlocks) ?? []
        let peerAddresses = IntervalSet(
            (peerBlocks.isEmpty ? snapshot.vpcs[peer.vpcID]?.cidrBlocks ?? [] : peerBlocks).map(\.range))
        let destinations = portion.values(of: .destinationAddress)
        let inside = destinations.isSubset(of: peerAddresses)
        stage.hop.details.append("crosses peering connection \(index.label(id)) (active) to \(index.label(peer.vpcID))")
        if target.isInternal {
            if target.vpcID == peer.vpcID && inside { return }
        } else if snapshot.vpcs[peer.vpcID] == nil && inside {
            stage.markUnknown(
                portion, "\(target.label) is in peer VPC \(peer.vpcID) of \(id), which is not in the snapshot")
            return
        }
        stage.deny(
            portion, code: .pcxRequiresAddressInVPCCIDR, component: id,
            "\(target.label) is not inside the CIDR blocks of \(index.label(peer.vpcID)), and a peering connection carries traffic only to addresses in the peer VPC (no transit, no edge-to-edge routing)",
            fix: "reach \(target.label) another way (a route in \(vpcID) to its own gateway, or a transit gateway)",
            sources: [peering.source, route.source])
    }

    /// Whether the NAT gateway's own subnet sends everything for `target` to an internet gateway or
    /// nowhere: then the translated packets can never reach a private address.
    func natSendsToInternetOnly(_ gateway: NATGateway, target: Endpoint) -> Bool {
        guard let table = index.routeTable(forSubnet: gateway.subnetID) else { return false }
        let (choices, undecided) = lookup(table, target.addresses)
        guard undecided.isEmpty else { return false }
        return choices.allSatisfy { choice in
            guard let route = choice.route else { return true }
            if case .internetGateway = route.target { return route.state == .active }
            return false
        }
    }

    func addresses(of packets: PacketSet) -> String {
        TrafficSets.addresses(packets.values(of: .destinationAddress))
    }

    /// The destination to suggest in a route fix: the target's subnet block, else its addresses.
    func suggestedDestination(_ target: Endpoint) -> String {
        if let subnet = target.subnetID.flatMap({ snapshot.subnets[$0] }) { return subnet.cidrBlock.description }
        return TrafficSets.addresses(target.addresses)
    }

    /// The route that would carry traffic for `target` from `table` (of `vpcID`): in words, and as a
    /// change vpcreach can try when an active peering joins the two VPCs.
    func routeFix(_ table: RouteTable, vpcID: String, to target: Endpoint) -> (text: String, remediation: Remediation?)
    {
        let destination = suggestedDestination(target)
        guard let targetVPC = target.vpcID, targetVPC != vpcID,
            let peering = index.activePeering(between: vpcID, and: targetVPC)
        else {
            return ("add a route for \(destination) to \(table.id)", nil)
        }
        let remediation = CIDRBlock(destination).map { _ in
            Remediation.addRoute(table: table.id, destination: destination, target: peering.id)
        }
        return ("add a route for \(destination) to \(table.id) via \(peering.id)", remediation)
    }

    /// ` via pcx-…` when an active peering joins the two VPCs.
    func suggestedTarget(from vpcID: String, to target: Endpoint) -> String {
        guard let targetVPC = target.vpcID, targetVPC != vpcID,
            let peering = index.activePeering(between: vpcID, and: targetVPC)
        else {
            return ""
        }
        return " via \(peering.id)"
    }
}
