import PacketSets

/// Transit gateway outputs (`aws ec2 describe-transit-gateways`, `describe-transit-gateway-attachments`,
/// `describe-transit-gateway-vpc-attachments`, `describe-transit-gateway-route-tables`,
/// `search-transit-gateway-routes`), semantics §41.
extension FileReader {
    mutating func readTransitGateway(_ node: JSONNode) throws {
        let options = node["Options"]
        steps.append(
            .transitGateway(
                TransitGateway(
                    id: try node.string("TransitGatewayId"), state: try node.optionalString("State") ?? "available",
                    securityGroupReferencing: try options?.optionalString("SecurityGroupReferencingSupport")
                        == "enable",
                    tags: try node.tags(), source: context.location(node))))
    }

    /// An attachment from `describe-transit-gateway-attachments` (its association) or
    /// `describe-transit-gateway-vpc-attachments` (its subnets and options): the two merge by id.
    mutating func readTransitGatewayAttachment(_ node: JSONNode, vpcOutput: Bool) throws {
        let association = node["Association"]
        // The generic output omits `Association` for an attachment with none.
        let associationState = try association?.optionalString("State") ?? (vpcOutput ? nil : "disassociated")
        let options = node["Options"]
        let attachment = TransitGatewayAttachment(
            id: try node.string("TransitGatewayAttachmentId"), transitGatewayID: try node.string("TransitGatewayId"),
            kind: vpcOutput ? .vpc : .init(try node.string("ResourceType")),
            resourceID: try node.string(vpcOutput ? "VpcId" : "ResourceId"),
            state: try node.optionalString("State") ?? "available",
            routeTableID: associationState == "associated"
                ? try association?.optionalString("TransitGatewayRouteTableId") : nil,
            associationState: associationState,
            subnetIDs: vpcOutput ? try node.array("SubnetIds").map { try $0.string() } : nil,
            applianceMode: try options?.optionalString("ApplianceModeSupport") == "enable",
            securityGroupReferencing: try options?.optionalString("SecurityGroupReferencingSupport").map {
                $0 == "enable"
            },
            tags: try node.tags(), source: context.location(node))
        steps.append(.transitGatewayAttachment(attachment, fromVPCOutput: vpcOutput))
    }

    mutating func readTransitGatewayRouteTable(_ node: JSONNode) throws {
        steps.append(
            .transitGatewayRouteTable(
                TransitGatewayRouteTable(
                    id: try node.string("TransitGatewayRouteTableId"),
                    transitGatewayID: try node.string("TransitGatewayId"),
                    state: try node.optionalString("State") ?? "available", routes: nil, truncated: false,
                    tags: try node.tags(), source: context.location(node))))
    }

    /// A `search-transit-gateway-routes` output, whose table is named by the file or a folder
    /// (`tgw-rtb-….json`); `AdditionalRoutesAvailable` marks it truncated.
    mutating func readTransitGatewayRoutes(_ root: JSONNode) {
        guard let table = Self.id(in: context.pathComponents, matching: { $0.hasPrefix("tgw-rtb-") }) else {
            warn(
                "search-transit-gateway-routes output carries no route table id and none is in its path; name the file or folder after the table (tgw-rtb-….json); ignored",
                SourceLocation(file: context.file, jsonPath: "$.Routes"))
            return
        }
        do {
            var routes: [TransitGatewayRoute] = []
            for route in try root.required("Routes").array() {
                let destination: RouteDestination
                let prefixList = try route.optionalString("PrefixListId")
                if let block = route["DestinationCidrBlock"] {
                    let text = try block.string()
                    destination = text.contains(":") ? .ipv6(text) : .cidr(try cidr(block))
                } else if let prefixList {
                    destination = .prefixList(prefixList)
                } else {
                    throw route.fail("route has neither DestinationCidrBlock nor PrefixListId")
                }
                routes.append(
                    TransitGatewayRoute(
                        destination: destination, prefixListID: prefixList,
                        attachmentIDs: try route.array("TransitGatewayAttachments").map {
                            try $0.string("TransitGatewayAttachmentId")
                        },
                        isStatic: try route.optionalString("Type") == "static",
                        state: RouteState(try route.optionalString("State") ?? "active"),
                        source: context.location(route))
                )
            }
            let truncated = try root["AdditionalRoutesAvailable"]?.bool() ?? false
            if truncated {
                warn(
                    "search-transit-gateway-routes stopped at 1,000 routes (AdditionalRoutesAvailable): answers through \(table) are unknown",
                    SourceLocation(file: context.file, jsonPath: "$.AdditionalRoutesAvailable"))
            }
            steps.append(.transitGatewayRoutes(tableID: table, routes, truncated: truncated, file: context.file))
            count("TransitGatewayRoutes", context.placement, by: routes.count)
        } catch let error as JSONReadError {
            fail(error, vpcID: nil)
        } catch {}
    }
}

/// Site-to-Site VPN outputs (`aws ec2 describe-vpn-gateways`, `describe-vpn-connections`), semantics §42.
extension FileReader {
    mutating func readVPNGateway(_ node: JSONNode) throws {
        let attached = try node.array("VpcAttachments").compactMap { attachment -> String? in
            try attachment.optionalString("State") == "attached" ? try attachment.string("VpcId") : nil
        }
        steps.append(
            .vpnGateway(
                VPNGateway(
                    id: try node.string("VpnGatewayId"), state: try node.optionalString("State") ?? "available",
                    attachedVPCIDs: attached, tags: try node.tags(), source: context.location(node))))
    }

    mutating func readVPNConnection(_ node: JSONNode) throws {
        let routes = try node.array("Routes").compactMap { route -> CIDRBlock? in
            guard try route.optionalString("State") ?? "available" == "available",
                let block = route["DestinationCidrBlock"], !(try block.string()).contains(":")
            else { return nil }
            return try cidr(block)
        }
        let telemetry = try node.array("VgwTelemetry").map { try $0.optionalString("Status") }
        steps.append(
            .vpnConnection(
                VPNConnection(
                    id: try node.string("VpnConnectionId"), state: try node.optionalString("State") ?? "available",
                    vpnGatewayID: try node.optionalString("VpnGatewayId"),
                    transitGatewayID: try node.optionalString("TransitGatewayId"),
                    staticRoutesOnly: try node["Options"]?.optionalBool("StaticRoutesOnly") ?? false,
                    staticRoutes: routes, tunnelsUp: telemetry.filter { $0 == "UP" }.count, tunnels: telemetry.count,
                    tags: try node.tags(), source: context.location(node))))
    }
}
