import PacketSets

/// Applies the steps read from each file, in the files' order, then cross-checks them into a
/// ``Snapshot``.
struct SnapshotBuilder: Sendable {
    var snapshot: Snapshot
    /// Interfaces seen only inside describe-instances output, used when describe-network-interfaces lacks them.
    var instanceInterfaces: [String: NetworkInterface] = [:]
    /// Interfaces inside describe-instances output that could not be read, by id when it was readable.
    var unreadableInstanceInterfaces: [(id: String?, incompleteness: Incompleteness)] = []
    /// Zones described by list-hosted-zones or get-hosted-zone (counted once, whichever output comes first).
    var describedZones: Set<String> = []
    /// Records whose zone only a described zone's id in their path can name, matched when every file is read.
    var recordSetsOfListedZones:
        [(candidates: [String], records: [ResourceRecordSet], placement: Placement, file: String)] = []

    init(root: String) {
        snapshot = Snapshot(root: root)
    }

    /// Stores what one file says; a later copy of a resource replaces an earlier one, except
    /// where ``IngestStep`` says the two merge.
    mutating func apply(_ steps: [IngestStep]) {
        for step in steps {
            switch step {
            case .vpc(let vpc): apply(vpc)
            case .vpcAttribute(let id, let key, let value, let placement, let file):
                applyAttribute(key, value, toVPC: id, placement: placement, file: file)
            case .subnet(let subnet):
                store(subnet, id: subnet.id, vpcID: subnet.vpcID, kind: "subnet", in: \.subnets) {
                    $0.tags = Tags()
                    $0.placement = Placement(account: nil, region: nil)
                }
            case .routeTable(let table):
                store(table, id: table.id, vpcID: table.vpcID, kind: "route table", in: \.routeTables) {
                    $0.tags = Tags()
                }
            case .securityGroup(let group):
                store(group, id: group.id, vpcID: group.vpcID, kind: "security group", in: \.securityGroups) {
                    $0.tags = Tags()
                    $0.placement = Placement(account: nil, region: nil)
                }
            case .networkACL(let acl):
                store(acl, id: acl.id, vpcID: acl.vpcID, kind: "network ACL", in: \.networkACLs) { $0.tags = Tags() }
            case .networkInterface(let interface):
                store(
                    interface, id: interface.id, vpcID: interface.vpcID, kind: "network interface",
                    in: \.networkInterfaces
                ) {
                    $0.tags = Tags()
                    $0.placement = Placement(account: nil, region: nil)
                }
            case .instanceInterface(let interface): instanceInterfaces[interface.id] = interface
            case .unreadableInstanceInterface(let id, let incompleteness):
                unreadableInstanceInterfaces.append((id, incompleteness))
            case .instance(let instance): snapshot.instances[instance.id] = instance
            case .internetGateway(let gateway):
                store(
                    gateway, id: gateway.id, vpcID: gateway.attachedVPCIDs.first, kind: "internet gateway",
                    in: \.internetGateways
                ) { $0.tags = Tags() }
            case .natGateway(let gateway):
                store(gateway, id: gateway.id, vpcID: gateway.vpcID, kind: "NAT gateway", in: \.natGateways) {
                    $0.tags = Tags()
                }
            case .peeringConnection(let connection):
                store(
                    connection, id: connection.id, vpcID: connection.requester.vpcID, kind: "peering connection",
                    in: \.peeringConnections
                ) { $0.tags = Tags() }
            case .prefixList(let id, let name, let cidrBlocks, let isIPv6, let source):
                applyPrefixList(id, name: name, cidrBlocks: cidrBlocks, isIPv6: isIPv6, source: source)
            case .prefixListEntries(let id, let cidrBlocks, let file):
                applyPrefixListEntries(id, cidrBlocks, file: file)
            case .hostedZone(let description): apply(description)
            case .recordSets(let id, let records, let file):
                var zone = zone(id, file: file)
                zone.recordSets = (zone.recordSets ?? []) + records
                snapshot.hostedZones[id] = zone
            case .recordSetsOfListedZone(let candidates, let records, let placement, let file):
                recordSetsOfListedZones.append((candidates, records, placement, file))
            case .loadBalancer(let balancer): snapshot.loadBalancers[balancer.id] = balancer
            case .listener(let id, let listener): apply(listener, ofLoadBalancer: id)
            case .ecsService(let service): snapshot.ecsServices["\(service.clusterName)/\(service.name)"] = service
            case .ecsTask(let task): snapshot.ecsTasks[task.arn] = task
            case .resolver(let item): apply(item)
            case .securityGroupVPCAssociation(let groupID, let vpcID):
                if !(snapshot.securityGroupVPCAssociations[groupID]?.contains(vpcID) ?? false) {
                    snapshot.securityGroupVPCAssociations[groupID, default: []].append(vpcID)
                }
            case .vpnGateway(let gateway): snapshot.vpnGateways[gateway.id] = gateway
            case .vpnConnection(let connection): snapshot.vpnConnections[connection.id] = connection
            case .transitGateway(let gateway): snapshot.transitGateways[gateway.id] = gateway
            case .transitGatewayAttachment(let attachment, let fromVPCOutput):
                apply(attachment, fromVPCOutput: fromVPCOutput)
            case .transitGatewayRouteTable(let table):
                var table = table
                table.routes = snapshot.transitGatewayRouteTables[table.id]?.routes
                table.truncated = snapshot.transitGatewayRouteTables[table.id]?.truncated ?? false
                snapshot.transitGatewayRouteTables[table.id] = table
            case .transitGatewayRoutes(let id, let routes, let truncated, let file):
                var table =
                    snapshot.transitGatewayRouteTables[id]
                    ?? TransitGatewayRouteTable(
                        id: id, transitGatewayID: "", state: "available", routes: nil, truncated: false, tags: Tags(),
                        source: SourceLocation(file: file))
                table.routes = (table.routes ?? []) + routes
                table.truncated = table.truncated || truncated
                snapshot.transitGatewayRouteTables[id] = table
            case .count(let key, let placement, let amount): count(key, placement, by: amount)
            case .diagnostic(let diagnostic): snapshot.diagnostics.append(diagnostic)
            case .incompleteness(let incompleteness): snapshot.incompleteness.append(incompleteness)
            }
        }
    }

