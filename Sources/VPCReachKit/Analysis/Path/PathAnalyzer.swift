import PacketSets

/// The packet sets behind a pair's answer, in request coordinates, and the stages that made
/// them; ``PathAnalyzer/answer(_:)`` puts it in words.
struct PairEvaluation {
    var source: Endpoint
    var destination: Endpoint
    /// The request's stages and the reply's.
    var forward: [StageResult]
    var back: [StageResult]
    var dns: [String]
    var sameSubnet: Bool
    /// Every packet queried.
    var flow: PacketSet
    /// The packets that get through both ways.
    var passing: PacketSet
    /// The packets nothing definitely drops but the snapshot cannot decide.
    var undecided: PacketSet
    /// What each blocking stage drops, with its direction.
    var denials: [(Direction, StageResult.Denial)]
}

/// Answers one source/destination pair: every component on the request's and the reply's path is
/// evaluated on the whole queried traffic, so that every blocker is named, not just the first.
struct PathAnalyzer {
    let index: NetworkIndex
    /// The traffic evaluated (the question's ends are the endpoints each call is given).
    let traffic: Traffic
    /// Whether stages describe themselves in words (their denials' explanations and fixes, their
    /// unknowns' reasons, the details they are made with, and the security group stage's hop name
    /// and details). The matrix reads only packet sets, codes and components, and evaluates
    /// hundreds of thousands of pairs.
    var explains = true
    var snapshot: Snapshot { index.snapshot }

    func analyze(from source: Endpoint, to destination: Endpoint, dns: [String] = []) -> PairAnswer {
        answer(evaluate(from: source, to: destination, dns: dns))
    }

    /// The packet sets behind the pair's answer.
    ///
    /// - Parameter shared: the pair's ``PathStages`` evaluated on more traffic than the pair's
    ///   (the whole subnets of both ends): restricted to the pair's flow instead of evaluated again.
    ///   Their hops then describe that larger traffic.
    func evaluate(
        from source: Endpoint, to destination: Endpoint, dns: [String] = [], sharing shared: PathStages? = nil
    ) -> PairEvaluation {
        if source.isInternal, destination.addressing == .publicAddress {
            return evaluateThroughInternet(from: source, to: destination, dns: dns)
        }
        if case .service(let service) = destination.kind {
            return evaluateServiceAddress(from: source, to: destination, service: service, dns: dns)
        }
        let flow = TrafficSets.flow(
            traffic, ephemeral: traffic.ephemeralPorts(of: source), from: source.addresses, to: destination.addresses)
        let sameSubnet = source.subnetID != nil && source.subnetID == destination.subnetID
        var forward: [StageResult] = []
        if source.isInternal {
            forward.append(securityGroupStage(source, inbound: false, peer: destination, flow: flow))
        }
        var path = PathStages()
        if !sameSubnet {
            path =
                shared.map {
                    PathStages(
                        forward: $0.forward.map { $0.restricted(to: flow) },
                        back: $0.back.map { $0.restricted(to: flow) })
                }
                ?? pathStages(from: source, to: destination, flow: flow)
        }
        forward += path.forward
        if let accepting = destinationStage(destination, from: source, flow: flow) {
            forward.append(accepting)
        }
        if destination.isInternal {
            forward.append(securityGroupStage(destination, inbound: true, peer: source, flow: flow))
        }
        return evaluation(
            source, destination, flow: flow, forward: forward, back: path.back, dns: dns, sameSubnet: sameSubnet)
    }

    /// The stages of a path between two subnets, between the ends' security groups.
    struct PathStages: Sendable {
        var forward: [StageResult] = []
        var back: [StageResult] = []
        /// Whether the stages depend on the ends themselves, not only on their subnets (an
        /// appliance's security groups see the source's groups): they cannot be shared.
        var dependsOnEnds = false
    }

