import PacketSets

/// A configuration change between two snapshots, in words.
public struct ComponentChange: Sendable, Codable, Hashable, Comparable {
    /// `route-table`, `security-group`, `network-acl`, `peering-connection`, `transit-gateway`,
    /// `transit-gateway-attachment`, `transit-gateway-route-table`.
    public var kind: String
    /// The component's id.
    public var component: String
    /// Its `Name` tag (or group name).
    public var name: String?
    /// What the candidate has that the base did not.
    public var added: [String]
    /// What the base had that the candidate does not.
    public var removed: [String]

    public static func < (lhs: ComponentChange, rhs: ComponentChange) -> Bool {
        (lhs.kind, lhs.component) < (rhs.kind, rhs.component)
    }
}

/// Compares the routing and filtering configuration of two snapshots component by component.
enum ComponentChanges {
    /// The route tables, security groups, network ACLs and peering connections whose
    /// configuration differs, line by line.
    ///
    /// - Parameter vpcs: when given, only components of these VPCs (and those of no VPC) are
    ///   compared: the others are known to be alike.
    static func between(_ base: Snapshot, _ candidate: Snapshot, within vpcs: Set<String>? = nil) -> [ComponentChange] {
        var changes: [ComponentChange] = []
        func compare(
            _ kind: String, _ ids: Set<String>, name: (String) -> String?, vpcsOf: (Snapshot, String) -> [String],
            lines: (Snapshot, String) -> [String]?
        ) {
            for id in ids.sorted() {
                if let vpcs {
                    let owners = [base, candidate].flatMap { vpcsOf($0, id) }
                    if !owners.isEmpty && vpcs.isDisjoint(with: owners) { continue }
                }
                let before = lines(base, id)
                let after = lines(candidate, id)
                let added = (after ?? []).filter { !(before ?? []).contains($0) }
                let removed = (before ?? []).filter { !(after ?? []).contains($0) }
                let created = before == nil ? ["(created)"] : []
                let deleted = after == nil ? ["(deleted)"] : []
                guard !added.isEmpty || !removed.isEmpty || before == nil || after == nil else { continue }
                changes.append(
                    ComponentChange(
                        kind: kind, component: id, name: name(id), added: created + added, removed: deleted + removed))
            }
        }
        let both = [base, candidate]
        compare(
            "route-table", Set(both.flatMap { $0.routeTables.keys }),
            name: { id in both.lazy.compactMap { $0.routeTables[id]?.tags.name }.first },
            vpcsOf: { snapshot, id in snapshot.routeTables[id].map { [$0.vpcID] } ?? [] },
            lines: { snapshot, id in snapshot.routeTables[id].map(routeTableLines) })
        compare(
            "security-group", Set(both.flatMap { $0.securityGroups.keys }),
            name: { id in both.lazy.compactMap { $0.securityGroups[id].map { $0.tags.name ?? $0.name } }.first },
            vpcsOf: { snapshot, id in snapshot.securityGroups[id]?.vpcID.map { [$0] } ?? [] },
            lines: { snapshot, id in snapshot.securityGroups[id].map(securityGroupLines) })
        compare(
            "network-acl", Set(both.flatMap { $0.networkACLs.keys }),
            name: { id in both.lazy.compactMap { $0.networkACLs[id]?.tags.name }.first },
            vpcsOf: { snapshot, id in snapshot.networkACLs[id].map { [$0.vpcID] } ?? [] },
            lines: { snapshot, id in snapshot.networkACLs[id].map(networkACLLines) })
        compare(
            "peering-connection", Set(both.flatMap { $0.peeringConnections.keys }),
            name: { id in both.lazy.compactMap { $0.peeringConnections[id]?.tags.name }.first },
            vpcsOf: { snapshot, id in
                snapshot.peeringConnections[id].map { [$0.requester.vpcID, $0.accepter.vpcID] } ?? []
            },
            lines: { snapshot, id in
                snapshot.peeringConnections[id].map {
                    ["status \($0.status)"] + ($0.requester.cidrBlocks + $0.accepter.cidrBlocks).map { "carries \($0)" }
                }
            })
        // Transit gateways concern every VPC attached (§41): compared whatever the VPCs.
        compare(
            "transit-gateway-route-table", Set(both.flatMap { $0.transitGatewayRouteTables.keys }),
            name: { id in both.lazy.compactMap { $0.transitGatewayRouteTables[id]?.tags.name }.first },
            vpcsOf: { _, _ in [] },
            lines: { snapshot, id in
                snapshot.transitGatewayRouteTables[id].map { table in
                    var lines = (table.routes ?? []).map {
                        "\($0.destination) -> \($0.attachmentIDs.isEmpty ? "blackhole" : $0.attachmentIDs.joined(separator: ", ")) (\($0.isStatic ? "static" : "propagated"), \($0.state))"
                    }
                    lines += snapshot.transitGatewayAttachments.values.filter { $0.routeTableID == id }.map {
                        "associated with \($0.id)"
                    }
                    return lines.sorted()
                }
            })
        compare(
            "transit-gateway-attachment", Set(both.flatMap { $0.transitGatewayAttachments.keys }),
            name: { id in both.lazy.compactMap { $0.transitGatewayAttachments[id]?.tags.name }.first },
            vpcsOf: { _, _ in [] },
            lines: { snapshot, id in
                snapshot.transitGatewayAttachments[id].map { attachment in
                    ["state \(attachment.state)", "\(attachment.kind) \(attachment.resourceID)"]
                        + (attachment.subnetIDs ?? []).sorted().map { "subnet \($0)" }
                        + (attachment.applianceMode ? ["appliance mode"] : [])
                        + (attachment.securityGroupReferencing == true ? ["security group referencing"] : [])
                }
            })
        compare(
            "vpn-connection", Set(both.flatMap { $0.vpnConnections.keys }),
            name: { id in both.lazy.compactMap { $0.vpnConnections[id]?.tags.name }.first },
            vpcsOf: { _, _ in [] },
            lines: { snapshot, id in
                snapshot.vpnConnections[id].map { connection in
                    [
                        "state \(connection.state)", "\(connection.tunnelsUp) of \(connection.tunnels) tunnels up",
                        connection.staticRoutesOnly ? "static routing" : "BGP routing",
                    ] + connection.staticRoutes.map { "static route \($0)" }
                }
            })
        compare(
            "transit-gateway", Set(both.flatMap { $0.transitGateways.keys }),
            name: { id in both.lazy.compactMap { $0.transitGateways[id]?.tags.name }.first },
            vpcsOf: { _, _ in [] },
            lines: { snapshot, id in
                snapshot.transitGateways[id].map {
                    ["state \($0.state)"] + ($0.securityGroupReferencing ? ["security group referencing"] : [])
                }
            })
        return changes.sorted()
    }

