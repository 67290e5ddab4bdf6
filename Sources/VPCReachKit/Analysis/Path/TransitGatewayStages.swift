import PacketSets

/// Transit gateways (semantics §41): a VPC route hands packets to the gateway through the source
/// VPC's attachment in the sender's Availability Zone; the route table associated with that
/// attachment chooses the attachment they leave by; a VPC attachment delivers them through its
/// subnet in the same zone (another of its zones when it has none there, or any with appliance
/// mode), whose network ACL and route table they cross before the destination subnet's.
extension PathAnalyzer {
    /// Where a VPC route hands packets to a transit gateway.
    struct TransitEntry {
        var gateway: TransitGateway
        var attachment: TransitGatewayAttachment
        /// The attachment's subnet in the sender's zone: the packets enter the gateway there (`nil`
        /// for a VPN attachment: they come from on premises, in no zone).
        var subnetID: String?
    }

    /// The stages of packets handed to a transit gateway, and the packets delivered through the
    /// target's own subnet (no network ACL is evaluated between the gateway and an interface in
    /// its attachment subnet: the caller skips the target subnet's inbound ACL for them).
    struct TransitStages {
        var stages: [StageResult] = []
        var deliveredInTargetSubnet = PacketSet.empty
        /// Packets that leave through a VPN attachment to on premises, by attachment: their
        /// replies come back through that attachment's route table.
        var toVPN: [(TransitEntry, PacketSet)] = []
    }

    /// The checks of a VPC route to transit gateway `id` (from `subnet`, a subnet of `vpcID`): the
    /// gateway's and the attachment's states, and an attachment subnet in the sender's zone.
    func transitGatewayRoute(
        _ id: String, route: Route, subnet: Subnet, target: Endpoint, portion: PacketSet, stage: inout StageResult,
        transit: inout [(TransitEntry, PacketSet)]
    ) {
        let routeText = "\(route.destination) -> \(route.target)"
        guard let gateway = snapshot.transitGateways[id] else {
            stage.markUnknown(
                portion,
                "traffic to \(target.label) goes to transit gateway \(id) (route \(routeText)), which is not in the snapshot (export describe-transit-gateways and its attachments and route tables)"
            )
            return
        }
        guard gateway.isAvailable else {
            stage.deny(
                portion, code: .badState, component: id,
                "transit gateway \(index.label(id)) is \(gateway.state), and only available transit gateways forward",
                fix: "wait for or repair transit gateway \(id)", sources: [gateway.source])
            return
        }
        let attachments = index.transitAttachments(of: subnet.vpcID, to: id)
        guard let attachment = attachments.first else {
            stage.markUnknown(
                portion,
                "\(index.label(subnet.vpcID)) routes \(routeText) to transit gateway \(index.label(id)), but no attachment of the VPC to it is in the snapshot (export describe-transit-gateway-attachments and describe-transit-gateway-vpc-attachments)"
            )
            return
        }
        guard attachment.isAvailable else {
            stage.deny(
                portion, code: .badStateAttachment, component: attachment.id,
                "attachment \(index.label(attachment.id)) of \(index.label(subnet.vpcID)) to transit gateway \(index.label(id)) is \(attachment.state), and only available attachments carry traffic",
                fix: "accept or re-create attachment \(attachment.id)", sources: [attachment.source])
            return
        }
        guard attachment.subnetIDs != nil, subnet.availabilityZone != nil else {
            stage.markUnknown(
                portion,
                "which Availability Zones attachment \(index.label(attachment.id)) serves is not in the snapshot (export describe-transit-gateway-vpc-attachments and the subnets' AvailabilityZone)"
            )
            return
        }
        guard let entry = snapshot.attachmentSubnet(attachment, inZoneOf: subnet.id) else {
            let zone = subnet.availabilityZone ?? "?"
            stage.deny(
                portion, code: .tgwRouteAZRestriction, component: attachment.id,
                "attachment \(index.label(attachment.id)) of transit gateway \(index.label(id)) has no subnet in \(zone), the Availability Zone of subnet \(index.label(subnet.id)): traffic from there cannot reach the transit gateway",
                fix:
                    "add a subnet in \(zone) to \(attachment.id) (aws ec2 modify-transit-gateway-vpc-attachment --transit-gateway-attachment-id \(attachment.id) --add-subnet-ids SUBNET)",
                sources: [attachment.source, route.source])
            return
        }
        stage.hop.details.append(
            "handed to transit gateway \(index.label(id)) through attachment \(index.label(attachment.id)) (subnet \(index.label(entry)))"
        )
        transit.append((TransitEntry(gateway: gateway, attachment: attachment, subnetID: entry), portion))
    }