    /// Network ACLs and route tables both ways, NAT gateways on the way, and the entry from
    /// outside: what lies between the two ends' security groups, which depends on the ends'
    /// subnets, VPCs and public addresses and decides each packet on its own.
    func pathStages(from source: Endpoint, to destination: Endpoint, flow: PacketSet) -> PathStages {
        let replies = TrafficSets.replies(flow)
        var forward: [StageResult] = []
        var back: [StageResult] = []
        var dependsOnEnds = false
        var forwardAppliances = Set<String>()
        // Packets a transit gateway delivers into an end's own subnet cross no network ACL there (§41).
        var unfilteredForward = PacketSet.empty
        var unfilteredReturn = PacketSet.empty
        var viaVPN: [StageResult] = []
        func onReplies(_ stage: StageResult) -> StageResult {
            stage.mappedToRequests(within: flow, TrafficSets.requests)
        }
        if let subnet = source.subnetID {
            forward.append(networkACLStage(subnet: subnet, outbound: true, packets: flow, direction: .forward))
            let route = routeStage(from: subnet, sender: source, to: destination, packets: flow, direction: .forward)
            forward.append(route.stage)
            for (gateway, portion) in route.nat {
                let (natForward, natReturn) = natStages(
                    gateway, source: source, destination: destination, portion: portion)
                forward += natForward
                back += natReturn
            }
            for (appliance, portion) in route.appliances {
                let stages = applianceStages(
                    appliance, from: source, to: destination, packets: portion, direction: .forward)
                forward += stages.forward
                back += stages.back
                forwardAppliances.insert(appliance.id)
                dependsOnEnds = true
            }
            for (entry, portion) in route.transit {
                let transit = transitStages(
                    entry, sender: source, to: destination, packets: portion, direction: .forward)
                forward += transit.stages
                unfilteredForward.formUnion(transit.deliveredInTargetSubnet)
                // Replies from on premises come back through the VPN attachment's route table (§42).
                for (vpn, requests) in transit.toVPN {
                    let back = transitStages(
                        vpn, sender: destination, to: source, packets: TrafficSets.replies(requests), direction: .return
                    )
                    viaVPN += back.stages.map(onReplies)
                    unfilteredReturn.formUnion(back.deliveredInTargetSubnet)
                }
            }
        }
        if !source.isInternal, let entry = internetEntryStage(source, destination, flow: flow) {
            forward.append(entry)
        }
        if !source.isInternal {
            // From on premises through a transit gateway's VPN attachment (§42).
            for (entry, portion) in onPremisesEntries(source, destination, flow: flow) {
                let transit = transitStages(
                    entry, sender: source, to: destination, packets: portion, direction: .forward)
                forward += transit.stages
                unfilteredForward.formUnion(transit.deliveredInTargetSubnet)
            }
        }
        if let subnet = destination.subnetID {
            // Not crossed at all when a transit gateway delivers everything into this very subnet (§41).
            let filtered = flow.subtracting(unfilteredForward)
            if !(filtered.isEmpty && !flow.isEmpty) {
                forward.append(networkACLStage(subnet: subnet, outbound: false, packets: filtered, direction: .forward))
            }
            back.insert(
                onReplies(networkACLStage(subnet: subnet, outbound: true, packets: replies, direction: .return)), at: 0)
            let route = routeStage(from: subnet, sender: destination, to: source, packets: replies, direction: .return)
            back.insert(onReplies(route.stage), at: 1)
            for (appliance, portion) in route.appliances {
                // Replies through an appliance the requests did not cross meet its groups untracked.
                let untracked = !forwardAppliances.contains(appliance.id)
                let stages = applianceStages(
                    appliance, from: destination, to: source, packets: portion, direction: .return, untracked: untracked
                )
                back.insert(contentsOf: stages.forward.map(onReplies), at: 2)
                if untracked { dependsOnEnds = true }
            }
            var transitBack: [StageResult] = []
            for (entry, portion) in route.transit {
                let transit = transitStages(
                    entry, sender: destination, to: source, packets: portion, direction: .return)
                transitBack += transit.stages.map(onReplies)
                unfilteredReturn.formUnion(transit.deliveredInTargetSubnet)
            }
            back.insert(contentsOf: transitBack, at: 2)
        }
        back += viaVPN
        if let subnet = source.subnetID {
            let filtered = replies.subtracting(unfilteredReturn)
            if !(filtered.isEmpty && !replies.isEmpty) {
                back.append(
                    onReplies(networkACLStage(subnet: subnet, outbound: false, packets: filtered, direction: .return)))
            }
        }
        return PathStages(forward: forward, back: back, dependsOnEnds: dependsOnEnds)
    }