    /// Stores `resource` under `id`. A second copy (the same resource exported by two accounts or
    /// two runs) is dropped when its content is the same (`comparable` clears what may differ
    /// between accounts: tags, placement); with other content it is an error naming both places,
    /// the first copy is kept and the VPC is incomplete, so answers touching it are unknown.
    mutating func store<R: ReadFromSource & Equatable>(
        _ resource: R, id: String, vpcID: String?, kind: String, in table: WritableKeyPath<Snapshot, [String: R]>,
        comparable: (inout R) -> Void
    ) {
        guard let existing = snapshot[keyPath: table][id] else {
            snapshot[keyPath: table][id] = resource
            return
        }
        var (first, second) = (existing.sourceless, resource.sourceless)
        comparable(&first)
        comparable(&second)
        guard first != second else { return }
        let reason =
            "\(kind) '\(id)' is exported twice with different content (\(existing.source) and \(resource.source)); the first copy is used"
        snapshot.diagnostics.append(Diagnostic(.error, reason, at: resource.source))
        snapshot.incompleteness.append(
            Incompleteness(
                vpcID: vpcID,
                reason: "\(reason), so \(vpcID.map { "VPC '\($0)'" } ?? "the whole snapshot") is incomplete"))
    }

    /// A VPC: the first copy wins; DNS attributes read before it are kept.
    mutating func apply(_ vpc: VPC) {
        var vpc = vpc
        let existing = snapshot.vpcs[vpc.id]
        if let existing, !existing.cidrBlocks.isEmpty {
            warn("VPC '\(vpc.id)' appears more than once; the first copy (\(existing.source)) is used", vpc.source)
            return
        }
        vpc.dnsSupport = existing?.dnsSupport
        vpc.dnsHostnames = existing?.dnsHostnames
        snapshot.vpcs[vpc.id] = vpc
    }

    /// A `describe-vpc-attribute` output, before or after its VPC.
    mutating func applyAttribute(_ key: String, _ value: Bool, toVPC id: String, placement: Placement, file: String) {
        var vpc =
            snapshot.vpcs[id]
            ?? VPC(
                id: id, placement: placement, cidrBlocks: [], dnsSupport: nil, dnsHostnames: nil, isDefault: false,
                tags: Tags(), source: SourceLocation(file: file))
        if key == "EnableDnsSupport" { vpc.dnsSupport = value } else { vpc.dnsHostnames = value }
        snapshot.vpcs[id] = vpc
    }

    /// A prefix list's description (AWS-managed lists carry their blocks).
    mutating func applyPrefixList(
        _ id: String, name: String?, cidrBlocks: [CIDRBlock]?, isIPv6: Bool, source: SourceLocation
    ) {
        var list = snapshot.prefixLists[id] ?? PrefixList(id: id, name: nil, cidrBlocks: nil, source: source)
        list.name = name ?? list.name
        if let cidrBlocks { list.cidrBlocks = cidrBlocks }
        if isIPv6 { list.cidrBlocks = list.cidrBlocks ?? [] }
        snapshot.prefixLists[id] = list
    }

    /// A `get-managed-prefix-list-entries` output: its blocks join the list's.
    mutating func applyPrefixListEntries(_ id: String, _ cidrBlocks: [CIDRBlock], file: String) {
        var list =
            snapshot.prefixLists[id]
            ?? PrefixList(id: id, name: nil, cidrBlocks: nil, source: SourceLocation(file: file))
        list.cidrBlocks = (list.cidrBlocks ?? []) + cidrBlocks
        snapshot.prefixLists[id] = list
    }