    /// What happens to `packets` (travelling in `direction`) from where they enter the transit
    /// gateway to the subnet of `target`, whose own inbound ACL the caller evaluates.
    func transitStages(
        _ entry: TransitEntry, sender: Endpoint, to target: Endpoint, packets: PacketSet, direction: Direction
    ) -> TransitStages {
        // Toward the gateway, the attachment subnet's inbound rules apply (to the source address).
        let entryACL = entry.subnetID.map {
            networkACLStage(subnet: $0, outbound: false, packets: packets, direction: direction)
        }
        let attachment = entry.attachment
        var stage = StageResult(
            direction, kind: .transitGatewayRouteTable, component: attachment.routeTableID ?? attachment.id,
            name: attachment.routeTableID.flatMap { snapshot.transitGatewayRouteTables[$0]?.tags.name },
            details: ["route table of attachment \(index.label(attachment.id)) on \(index.label(entry.gateway.id))"],
            explains: explains)
        if attachment.kind == .vpn {
            // Arriving from on premises: only over a connection that carries traffic (§42).
            guard let connection = snapshot.vpnConnections[attachment.resourceID] else {
                stage.markUnknown(
                    packets,
                    "VPN connection \(attachment.resourceID) of attachment \(index.label(attachment.id)) is not in the snapshot"
                )
                return TransitStages(stages: [stage])
            }
            guard vpnCarries(packets, connection, code: .tgwBadStateVPN, stage: &stage) else {
                return TransitStages(stages: [stage])
            }
            stage.hop.details.append("arrives from on premises over VPN connection \(index.label(connection.id))")
        }
        var onward = routeThroughTable(
            entry, sender: sender, to: target, packets: packets, direction: direction, stage: &stage)
        onward.stages.insert(contentsOf: [entryACL].compactMap { $0 } + [stage], at: 0)
        return onward
    }

    /// The transit gateway route table's own decision on packets a route hands it (no ACL, no
    /// delivery): what a route decision (§37) takes into account beyond the sender's route table.
    func transitTableStage(_ entry: TransitEntry, to target: Endpoint, packets: PacketSet) -> StageResult {
        var stage = StageResult(
            .forward, kind: .transitGatewayRouteTable, component: entry.attachment.routeTableID ?? entry.attachment.id,
            name: nil, explains: explains)
        _ = routeThroughTable(
            entry, sender: target, to: target, packets: packets, direction: .forward, stage: &stage, delivering: false)
        return stage
    }