    /// The NAT gateway's own subnet on the way out and back: its ACL, its route to an internet
    /// gateway, and its ACL again for the translated packets (source = the gateway, ports 1024-65535).
    func natStages(_ gateway: NATGateway, source: Endpoint, destination: Endpoint, portion: PacketSet) -> (
        [StageResult], [StageResult]
    ) {
        var forward: [StageResult] = []
        var back: [StageResult] = []
        let natSubnet = gateway.subnetID
        let natPorts = IntervalSet(TrafficSets.ports(NATGateway.translatedPorts))
        let natAddresses = IntervalSet(gateway.privateAddresses.map { $0.value...$0.value })
        let translated = portion.transformed { cube in
            cube[.sourceAddress] = 0...UInt32.max
            cube[.sourcePort] = 0...65535
        }.restricting(.sourceAddress, to: natAddresses.isEmpty ? IntervalSet(0...UInt32.max) : natAddresses)
            .restricting(.sourcePort, to: natPorts)
        /// A packet the gateway sends maps back to every request with the same destination and traffic.
        func untranslated(_ packets: PacketSet) -> PacketSet {
            packets.widening([.sourceAddress, .sourcePort]).intersection(portion)
        }
        let natEndpoint = Endpoint(
            kind: .external, id: gateway.id, label: index.label(gateway.id), addresses: natAddresses,
            subnetID: natSubnet,
            vpcID: gateway.vpcID, groupIDs: [], hasPublicAddress: !gateway.publicAddresses.isEmpty)
        if natSubnet != source.subnetID {
            forward.append(networkACLStage(subnet: natSubnet, outbound: false, packets: portion, direction: .forward))
            back.append(
                networkACLStage(
                    subnet: natSubnet, outbound: true, packets: TrafficSets.replies(portion), direction: .return
                )
                .mappedToRequests(within: portion, TrafficSets.requests))
        }
        let onward = routeStage(
            from: natSubnet, sender: natEndpoint, to: destination, packets: translated, direction: .forward)
        var route = onward.stage
        for (_, packets) in onward.appliances {
            route.markUnknown(
                packets,
                "NAT gateway \(index.label(gateway.id)) hands the traffic to an appliance; an appliance after a NAT gateway is not modeled"
            )
        }
        for (next, packets) in onward.nat {
            route.markUnknown(
                packets,
                "NAT gateway \(index.label(gateway.id)) hands the traffic to NAT gateway \(index.label(next.id)); chained NAT is not modeled"
            )
        }
        route = route.mappedToRequests(within: portion, untranslated)
        route.hop.details.insert("after NAT gateway \(index.label(gateway.id)) translates the source", at: 0)
        forward.append(route)
        forward.append(
            networkACLStage(subnet: natSubnet, outbound: true, packets: translated, direction: .forward)
                .mappedToRequests(within: portion, untranslated))
        back.insert(
            networkACLStage(
                subnet: natSubnet, outbound: false, packets: TrafficSets.replies(translated), direction: .return
            )
            .mappedToRequests(within: portion) { untranslated(TrafficSets.requests($0)) }, at: 0)
        return (forward, back)
    }

