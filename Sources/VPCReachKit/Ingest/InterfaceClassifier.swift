/// Tells what owns a network interface from `InterfaceType`, `Description` and `RequesterId`.
///
/// The patterns are those seen in real describe-network-interfaces output (see docs/semantics.md).
enum InterfaceClassifier {
    static func kind(of interface: NetworkInterface, requesterManaged: Bool) -> InterfaceKind {
        let type = interface.interfaceType ?? "interface"
        let description = interface.interfaceDescription ?? ""
        let requester = interface.requesterID ?? ""
        switch type {
        case "nat_gateway", "natGateway": return .natGateway
        case "vpc_endpoint": return .vpcEndpoint
        case "gateway_load_balancer_endpoint": return .gatewayLoadBalancerEndpoint
        case "lambda": return .lambda
        case "transit_gateway": return .transitGateway
        case "load_balancer", "network_load_balancer": return .loadBalancer
        case "gateway_load_balancer": return .gatewayLoadBalancer
        case "branch": return .ecsTask
        case "efs": return .efs
        default: break
        }
        if description.hasPrefix("Interface for NAT Gateway") { return .natGateway }
        if description.hasPrefix("VPC Endpoint Interface") { return .vpcEndpoint }
        if description.hasPrefix("AWS Lambda VPC ENI") { return .lambda }
        if isECSAttachmentARN(description) { return .ecsTask }
        if description == "RDSNetworkInterface" || requester == "amazon-rds" { return .rds }
        if description.hasPrefix("ElastiCache") || requester == "amazon-elasticache" { return .elastiCache }
        if description.hasPrefix("ELB gwy/") { return .gatewayLoadBalancer }
        if description.hasPrefix("ELB ") || requester == "amazon-elb" { return .loadBalancer }
        if description.hasPrefix("EFS mount target") { return .efs }
        if interface.instanceID != nil && !requesterManaged { return .ec2Instance }
        return .other
    }

    /// Whether `text` is `arn:aws[-partition]:ecs:<region>:<account>:attachment/<uuid>`.
    static func isECSAttachmentARN(_ text: String) -> Bool {
        NetworkInterface.ecsAttachmentID(in: text) != nil
    }
}
