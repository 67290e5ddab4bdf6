import PacketSets

/// Security groups: stateful allow-lists, the union of every rule of every group on the interface.
extension PathAnalyzer {
    /// Evaluates `endpoint`'s groups on `flow` (request coordinates) toward or from `peer`.
    func securityGroupStage(_ endpoint: Endpoint, inbound: Bool, peer: Endpoint, flow: PacketSet) -> StageResult {
        let direction = inbound ? "inbound" : "outbound"
        var stage = StageResult(
            .forward, kind: inbound ? .securityGroupIngress : .securityGroupEgress, component: endpoint.id,
            name: explains ? endpoint.groupIDs.map { index.label($0) }.joined(separator: ", ") : nil, explains: explains
        )
        guard !endpoint.groupIDs.isEmpty else {
            // AWS attaches no security group to NAT gateway and transit gateway interfaces; every
            // other interface has at least one. With none, nothing filters here.
            if explains {
                stage.hop.details.append("no security group is attached to \(endpoint.label): nothing to filter")
            }
            return stage
        }
        var allowed = PacketSet.empty
        var undecided = PacketSet.empty
        var unknownLists: [String] = []
        var missingGroups: [String] = []
        var sources: [SourceLocation] = []
        for groupID in endpoint.groupIDs {
            guard let group = snapshot.securityGroups[groupID] else {
                missingGroups.append(groupID)
                continue
            }
            sources.append(group.source)
            for rule in inbound ? group.ingress : group.egress {
                let (match, unknown) = ruleMatch(
                    rule, owner: group, enforcedIn: endpoint.vpcID, inbound: inbound, peer: peer)
                let relevant = match.intersection(flow)
                if !relevant.isEmpty {
                    if explains {
                        stage.hop.details.append(
                            "\(index.label(group.id)) \(direction): \(ruleText(rule, inbound: inbound))")
                    }
                    allowed.formUnion(relevant)
                }
                let open = unknown.intersection(flow)
                if !open.isEmpty, case .prefixList(let id) = rule.peer, !unknownLists.contains(id) {
                    unknownLists.append(id)
                }
                undecided.formUnion(open)
            }
        }
        undecided = undecided.subtracting(allowed)
        if !missingGroups.isEmpty {
            undecided.formUnion(flow.subtracting(allowed))
            stage.markUnknown(
                undecided,
                "security group(s) \(missingGroups.joined(separator: ", ")) on \(endpoint.id) are not in the snapshot")
        } else if !undecided.isEmpty, !unknownLists.isEmpty {
            stage.markUnknown(
                undecided,
                "a rule of \(endpoint.groupIDs.joined(separator: ", ")) names prefix list(s) \(unknownLists.joined(separator: ", ")), whose entries are not in the snapshot (export get-managed-prefix-list-entries): it may allow \(peer.label)"
            )
        } else if !undecided.isEmpty {
            stage.markUnknown(
                undecided,
                "a rule of \(endpoint.groupIDs.joined(separator: ", ")) references a security group whose reach the snapshot cannot tell (UNKNOWN_PEERED_SGS: its members are not in the snapshot, it is referenced across a transit gateway, or the rule is used in a VPC its group is associated with): it may allow \(peer.label)"
            )
        }
        let denied = flow.subtracting(allowed).subtracting(undecided)
        if !denied.isEmpty {
            let code =
                endpoint.groupIDs.allSatisfy({
                    snapshot.securityGroups[$0].map { inbound ? $0.ingress.isEmpty : $0.egress.isEmpty } ?? false
                })
                ? ExplanationCode.sgHasNoRules : .eniSGRulesMismatch
            // The words below cost more than the evaluation: not even their parts without explaining.
            guard explains else {
                stage.deny(denied, code: code, "", fix: "", sources: sources)
                return stage
            }
            let traffic = TrafficSets.describe(denied, direction: .forward, within: flow)
            let groups = endpoint.groupIDs.map { index.label($0) }.joined(separator: ", ")
            let far = inbound ? "from" : "to"
            stage.deny(
                denied, code: code,
                "no \(direction) rule of \(groups) on \(endpoint.label) allows \(traffic) \(far) \(peer.label)",
                fix:
                    "add an \(direction) rule to \(endpoint.groupIDs.first ?? "a security group") allowing \(traffic) \(far) \(suggestedPeer(peer, for: endpoint))",
                sources: sources)
        }
        return stage
    }