    /// Traffic from outside the snapshot's VPCs enters through the destination VPC's internet
    /// gateway unless the destination subnet routes the source elsewhere (a VPN, a transit gateway,
    /// a peering): then it needs a public address on the destination and an attached gateway.
    func internetEntryStage(_ source: Endpoint, _ destination: Endpoint, flow: PacketSet) -> StageResult? {
        guard let subnetID = destination.subnetID, let vpcID = destination.vpcID,
            let table = index.routeTable(forSubnet: subnetID)
        else {
            return nil
        }
        let (choices, undecided) = lookup(table, source.addresses)
        let fromInternet = choices.filter { choice in
            guard let route = choice.route else { return true }
            switch route.target {
            case .internetGateway, .natGateway: return true
            default: return false
            }
        }
        guard !fromInternet.isEmpty else { return nil }
        // Sources a prefix list with unknown entries might route elsewhere are left to the return
        // route stage, which marks them unknown.
        let addresses = fromInternet.reduce(IntervalSet()) { $0.union($1.addresses) }.subtracting(undecided)
        guard !addresses.isEmpty else { return nil }
        let portion = flow.restricting(.sourceAddress, to: addresses)
        let gateway = snapshot.internetGateways.values.sorted { $0.id < $1.id }.first {
            $0.attachedVPCIDs.contains(vpcID)
        }
        var stage = StageResult(
            .forward, kind: .internetGateway, component: gateway?.id ?? vpcID,
            name: gateway?.tags.name ?? index.name(of: vpcID), explains: explains)
        guard let gateway else {
            stage.deny(
                portion, code: .noRouteToDestination, component: vpcID,
                "no internet gateway is attached to \(index.label(vpcID)), so \(source.label) cannot reach into it",
                fix: "attach an internet gateway to \(vpcID) and route \(TrafficSets.addresses(addresses)) to it")
            return stage
        }
        stage.hop.details.append("enters \(index.label(vpcID)) through internet gateway \(index.label(gateway.id))")
        for refusal in AddressSpace.refusedByInternetGateways {
            let privateSources = portion.restricting(.sourceAddress, to: refusal.block)
            guard !privateSources.isEmpty else { continue }
            let sources = TrafficSets.addresses(privateSources.values(of: .sourceAddress))
            stage.deny(
                privateSources, code: refusal.ingressCode, component: gateway.id,
                "\(sources) are \(refusal.name) addresses: internet gateway \(index.label(gateway.id)) does not accept traffic from them, and \(index.label(table.id)) routes them nowhere else",
                fix:
                    "route \(sources) in \(table.id) to the network that holds them (a VPN, a transit gateway, a peering)"
            )
        }
        if destination.addressing == .privateAddress {
            let named = TrafficSets.addresses(destination.addresses)
            let publicAddresses =
                snapshot.networkInterfaces[destination.id].map {
                    $0.publicAddresses.map(\.description).joined(separator: ", ")
                } ?? ""
            let reachable =
                destination.hasPublicAddress
                ? "only at its public address \(publicAddresses)" : "not at all (it has no public address)"
            stage.deny(
                portion, code: .igwPrivateIPAssociationForIngress, component: gateway.id,
                "the query names \(destination.label) by its private address \(named), which is not routed on the internet: internet gateway \(index.label(gateway.id)) delivers traffic from the internet \(reachable)",
                fix: destination.hasPublicAddress
                    ? "address \(destination.id) at \(publicAddresses) from outside, or route \(TrafficSets.addresses(addresses)) through a VPN, Direct Connect or transit gateway"
                    : "give \(destination.id) a public or Elastic IP address and address it there, or put it behind a load balancer"
            )
        } else {
            let unpaired = destination.withoutPublicAddress(portion, at: .destinationAddress)
            if !unpaired.packets.isEmpty {
                stage.deny(
                    unpaired.packets, code: .igwPrivateIPAssociationForIngress, component: destination.id,
                    "\(unpaired.reason), so nothing from the internet can address it",
                    fix: "give \(destination.id) a public or Elastic IP address, or put it behind a load balancer")
            }
        }
        return stage
    }

    func assemble(
        _ source: Endpoint, _ destination: Endpoint, flow: PacketSet, forward: [StageResult], back: [StageResult],
        dns: [String], sameSubnet: Bool
    ) -> PairAnswer {
        answer(
            evaluation(source, destination, flow: flow, forward: forward, back: back, dns: dns, sameSubnet: sameSubnet))
    }

    func evaluation(
        _ source: Endpoint, _ destination: Endpoint, flow: PacketSet, forward: [StageResult], back: [StageResult],
        dns: [String], sameSubnet: Bool
    ) -> PairEvaluation {
        let stages = forward + back
        let denied = stages.reduce(PacketSet.empty) { $0.union($1.denied) }.intersection(flow)
        let undecided = stages.reduce(PacketSet.empty) { $0.union($1.undecided) }.intersection(flow).subtracting(denied)
        let passing = flow.subtracting(denied).subtracting(undecided)
        let decided = snapshot.incompleteness(affecting: [source.vpcID, destination.vpcID].compactMap { $0 }).isEmpty
        return PairEvaluation(
            source: source, destination: destination, forward: forward, back: back, dns: dns, sameSubnet: sameSubnet,
            flow: flow, passing: decided ? passing : .empty, undecided: decided ? undecided : flow.subtracting(denied),
            denials: stages.flatMap { stage in stage.denials.map { (stage.hop.direction, $0) } })
    }

