import PacketSets

/// What a destination interface accepts addressed to itself, before and whatever its security
/// groups admit (semantics §38).
extension PathAnalyzer {
    /// The destination's own stage, or `nil` for an end that accepts whatever its security groups
    /// admit (a host, a hypothetical interface, an address outside).
    func destinationStage(_ destination: Endpoint, from source: Endpoint, flow: PacketSet) -> StageResult? {
        switch destination.acceptance {
        case .host:
            return nil
        case .forwardOnly(let kind):
            var stage = StageResult(.forward, kind: "destination", component: destination.id, name: nil, explains: explains)
            stage.deny(
                flow, code: "FORWARDER_NOT_A_DESTINATION",
                "\(destination.label) is the interface of a \(Self.forwarderName(kind)), which only forwards other endpoints' traffic and accepts no connection addressed to it",
                fix: "address the endpoint behind the \(Self.forwarderName(kind)) instead of its interface \(destination.id)")
            return stage
        }
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