    /// What a rule allows toward `peer`, and what it might allow that the snapshot cannot decide.
    ///
    /// - Parameter enforcedIn: the VPC of the interface the rule's group is on: a group associated
    ///   with other VPCs (`describe-security-group-vpc-associations`) judges references from there.
    func ruleMatch(
        _ rule: SecurityGroupRule, owner: SecurityGroup, enforcedIn vpcID: String?, inbound: Bool, peer: Endpoint
    ) -> (PacketSet, PacketSet) {
        let traffic = TrafficSets.rule(rule)
        let field: PacketField = inbound ? .sourceAddress : .destinationAddress
        switch rule.peer {
        case .cidr(let block):
            return (traffic.restricting(field, to: block.range), .empty)
        case .ipv6:
            return (.empty, .empty)
        case .prefixList(let id):
            guard let blocks = index.prefixListBlocks(id) else { return (.empty, traffic) }
            return (traffic.restricting(field, to: IntervalSet(blocks.map(\.range))), .empty)
        case .group(let reference):
            let peerAddresses = traffic.restricting(field, to: peer.addresses)
            if peer.isInternal, peer.groupIDs.contains(reference.groupID) {
                let home = vpcID ?? owner.vpcID
                let reaches = referenceReaches(from: home, peer: peer)
                // A group used in a VPC it is associated with: AWS does not say whether its
                // references are judged from there or from its own VPC; where that matters, unknown.
                if home != owner.vpcID, reaches != referenceReaches(from: owner.vpcID, peer: peer) {
                    return (.empty, peerAddresses)
                }
                if reaches { return (peerAddresses, .empty) }
                switch transitCarriesReference(from: home, to: peer.vpcID, inbound: inbound) {
                case true?: return (peerAddresses, .empty)
                case false?: return (.empty, .empty)
                case nil: return (.empty, peerAddresses)
                }
            }
            let groupKnown = snapshot.securityGroups[reference.groupID] != nil
            let vpcKnown = reference.vpcID.map { snapshot.vpcs[$0] != nil } ?? true
            if !peer.isInternal && (!groupKnown || !vpcKnown) { return (.empty, peerAddresses) }
            return (.empty, .empty)
        }
    }

    /// Whether a group reference enforced in `vpcID` covers `peer`, which carries the group: same
    /// VPC, or an active same-region peering between the two VPCs. A reference made stale by a
    /// deleted peering (`PeeringStatus` not `active`) is live again once an active peering joins
    /// the same VPCs (VPC peering guide, stale security group rules).
    func referenceReaches(from vpcID: String?, peer: Endpoint) -> Bool {
        guard let peerVPC = peer.vpcID else { return true }
        return index.referenceIsLive(from: vpcID, to: peerVPC)
    }

    /// Whether a transit gateway carries a group reference between the two VPCs (§41): an
    /// inbound rule only, both attached to one available gateway with
    /// `SecurityGroupReferencingSupport` on for the gateway and both attachments; `nil` when the
    /// snapshot cannot tell (the VPCs route to transit gateways it does not describe, or an
    /// attachment's options are not exported).
    func transitCarriesReference(from a: String?, to b: String?, inbound: Bool) -> Bool? {
        guard let a, let b, a != b else { return false }
        let mine = index.transitAttachmentsOfVPC[a]?.filter(\.isAvailable) ?? []
        let theirs = index.transitAttachmentsOfVPC[b]?.filter(\.isAvailable) ?? []
        // What each gateway both VPCs are attached to says; when they disagree, the one the
        // traffic takes decides, which the reference alone cannot tell.
        var outcomes = Set<Bool?>()
        for attachment in mine {
            guard let other = theirs.first(where: { $0.transitGatewayID == attachment.transitGatewayID }) else {
                continue
            }
            guard inbound else {
                outcomes.insert(false)
                continue
            }
            guard let gateway = snapshot.transitGateways[attachment.transitGatewayID] else {
                outcomes.insert(nil)
                continue
            }
            switch (
                gateway.securityGroupReferencing, attachment.securityGroupReferencing, other.securityGroupReferencing
            ) {
            case (true, true?, true?): outcomes.insert(true)
            case (false, _, _), (_, false?, _), (_, _, false?): outcomes.insert(false)
            default: outcomes.insert(nil)
            }
        }
        if outcomes.count == 1, let only = outcomes.first { return only }
        if outcomes.count > 1 { return nil }
        // Both route to transit gateways the snapshot does not describe: they may share one.
        let routing = index.vpcsRoutingToTransitGateways
        if routing.contains(a) && routing.contains(b) && (mine.isEmpty || theirs.isEmpty) { return nil }
        return false
    }

    func ruleText(_ rule: SecurityGroupRule, inbound: Bool) -> String {
        let traffic: String
        switch rule.ipProtocol {
        case .all: traffic = "all traffic"
        case .tcp, .udp:
            let from = rule.fromPort ?? -1
            let to = rule.toPort ?? -1
            traffic = "\(rule.ipProtocol) \(from < 0 ? "all ports" : PortText.range(from...max(from, to)))"
        case .icmp: traffic = "icmp type \(rule.fromPort ?? -1) code \(rule.toPort ?? -1)"
        default: traffic = "protocol \(rule.ipProtocol)"
        }
        let peer: String
        switch rule.peer {
        case .group(let reference):
            peer = index.label(reference.groupID) + (reference.peeringConnectionID.map { " via \($0)" } ?? "")
        default: peer = rule.peer.description
        }
        return "\(traffic) \(inbound ? "from" : "to") \(peer)"
    }

    /// The narrowest sensible peer to name in a fix: a group for interfaces in reach of a
    /// reference, else the addresses.
    func suggestedPeer(_ peer: Endpoint, for endpoint: Endpoint) -> String {
        if peer.isInternal, let group = peer.groupIDs.first {
            let sameRegionReach =
                peer.vpcID == endpoint.vpcID
                || index.activePeering(between: peer.vpcID ?? "", and: endpoint.vpcID ?? "") != nil
            if sameRegionReach { return index.label(group) }
        }
        return TrafficSets.addresses(peer.addresses)
    }
}