    /// A hosted zone's description (`list-hosted-zones` or `get-hosted-zone`), counted once.
    mutating func apply(_ description: HostedZoneDescription) {
        if describedZones.insert(description.id).inserted { count("HostedZones", description.placement) }
        var zone = zone(description.id, file: description.file)
        zone.name = description.name
        zone.isPrivate = description.isPrivate
        if let associations = description.vpcAssociations { zone.vpcAssociations = associations }
        if let source = description.source { zone.source = source }
        snapshot.hostedZones[zone.id] = zone
    }

    /// A transit gateway attachment: the generic output gives its association, the VPC output its
    /// subnets and options; whichever comes second fills in what the first lacked.
    mutating func apply(_ attachment: TransitGatewayAttachment, fromVPCOutput: Bool) {
        guard var merged = snapshot.transitGatewayAttachments[attachment.id] else {
            snapshot.transitGatewayAttachments[attachment.id] = attachment
            return
        }
        if fromVPCOutput {
            merged.subnetIDs = attachment.subnetIDs
            merged.applianceMode = attachment.applianceMode
            merged.securityGroupReferencing = attachment.securityGroupReferencing
        } else if merged.associationState == nil || attachment.routeTableID != nil || merged.routeTableID == nil {
            // A gateway shared with other accounts (RAM) lists the attachment in each account's export;
            // a copy showing the association (the gateway owner's) is kept over one that shows none.
            merged.kind = attachment.kind
            merged.routeTableID = attachment.routeTableID
            merged.associationState = attachment.associationState
            merged.state = attachment.state
            merged.source = attachment.source
        }
        snapshot.transitGatewayAttachments[attachment.id] = merged
    }

    /// A listener, kept once per protocol and port.
    mutating func apply(_ listener: Listener, ofLoadBalancer id: String) {
        let known =
            snapshot.listeners[id]?.contains { $0.port == listener.port && $0.protocolName == listener.protocolName }
            ?? false
        if !known { snapshot.listeners[id, default: []].append(listener) }
    }

    /// Adds one item of the DNS configuration exports; items the same export lists twice (two
    /// accounts, two runs) are kept once.
    mutating func apply(_ item: FileReader.ResolverItem) {
        var resolver = snapshot.resolver
        defer { snapshot.resolver = resolver }
        switch item {
        case .dhcpOptions(let options): resolver.dhcpOptions[options.id] = resolver.dhcpOptions[options.id] ?? options
        case .rule(let rule): resolver.rules[rule.id] = resolver.rules[rule.id] ?? rule
        case .ruleAssociation(let association):
            if !resolver.ruleAssociations.contains(where: {
                $0.ruleID == association.ruleID && $0.vpcID == association.vpcID
            }) {
                resolver.ruleAssociations.append(association)
            }
        case .firewallAssociation(let association):
            if !resolver.firewallAssociations.contains(where: {
                $0.groupID == association.groupID && $0.vpcID == association.vpcID
            }) {
                resolver.firewallAssociations.append(association)
            }
        case .firewallRule(let rule):
            var rules = resolver.firewallRules[rule.groupID] ?? []
            if !rules.contains(where: { $0.priority == rule.priority }) { rules.append(rule) }
            resolver.firewallRules[rule.groupID] = rules
        case .firewallDomains(let listID, let domains):
            resolver.firewallDomains[listID, default: []].append(contentsOf: domains)
        case .profileAssociation(let association):
            if !resolver.profileAssociations.contains(where: {
                $0.profileID == association.profileID && $0.vpcID == association.vpcID
            }) {
                resolver.profileAssociations.append(association)
            }
        case .profileResource(let resource):
            if !(resolver.profileResources[resource.profileID]?.contains { $0.resourceID == resource.resourceID }
                ?? false)
            {
                resolver.profileResources[resource.profileID, default: []].append(resource)
            }
        case .exported(let export): resolver.exported.insert(export)
        case .firewallRulesExported(let group): resolver.exportedFirewallRuleGroups.insert(group)
        case .profileResourcesExported(let profile): resolver.exportedProfileResources.insert(profile)
        }
    }

    func zone(_ id: String, file: String) -> HostedZone {
        snapshot.hostedZones[id]
            ?? HostedZone(
                id: id, name: "", isPrivate: false, vpcAssociations: nil, recordSets: nil,
                source: SourceLocation(file: file))
    }

    mutating func count(_ key: String, _ placement: Placement, by amount: Int = 1) {
        snapshot.counts[key, default: 0] += amount
        snapshot.countsByPlacement[placement, default: [:]][key, default: 0] += amount
    }

    mutating func warn(_ message: String, _ location: SourceLocation?) {
        snapshot.diagnostics.append(Diagnostic(.warning, message, at: location))
    }
}