    /// The evaluation in words: verdict, blockers with their traffic, hops, unknowns.
    func answer(_ evaluation: PairEvaluation) -> PairAnswer {
        let (source, destination, flow) = (evaluation.source, evaluation.destination, evaluation.flow)
        let stages = evaluation.forward + evaluation.back
        let denied = flow.subtracting(evaluation.passing).subtracting(evaluation.undecided)
        var unknowns: [String] = []
        for stage in stages {
            for item in stage.unknowns where !unknowns.contains(item.reason) { unknowns.append(item.reason) }
        }
        let incomplete = snapshot.incompleteness(affecting: [source.vpcID, destination.vpcID].compactMap { $0 })
        for item in incomplete where !unknowns.contains(item.reason) { unknowns.append(item.reason) }
        var verdict: Verdict
        switch traffic.mode {
        case .every: verdict = denied.isEmpty ? (evaluation.undecided.isEmpty ? .reachable : .unknown) : .unreachable
        case .some:
            verdict = !evaluation.passing.isEmpty ? .reachable : evaluation.undecided.isEmpty ? .unreachable : .unknown
        }
        if !incomplete.isEmpty { verdict = .unknown }
        let blockers = stages.flatMap { stage in
            stage.denials.map { denial in
                Blocker(
                    direction: stage.hop.direction, code: denial.code, component: denial.component,
                    name: index.name(of: denial.component),
                    explanation: denial.explanation, fix: denial.fix,
                    traffic: TrafficSets.describe(denial.packets, direction: stage.hop.direction, within: flow),
                    sources: denial.sources,
                    remediation: denial.remediation)
            }
        }
        let passing = evaluation.passing
        let whole = denied.isEmpty && evaluation.undecided.isEmpty
        let partial =
            !whole && !passing.isEmpty ? TrafficSets.describe(passing, direction: .forward, within: flow) : nil
        var text = sentence(
            verdict, source, destination, blockers: blockers, unknowns: unknowns, sameSubnet: evaluation.sameSubnet)
        if let partial { text += " Only \(partial) gets through both ways." }
        let reaching = !passing.isEmpty && (traffic.mode == .some || partial != nil) ? TrafficSets.boxes(passing) : nil
        var assumptions: [String] = []
        for stage in stages {
            for item in stage.assumptions where !assumptions.contains(item) { assumptions.append(item) }
        }
        // An instance's platform decides its client ports (§26); without its describe-instances
        // record it is taken as Linux, which the answer says.
        if traffic.ephemeralPorts == nil, case .interface(let id) = source.kind,
            let interface = snapshot.networkInterfaces[id],
            let instance = interface.instanceID, snapshot.instances[instance] == nil,
            interface.kind == .ec2Instance || interface.kind == .other
        {
            assumptions.append(
                "instance \(instance) is not in the snapshot, so its platform is not known: its client ports are taken as Linux's \(PortText.range(traffic.ephemeralPorts(of: source))) (a Windows instance uses 49152-65535; export describe-instances or pass --ephemeral-ports)"
            )
        }
        if !assumptions.isEmpty && verdict != .unreachable {
            text +=
                assumptions.count == 1
                ? " This assumes: \(assumptions[0])." : " This assumes \(assumptions.count) things (listed)."
        }
        return PairAnswer(
            source: summary(source), destination: summary(destination), verdict: verdict, summary: text,
            dns: evaluation.dns,
            forward: evaluation.forward.map(\.hop), return: evaluation.back.map(\.hop), blockers: blockers,
            unknowns: unknowns, reachableTraffic: partial,
            assumptions: assumptions.isEmpty || verdict == .unreachable ? nil : assumptions,
            ephemeralPorts: PortText.range(traffic.ephemeralPorts(of: source)), reachingTraffic: reaching)
    }

    func sentence(
        _ verdict: Verdict, _ source: Endpoint, _ destination: Endpoint, blockers: [Blocker], unknowns: [String],
        sameSubnet: Bool
    ) -> String {
        let traffic = traffic.trafficDescription
        switch verdict {
        case .reachable:
            let how = sameSubnet ? "within one subnet (no route table or network ACL)" : "and the replies return"
            return "\(source.label) reaches \(destination.label) on \(traffic) \(how)."
        case .unreachable:
            let first =
                blockers.first.map { "\($0.direction == .forward ? "" : "on the way back, ")\($0.explanation)" }
                ?? "it is blocked"
            let more = blockers.count > 1 ? " (\(blockers.count) blockers in all)" : ""
            return "\(source.label) cannot reach \(destination.label) on \(traffic): \(first)\(more)."
        case .unknown:
            return
                "The snapshot cannot decide whether \(source.label) reaches \(destination.label) on \(traffic): \(unknowns.first ?? "data is missing")."
        }
    }

    func summary(_ endpoint: Endpoint) -> EndpointSummary {
        let kind: String
        switch endpoint.kind {
        case .interface: kind = "interface"
        case .hypothetical: kind = "hypothetical"
        case .unassigned: kind = "unassigned"
        case .service: kind = "aws-service"
        case .external: kind = "external"
        }
        return EndpointSummary(
            kind: kind, id: endpoint.id, label: endpoint.label, addresses: AddressText.describe(endpoint.addresses),
            vpc: endpoint.vpcID,
            subnet: endpoint.subnetID, securityGroups: endpoint.groupIDs,
            addressedAt: endpoint.addressing == .interface ? nil : endpoint.addressing)
    }
}
