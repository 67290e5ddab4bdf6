/// Why traffic is dropped: Reachability Analyzer's explanation code where one fits
/// (https://docs.aws.amazon.com/vpc/latest/reachability/explanation-codes.html), else vpcreach's own
/// in the same style. The raw value is what every output prints.
public enum ExplanationCode: String, Sendable, Codable, Hashable, CaseIterable, CustomStringConvertible {
    // Routes
    case noRouteToDestination = "NO_ROUTE_TO_DESTINATION"
    case badState = "BAD_STATE"
    case badStateRoute = "BAD_STATE_ROUTE"
    case vpcLocalRouteCIDRRestriction = "VPC_LOCAL_ROUTE_CIDR_RESTRICTION"
    case pcxRequiresAddressInVPCCIDR = "PCX_REQUIRES_ADDRESS_IN_VPC_CIDR"
    case ngwRequiresSourceInVPC = "NGW_REQUIRES_SOURCE_IN_VPC"
    case protocolRestriction = "PROTOCOL_RESTRICTION"
    case eniSourceDestCheckRestriction = "ENI_SOURCE_DEST_CHECK_RESTRICTION"
    case badStateAttachment = "BAD_STATE_ATTACHMENT"
    // Transit gateways
    case tgwRouteAZRestriction = "TGW_ROUTE_AZ_RESTRICTION"
    case tgwAttachMissingTGWRTBAssociation = "TGW_ATTACH_MISSING_TGW_RTB_ASSOCIATION"
    case tgwRTBBadStateRoute = "TGW_RTB_BAD_STATE_ROUTE"
    case tgwBadStateVPN = "TGW_BAD_STATE_VPN"
    // Site-to-Site VPN
    case badStateVPN = "BAD_STATE_VPN"
    // Internet gateways
    case igwPublicIPAssociationForEgress = "IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS"
    case igwPrivateIPAssociationForIngress = "IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS"
    case igwDestinationAddressNotInRFC1918Egress = "IGW_DESTINATION_ADDRESS_NOT_IN_RFC1918_EGRESS"
    case igwDestinationAddressNotInRFC6598Egress = "IGW_DESTINATION_ADDRESS_NOT_IN_RFC6598_EGRESS"
    case igwSourceAddressNotInRFC1918Ingress = "IGW_SOURCE_ADDRESS_NOT_IN_RFC1918_INGRESS"
    case igwSourceAddressNotInRFC6598Ingress = "IGW_SOURCE_ADDRESS_NOT_IN_RFC6598_INGRESS"
    // Filters
    case subnetACLRestriction = "SUBNET_ACL_RESTRICTION"
    case eniSGRulesMismatch = "ENI_SG_RULES_MISMATCH"
    case sgHasNoRules = "SG_HAS_NO_RULES"
    // What a destination accepts
    case forwarderNotADestination = "FORWARDER_NOT_A_DESTINATION"
    case elbv2ListenerPortRestriction = "ELBV2_LISTENER_PORT_RESTRICTION"
    case elbListenerPortRestriction = "ELB_LISTENER_PORT_RESTRICTION"
    case awsServiceSourceRestriction = "AWS_SERVICE_SOURCE_RESTRICTION"
    case awsServicePortRestriction = "AWS_SERVICE_PORT_RESTRICTION"
    case reservedAddress = "RESERVED_ADDRESS"
    case noInterfaceAtAddress = "NO_INTERFACE_AT_ADDRESS"
    case noSubnetForAddress = "NO_SUBNET_FOR_ADDRESS"
    // DNS
    case dnsNXDOMAIN = "DNS_NXDOMAIN"
    case dnsResolverDisabled = "DNS_RESOLVER_DISABLED"
    case dnsFirewallBlock = "DNS_FIREWALL_BLOCK"

    public var description: String { rawValue }
}
