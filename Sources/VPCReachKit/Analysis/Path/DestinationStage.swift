import PacketSets

/// What a destination interface accepts addressed to itself, before and whatever its security
/// groups admit (semantics §38): nothing for an interface that only forwards, only its listeners
/// for a load balancer's.
extension PathAnalyzer {
    /// The destination's own stage, or `nil` for an end that accepts whatever its security groups
    /// admit (a host, a hypothetical interface, an address outside).
    func destinationStage(_ destination: Endpoint, from source: Endpoint, flow: PacketSet) -> StageResult? {
        if case .unassigned(let subnetID) = destination.kind {
            var stage = StageResult(
                .forward, kind: .destination, component: destination.id, name: nil, explains: explains)
            if let subnetID {
                stage.deny(
                    flow, code: .noInterfaceAtAddress, component: subnetID,
                    "no network interface in the snapshot has the address \(destination.id) in \(index.label(subnetID)), so nothing there accepts the traffic",
                    fix: "address an existing interface, or ask about a new one with --to new:\(subnetID),sg-…")
            } else {
                stage.deny(
                    flow, code: .noSubnetForAddress, component: destination.vpcID ?? destination.id,
                    "\(destination.id) is inside \(destination.vpcID.map { index.label($0) } ?? "a VPC") but in none of its subnets, so no interface can hold it",
                    fix: "address an interface in one of the VPC's subnets")
            }
            return stage
        }
        switch destination.acceptance {
        case .host:
            return nil
        case .forwardOnly(let kind):
            var stage = StageResult(
                .forward, kind: .destination, component: destination.id, name: nil, explains: explains)
            stage.deny(
                flow, code: .forwarderNotADestination,
                "\(destination.label) is the interface of a \(Self.forwarderName(kind)), which only forwards other endpoints' traffic and accepts no connection addressed to it",
                fix:
                    "address the endpoint behind the \(Self.forwarderName(kind)) instead of its interface \(destination.id)"
            )
            return stage
        case .loadBalancer(let id):
            return listenerStage(destination, loadBalancerID: id, flow: flow)
        }
    }

    /// A load balancer's node accepts only its listeners' protocols and ports.
    func listenerStage(_ destination: Endpoint, loadBalancerID id: String?, flow: PacketSet) -> StageResult {
        var stage = StageResult(
            .forward, kind: .destination, component: destination.id,
            name: id.flatMap { snapshot.loadBalancers[$0]?.name }, explains: explains)
        // Ids are names for Classic Load Balancers: one of another VPC (account, region) is not it.
        guard let id, let balancer = snapshot.loadBalancers[id],
            balancer.vpcID == nil || balancer.vpcID == destination.vpcID
        else {
            stage.markUnknown(
                flow,
                "\(destination.label) is a load balancer's interface, which accepts only its listeners' ports, and \(id.map { "load balancer \($0) is" } ?? "its description names no load balancer that is") not in the snapshot: export `aws elbv2 describe-load-balancers` and `aws elbv2 describe-listeners` (or `aws elb describe-load-balancers` for a Classic Load Balancer)"
            )
            return stage
        }
        guard let listeners = snapshot.listeners[id], !listeners.isEmpty else {
            stage.markUnknown(
                flow,
                "no listener of load balancer \(balancer.name) is in the snapshot, and its interface \(destination.id) accepts only its listeners' ports: export `aws elbv2 describe-listeners --load-balancer-arn \(balancer.arn ?? balancer.id)`"
            )
            return stage
        }
        let accepted = listeners.reduce(PacketSet.empty) { accepted, listener in
            listener.ipProtocols.reduce(accepted) { accepted, number in
                accepted.union(
                    PacketSet([
                        .ipProtocol: IntervalSet(number...number),
                        .destinationPort: IntervalSet(UInt32(listener.port)...UInt32(listener.port)),
                    ]))
            }
        }
        if explains {
            stage.hop.details += listeners.map { "\(balancer.name) listens on \($0.protocolName) \($0.port)" }
        }
        // A protocol this engine does not know may carry anything to its port: undecided there.
        let unread = listeners.filter(\.ipProtocols.isEmpty).reduce(PacketSet.empty) { set, listener in
            set.union(PacketSet([.destinationPort: IntervalSet(UInt32(listener.port)...UInt32(listener.port))]))
        }
        let open = flow.intersection(unread).subtracting(accepted)
        stage.markUnknown(
            open, "load balancer \(balancer.name) has a listener whose protocol vpcreach does not know on that port")
        let denied = flow.subtracting(accepted).subtracting(open)
        stage.deny(
            denied, code: balancer.kind == .classic ? .elbListenerPortRestriction : .elbv2ListenerPortRestriction,
            "\(destination.label) is an interface of load balancer \(balancer.name), which accepts only its listeners (\(Self.listenerText(listeners))), not \(TrafficSets.describe(denied, direction: .forward, within: flow))",
            fix: "add a listener to \(balancer.name) for the port, or address the port its listener uses",
            sources: listeners.map(\.source))
        return stage
    }

    static func listenerText(_ listeners: [Listener]) -> String {
        listeners.map { "\($0.protocolName) \($0.port)" }.joined(separator: ", ")
    }

    static func forwarderName(_ kind: InterfaceKind) -> String {
        switch kind {
        case .natGateway: "NAT gateway"
        case .transitGateway: "transit gateway attachment"
        case .gatewayLoadBalancer: "Gateway Load Balancer"
        case .gatewayLoadBalancerEndpoint: "Gateway Load Balancer endpoint"
        default: kind.rawValue
        }
    }
}
