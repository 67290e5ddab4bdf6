/// Readers for `aws elbv2 describe-load-balancers` / `describe-listeners` and
/// `aws elb describe-load-balancers`.
extension FileReader {
    mutating func readLoadBalancer(_ node: JSONNode) throws {
        let arn = try node.string("LoadBalancerArn")
        guard let id = LoadBalancer.id(fromARN: arn) else { throw node.fail("'\(arn)' is not a load balancer ARN") }
        let kind: LoadBalancer.Kind
        switch try node.optionalString("Type") ?? String(id.prefix(3)) {
        case "application", "app": kind = .application
        case "network", "net": kind = .network
        case "gateway", "gwy": kind = .gateway
        case let other: throw node.fail("unknown load balancer type '\(other)'")
        }
        steps.append(
            .loadBalancer(
                LoadBalancer(
                    id: id, arn: arn, name: try node.optionalString("LoadBalancerName") ?? id, kind: kind,
                    vpcID: try node.optionalString("VpcId"), scheme: try node.optionalString("Scheme"),
                    source: context.location(node))))
    }

    mutating func readListener(_ node: JSONNode) throws {
        let arn = try node.string("LoadBalancerArn")
        guard let id = LoadBalancer.id(fromARN: arn) else { throw node.fail("'\(arn)' is not a load balancer ARN") }
        // A Gateway Load Balancer's listener has no port or protocol; its interfaces only forward (§38).
        if id.hasPrefix("gwy/"), node["Port"] == nil { return }
        let port = try node.required("Port").int()
        guard (1...65535).contains(port) else { throw node.fail("listener port \(port) is not 1-65535") }
        steps.append(
            .listener(
                loadBalancerID: id,
                Listener(protocolName: try node.string("Protocol"), port: port, source: context.location(node))))
    }

    mutating func readClassicLoadBalancer(_ node: JSONNode) throws {
        let name = try node.string("LoadBalancerName")
        steps.append(
            .loadBalancer(
                LoadBalancer(
                    id: name, arn: nil, name: name, kind: .classic, vpcID: try node.optionalString("VPCId"),
                    scheme: try node.optionalString("Scheme"), source: context.location(node))))
        for description in try node.array("ListenerDescriptions") {
            let listener = try description.required("Listener")
            let port = try listener.required("LoadBalancerPort").int()
            guard (1...65535).contains(port) else { throw listener.fail("listener port \(port) is not 1-65535") }
            steps.append(
                .listener(
                    loadBalancerID: name,
                    Listener(
                        protocolName: try listener.string("Protocol"), port: port, source: context.location(listener))))
        }
    }
}