    /// The gateway's route table for packets arriving on `entry`'s attachment, and the stages of
    /// the attachments they leave by (`delivering`: follow them out of the gateway).
    private func routeThroughTable(
        _ entry: TransitEntry, sender: Endpoint, to target: Endpoint, packets: PacketSet, direction: Direction,
        stage: inout StageResult, delivering: Bool = true
    ) -> TransitStages {
        let attachment = entry.attachment
        var result = TransitStages()
        guard let tableID = attachment.routeTableID else {
            if attachment.associationState == nil {
                stage.markUnknown(
                    packets,
                    "the route table associated with attachment \(index.label(attachment.id)) is not in the snapshot (export describe-transit-gateway-attachments)"
                )
            } else {
                stage.deny(
                    packets, code: .tgwAttachMissingTGWRTBAssociation, component: attachment.id,
                    "attachment \(index.label(attachment.id)) has no associated transit gateway route table\(attachment.associationState == "disassociated" ? "" : " (association \(attachment.associationState ?? ""))"): the gateway drops what arrives on it",
                    fix:
                        "associate a route table with \(attachment.id) (aws ec2 associate-transit-gateway-route-table --transit-gateway-route-table-id TGW_RTB --transit-gateway-attachment-id \(attachment.id))",
                    sources: [attachment.source])
            }
            return result
        }
        guard let table = snapshot.transitGatewayRouteTables[tableID], table.routes != nil else {
            stage.markUnknown(
                packets,
                "the routes of transit gateway route table \(tableID) are not in the snapshot (export search-transit-gateway-routes for it, as \(tableID).json)"
            )
            return result
        }
        guard !table.truncated else {
            stage.markUnknown(
                packets,
                "the export of transit gateway route table \(index.label(tableID)) stopped at 1,000 routes (AdditionalRoutesAvailable), so which route matches is unknown"
            )
            return result
        }
        let (choices, undecided) = table.lookup(
            packets.values(of: .destinationAddress), prefixLists: index.prefixListBlocks)
        if !undecided.isEmpty {
            stage.markUnknown(
                packets.restricting(.destinationAddress, to: undecided),
                "transit gateway route table \(index.label(tableID)) has a prefix-list route whose entries are not in the snapshot"
            )
        }
        for choice in choices {
            let decided = choice.addresses.subtracting(undecided)
            guard !decided.isEmpty else { continue }
            let portion = packets.restricting(.destinationAddress, to: decided)
            let addresses = TrafficSets.addresses(decided)
            guard let route = choice.route else {
                stage.deny(
                    portion, code: .noRouteToDestination,
                    "transit gateway route table \(index.label(tableID)) has no route to \(addresses) (\(target.label))",
                    fix:
                        "add a route for \(suggestedDestination(target)) to \(tableID) (a static route, or propagate the destination's attachment)",
                    sources: [table.source])
                continue
            }
            let routeText =
                "\(route.destination) -> \(route.attachmentIDs.joined(separator: ", ")) (\(route.isStatic ? "static" : "propagated"), \(route.state))"
            stage.hop.details.append("\(addresses) matches route \(routeText)")
            guard route.state == .active else {
                stage.deny(
                    portion, code: .tgwRTBBadStateRoute,
                    "route \(route.destination) in transit gateway route table \(index.label(tableID)) is a blackhole: the gateway drops what it matches",
                    fix: "replace the blackhole route \(route.destination) in \(tableID) with one to an attachment",
                    sources: [route.source])
                continue
            }
            guard let next = route.attachmentIDs.first else {
                stage.markUnknown(
                    portion, "route \(routeText) is active but its export names no attachment to send to")
                continue
            }
            guard route.attachmentIDs.count == 1 else {
                stage.markUnknown(
                    portion,
                    "route \(routeText) spreads flows over \(route.attachmentIDs.count) attachments (equal-cost paths), and which one a flow takes is chosen per flow"
                )
                continue
            }
            guard delivering else { continue }
            let delivery = deliver(
                portion, through: next, from: entry, sender: sender, target: target, direction: direction,
                stage: &stage)
            result.stages += delivery.stages
            result.deliveredInTargetSubnet.formUnion(delivery.deliveredInTargetSubnet)
            result.toVPN += delivery.toVPN
        }
        return result
    }