    static func routeTableLines(_ table: RouteTable) -> [String] {
        table.routes.map { "route \($0.destination) -> \($0.target) (\($0.state))" }
            + table.subnetIDs.sorted().map { "associated with \($0)" }
            + (table.isMain ? ["main table of \(table.vpcID)"] : [])
    }

    static func securityGroupLines(_ group: SecurityGroup) -> [String] {
        group.ingress.map { ruleLine($0, inbound: true) } + group.egress.map { ruleLine($0, inbound: false) }
    }

    /// `inbound tcp 22 from 0.0.0.0/0`, `outbound all traffic to sg-…`.
    static func ruleLine(_ rule: SecurityGroupRule, inbound: Bool) -> String {
        let ports: String
        switch rule.ipProtocol {
        case .all: ports = "all traffic"
        case .tcp, .udp:
            ports =
                "\(rule.ipProtocol) \((rule.fromPort ?? -1) < 0 ? "all ports" : PortText.range((rule.fromPort ?? 0)...max(rule.fromPort ?? 0, rule.toPort ?? 0)))"
        default: ports = "\(rule.ipProtocol) \(rule.fromPort ?? -1)/\(rule.toPort ?? -1)"
        }
        return "\(inbound ? "inbound" : "outbound") \(ports) \(inbound ? "from" : "to") \(rule.peer)"
    }

    static func networkACLLines(_ acl: NetworkACL) -> [String] {
        acl.entries.sorted { ($0.isEgress ? 1 : 0, $0.ruleNumber) < ($1.isEgress ? 1 : 0, $1.ruleNumber) }.map {
            entry in
            let ports = entry.portRange.map { " \(PortText.range($0))" } ?? ""
            return
                "\(entry.isEgress ? "outbound" : "inbound") rule \(entry.ruleNumber) \(entry.allows ? "allow" : "deny") \(entry.ipProtocol)\(ports) \(entry.cidrBlock?.description ?? "(IPv6)")"
        } + acl.subnetIDs.sorted().map { "associated with \($0)" }
    }
}
