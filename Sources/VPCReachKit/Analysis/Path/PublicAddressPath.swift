import PacketSets

/// A destination named by its public address from inside AWS (semantics §30a): the request leaves
/// through the source's internet or NAT gateway like any internet-bound traffic, crosses the
/// internet, and enters the destination's VPC through its internet gateway like any traffic from
/// the internet, which sees the source's public address (or the NAT gateway's), not its private one.
extension PathAnalyzer {
    func evaluateThroughInternet(from source: Endpoint, to destination: Endpoint, dns: [String]) -> PairEvaluation {
        let publicAddresses = IntervalSet(
            (snapshot.networkInterfaces[destination.id]?.publicAddresses ?? []).map { $0.value...$0.value })
        let named = TrafficSets.addresses(publicAddresses)
        let outside = Endpoint(
            kind: .external, id: named, label: "\(named) (public address of \(destination.label))",
            addresses: publicAddresses,
            subnetID: nil, vpcID: nil, groupIDs: [], hasPublicAddress: true)
        // Leg one, in the query's coordinates: source -> the public address, out to the internet.
        let outbound = evaluate(from: source, to: outside, dns: dns)
        let flow = outbound.flow
        let seen = addressOnTheInternet(of: source, toward: publicAddresses)
        var forward = outbound.forward
        var back = outbound.back
        guard !seen.addresses.isEmpty else {
            var stage = StageResult(
                .forward, kind: .internetGateway, component: destination.id, name: nil, explains: explains)
            stage.markUnknown(
                flow,
                "\(source.label) would reach \(named) over the internet, but the public address it would be seen from is not in the snapshot"
            )
            forward.append(stage)
            return evaluation(
                source, destination, flow: flow, forward: forward, back: back, dns: dns, sameSubnet: false)
        }
        // Leg two: from that public address, in through the destination VPC's internet gateway.
        var inboundTraffic = traffic
        inboundTraffic.ephemeralPorts =
            seen.throughNAT ? NATGateway.translatedPorts : traffic.ephemeralPorts(of: source)
        let internetSide = Endpoint(
            kind: .external, id: TrafficSets.addresses(seen.addresses),
            label: "\(TrafficSets.addresses(seen.addresses)) (\(source.id) as the internet sees it)",
            addresses: seen.addresses,
            subnetID: nil, vpcID: nil, groupIDs: [], hasPublicAddress: true)
        let inbound = PathAnalyzer(index: index, traffic: inboundTraffic, explains: explains).evaluate(
            from: internetSide, to: destination)
        // The translations change addresses and, through a NAT gateway, the source port: a packet
        // of leg two stands for every request with its protocol and destination port.
        let toRequests: (PacketSet) -> PacketSet = {
            $0.widening([.sourceAddress, .destinationAddress, .sourcePort]).intersection(flow)
        }
        forward += inbound.forward.map { $0.mappedToRequests(within: flow, toRequests) }
        back = inbound.back.map { $0.mappedToRequests(within: flow, toRequests) } + back
        return evaluation(source, destination, flow: flow, forward: forward, back: back, dns: dns, sameSubnet: false)
    }

    /// The addresses the internet sees `source` at when it sends to `destinations`: its own public
    /// addresses where its subnet's table hands the traffic to an internet gateway, a NAT gateway's
    /// where to a NAT gateway. Empty when no such route exists (the first leg then says why) or the
    /// address is not in the snapshot (a hypothetical interface's public address).
    func addressOnTheInternet(of source: Endpoint, toward destinations: IntervalSet) -> (
        addresses: IntervalSet, throughNAT: Bool
    ) {
        guard let subnetID = source.subnetID, let table = index.routeTable(forSubnet: subnetID) else {
            return (IntervalSet(), false)
        }
        var addresses = IntervalSet()
        var throughNAT = false
        for choice in lookup(table, destinations).choices {
            switch choice.route?.target {
            case .internetGateway:
                let own = snapshot.networkInterfaces[source.id]?.publicAddresses ?? []
                addresses.formUnion(IntervalSet(own.map { $0.value...$0.value }))
            case .natGateway(let id):
                throughNAT = true
                let gateway = snapshot.natGateways[id]?.publicAddresses ?? []
                addresses.formUnion(IntervalSet(gateway.map { $0.value...$0.value }))
            default:
                break
            }
        }
        return (addresses, throughNAT)
    }
}