    /// Packets leaving the gateway through attachment `id` toward `target`.
    private func deliver(
        _ packets: PacketSet, through id: String, from entry: TransitEntry, sender: Endpoint, target: Endpoint,
        direction: Direction, stage: inout StageResult
    ) -> TransitStages {
        guard let attachment = snapshot.transitGatewayAttachments[id] else {
            stage.markUnknown(packets, "attachment \(id) of transit gateway \(entry.gateway.id) is not in the snapshot")
            return TransitStages()
        }
        guard attachment.isAvailable else {
            stage.deny(
                packets, code: .badStateAttachment, component: id,
                "attachment \(index.label(id)) is \(attachment.state), and only available attachments carry traffic",
                fix: "accept or re-create attachment \(id)", sources: [attachment.source])
            return TransitStages()
        }
        if attachment.kind == .vpn {
            return toVPN(packets, through: attachment, from: entry, target: target, stage: &stage)
        }
        guard attachment.kind == .vpc else {
            stage.markUnknown(
                packets,
                "transit gateway \(index.label(entry.gateway.id)) sends the traffic to \(attachment.kind) attachment \(index.label(id)) (\(attachment.resourceID)); what lies beyond a \(attachment.kind) attachment is not modeled yet"
            )
            return TransitStages()
        }
        guard target.isInternal, target.vpcID == attachment.resourceID else {
            stage.markUnknown(
                packets,
                "transit gateway \(index.label(entry.gateway.id)) sends traffic for \(target.label) into \(index.label(attachment.resourceID)) through \(index.label(id)); routing onward through another VPC (inspection or egress) is not modeled yet"
            )
            return TransitStages()
        }
        guard let subnets = attachment.subnetIDs, !subnets.isEmpty else {
            stage.markUnknown(
                packets,
                "which subnets attachment \(index.label(id)) delivers through is not in the snapshot (export describe-transit-gateway-vpc-attachments)"
            )
            return TransitStages()
        }
        stage.hop.details.append(
            "leaves through attachment \(index.label(id)) into \(index.label(attachment.resourceID))")
        // The entry's zone when the attachment has a subnet there (and no appliance mode); else
        // any of its zones, which AWS picks per flow.
        let sameZone =
            attachment.applianceMode
            ? nil : entry.subnetID.flatMap { snapshot.attachmentSubnet(attachment, inZoneOf: $0) }
        let candidates = sameZone.map { [$0] } ?? subnets.sorted()
        let outcomes = candidates.map { subnet in
            deliveryStages(packets, into: subnet, from: sender, to: target, direction: direction)
        }
        guard var first = outcomes.first else { return TransitStages() }
        if outcomes.count > 1 {
            // A packet is decided only when every zone the gateway may pick decides it alike.
            let deniedEverywhere = outcomes.map { $0.stages.reduce(PacketSet.empty) { $0.union($1.denied) } }
                .reduce(packets) { $0.intersection($1) }
            let deniedSomewhere = outcomes.map { $0.stages.reduce(PacketSet.empty) { $0.union($1.denied) } }
                .reduce(PacketSet.empty) { $0.union($1) }
            for position in first.stages.indices {
                first.stages[position].denials = first.stages[position].denials.compactMap { denial in
                    var narrowed = denial
                    narrowed.packets = denial.packets.intersection(deniedEverywhere)
                    return narrowed.packets.isEmpty ? nil : narrowed
                }
            }
            let zones = candidates.compactMap { snapshot.subnets[$0]?.availabilityZone }.joined(separator: ", ")
            stage.markUnknown(
                deniedSomewhere.subtracting(deniedEverywhere),
                "attachment \(index.label(id)) delivers through a zone AWS picks per flow (\(zones)\(attachment.applianceMode ? ", appliance mode" : "")), and the zones decide this traffic differently"
            )
            first.deliveredInTargetSubnet =
                outcomes.allSatisfy { !$0.deliveredInTargetSubnet.isEmpty } ? packets : .empty
        }
        return first
    }

    /// From the gateway's interface in `subnetID` to the target's subnet: the attachment subnet's
    /// outbound rules (none when the target is in that subnet) and its route table.
    private func deliveryStages(
        _ packets: PacketSet, into subnetID: String, from sender: Endpoint, to target: Endpoint, direction: Direction
    ) -> TransitStages {
        var result = TransitStages()
        if subnetID == target.subnetID {
            result.deliveredInTargetSubnet = packets
            return result
        }
        result.stages.append(networkACLStage(subnet: subnetID, outbound: true, packets: packets, direction: direction))
        var route = routeStage(from: subnetID, sender: sender, to: target, packets: packets, direction: direction)
        let onward = route.transit.map(\.1) + route.nat.map(\.1) + route.appliances.map(\.1)
        for portion in onward {
            route.stage.markUnknown(
                portion,
                "the attachment subnet \(index.label(subnetID)) routes the traffic on to another gateway or appliance, which is not modeled after a transit gateway"
            )
        }
        result.stages.append(route.stage)
        return result
    }
}
