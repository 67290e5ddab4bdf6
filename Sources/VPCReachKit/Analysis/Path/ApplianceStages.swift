import PacketSets

/// An appliance on the path (semantics §14a): a route whose target is an interface (or an
/// instance) with its source/destination check off hands the packets to it; the analysis goes on
/// from its subnet, and the verdict then takes for granted that the appliance's own software
/// forwards them.
extension PathAnalyzer {
    /// The appliance's part of a path for `packets` (in the direction they travel) from `sender`
    /// toward `target`: its subnet's ACL on the way in, its security groups (requests only: they
    /// are stateful: on replies only when `untracked`, the requests having taken another way), its subnet's route onward, and its subnet's ACL on the way out. `back` holds,
    /// for requests that leave the snapshot's VPCs through it, its ACL for the replies (in request
    /// coordinates, as NAT gateway stages it hands on to); replies to internal targets follow the
    /// target's own table.
    func applianceStages(
        _ appliance: NetworkInterface, from sender: Endpoint, to target: Endpoint, packets: PacketSet,
        direction: Direction, untracked: Bool = false
    ) -> (forward: [StageResult], back: [StageResult]) {
        let box = SelectorResolver(index: index).endpoint(appliance)
        var forward: [StageResult] = []
        var back: [StageResult] = []
        // In a subnet of its own the appliance's ACL is crossed on the way in and out; in the
        // sender's or the target's subnet it is the ACL the rest of the path already crosses.
        let ownSubnet = appliance.subnetID != sender.subnetID && appliance.subnetID != target.subnetID
        if ownSubnet {
            forward.append(
                networkACLStage(subnet: appliance.subnetID, outbound: false, packets: packets, direction: direction))
        }
        // Groups are stateful: replies to requests the appliance carried pass them; replies it
        // never saw the requests of (asymmetric routes) are new traffic to them.
        if direction == .forward || untracked {
            for inbound in [true, false] {
                var stage = securityGroupStage(box, inbound: inbound, peer: inbound ? sender : target, flow: packets)
                stage.hop.direction = direction
                forward.append(stage)
            }
        }
        let onward = routeStage(
            from: appliance.subnetID, sender: box, to: target, packets: packets, direction: direction)
        var route = onward.stage
        route.hop.details.insert("after appliance \(index.label(appliance.id)) forwards the traffic", at: 0)
        if explains {
            route.assumptions.append(
                "appliance \(index.label(appliance.id)) forwards the traffic (its source/destination check is off; what its own software does, routing, filtering or translating, is not in the snapshot)"
            )
        }
        for (next, portion) in onward.appliances {
            route.markUnknown(
                portion,
                "appliance \(index.label(appliance.id)) hands the traffic to appliance \(index.label(next.id)); chained appliances are not modeled"
            )
        }
        forward.append(route)
        if ownSubnet {
            forward.append(
                networkACLStage(subnet: appliance.subnetID, outbound: true, packets: packets, direction: direction))
        }
        for (gateway, portion) in onward.nat {
            let (natForward, natReturn) = natStages(gateway, source: box, destination: target, portion: portion)
            forward += natForward
            back += natReturn
        }
        if direction == .forward, !target.isInternal {
            // Replies from outside come back to the appliance: through its subnet's ACL, in and
            // out toward the sender (the sender's own ACL is on the rest of the path).
            let replies = TrafficSets.replies(packets)
            if appliance.subnetID != sender.subnetID {
                back.append(
                    networkACLStage(subnet: appliance.subnetID, outbound: false, packets: replies, direction: .return)
                        .mappedToRequests(within: packets, TrafficSets.requests))
                back.append(
                    networkACLStage(subnet: appliance.subnetID, outbound: true, packets: replies, direction: .return)
                        .mappedToRequests(within: packets, TrafficSets.requests))
            }
        }
        return (forward, back)
    }
}
