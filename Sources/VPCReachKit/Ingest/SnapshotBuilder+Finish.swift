/// The last pass: merges interfaces from describe-instances, infers regions, and reports dangling
/// references.
extension SnapshotBuilder {
    mutating func finish() -> Snapshot {
        for (id, interface) in instanceInterfaces where snapshot.networkInterfaces[id] == nil {
            snapshot.networkInterfaces[id] = interface
        }
        for (id, interface) in snapshot.networkInterfaces where interface.instanceID != nil {
            guard let instance = snapshot.instances[interface.instanceID ?? ""] else { continue }
            if interface.kind == .other { snapshot.networkInterfaces[id]?.kind = .ec2Instance }
            if let platform = instance.platform { snapshot.networkInterfaces[id]?.platform = platform }
        }
        for skipped in unreadableInstanceInterfaces
        where skipped.id.map({ snapshot.networkInterfaces[$0] == nil }) ?? true {
            snapshot.incompleteness.append(skipped.incompleteness)
        }
        attachRecordSetsOfListedZones()
        inferRegions()
        reportDanglingReferences()
        reportMissingDNSExports()
        snapshot.diagnostics.sort()
        return snapshot
    }

    /// Warns once when private zones are loaded but the exports that decide who answers them are
    /// not: DNS answers then say what they assumed (semantics §36).
    mutating func reportMissingDNSExports() {
        guard snapshot.hostedZones.values.contains(where: \.isPrivate) else { return }
        let missing = ResolverConfiguration.Export.allCases.filter { !snapshot.resolver.exported.contains($0) }
        guard !missing.isEmpty else { return }
        snapshot.diagnostics.append(
            Diagnostic(
                .warning,
                "DNS answers assume the VPCs' instances ask the Route 53 Resolver and no Resolver rules, DNS Firewall or Route 53 Profiles apply where the snapshot lacks \(missing.map(\.rawValue).joined(separator: ", "))",
                at: nil))
    }

    /// Records in a path without a `Z…` id belong to the zone the nearest path name names, when a
    /// list-hosted-zones or get-hosted-zone output describes that zone; otherwise they are ignored
    /// with a warning.
    mutating func attachRecordSetsOfListedZones() {
        for pending in recordSetsOfListedZones {
            guard let id = pending.candidates.first(where: describedZones.contains) else {
                warn(
                    "list-resource-record-sets output carries no zone id, and no folder or file name in its path is a zone that list-hosted-zones or get-hosted-zone describes; put it in route53/<zone-id>/ or name it <zone-id>.json; ignored",
                    SourceLocation(file: pending.file, jsonPath: "$.ResourceRecordSets"))
                continue
            }
            var zone = zone(id, file: pending.file)
            zone.recordSets = (zone.recordSets ?? []) + pending.records
            snapshot.hostedZones[id] = zone
            count("ResourceRecordSets", pending.placement, by: pending.records.count)
        }
    }

    /// VPCs and groups without a region in data or path take it from their subnets' zones.
    mutating func inferRegions() {
        var regionOfVPC: [String: String] = [:]
        for subnet in snapshot.subnets.values.sorted(by: { $0.id < $1.id }) {
            if let region = subnet.placement.region { regionOfVPC[subnet.vpcID] = regionOfVPC[subnet.vpcID] ?? region }
        }
        for (id, vpc) in snapshot.vpcs where vpc.placement.region == nil {
            snapshot.vpcs[id]?.placement.region = regionOfVPC[id]
        }
        for (id, group) in snapshot.securityGroups where group.placement.region == nil {
            snapshot.securityGroups[id]?.placement.region = group.vpcID.flatMap { regionOfVPC[$0] }
        }
    }

    /// Warns about references to resources the snapshot lacks; the five kinds of reference are
    /// checked concurrently (the warnings are sorted with the rest).
    mutating func reportDanglingReferences() {
        let snapshot = snapshot
        let checks: [@Sendable () -> [Diagnostic]] = [
            { Self.danglingSubnetReferences(snapshot) }, { Self.danglingInterfaceReferences(snapshot) },
            { Self.danglingRouteReferences(snapshot) }, { Self.danglingGroupReferences(snapshot) },
            { Self.danglingECSReferences(snapshot) },
        ]
        self.snapshot.diagnostics += checks.concurrentMap { $0() }.joined()
    }

    private static func warning(_ message: String, _ location: SourceLocation) -> Diagnostic {
        Diagnostic(.warning, message, at: location)
    }

    private static func danglingSubnetReferences(_ snapshot: Snapshot) -> [Diagnostic] {
        snapshot.subnets.values.filter { snapshot.vpcs[$0.vpcID] == nil }.map { subnet in
            warning(
                "subnet '\(subnet.id)' belongs to VPC '\(subnet.vpcID)', which is not in the snapshot", subnet.source)
        }
    }

    private static func danglingInterfaceReferences(_ snapshot: Snapshot) -> [Diagnostic] {
        var found: [Diagnostic] = []
        for interface in snapshot.networkInterfaces.values {
            if snapshot.subnets[interface.subnetID] == nil {
                found.append(
                    warning(
                        "network interface '\(interface.id)' is in subnet '\(interface.subnetID)', which is not in the snapshot",
                        interface.source))
            }
            for group in interface.groupIDs {
                guard let home = snapshot.securityGroups[group].map({ $0.vpcID }) else {
                    found.append(
                        warning(
                            "network interface '\(interface.id)' carries security group '\(group)', which is not in the snapshot",
                            interface.source))
                    continue
                }
                // A group is used in another VPC only through a security group VPC association.
                if let home, home != interface.vpcID,
                    !(snapshot.securityGroupVPCAssociations[group]?.contains(interface.vpcID) ?? false)
                {
                    found.append(
                        warning(
                            "network interface '\(interface.id)' in '\(interface.vpcID)' carries security group '\(group)' of '\(home)', and the snapshot shows no association of that group with '\(interface.vpcID)' (describe-security-group-vpc-associations); its rules are applied as exported",
                            interface.source))
                }
            }
        }
        return found
    }

    private static func danglingRouteReferences(_ snapshot: Snapshot) -> [Diagnostic] {
        var found: [Diagnostic] = []
        for table in snapshot.routeTables.values {
            for route in table.routes {
                switch route.target {
                case .peeringConnection(let id) where snapshot.peeringConnections[id] == nil:
                    found.append(
                        warning(
                            "route to \(route.destination) in '\(table.id)' targets peering connection '\(id)', which is not in the snapshot",
                            route.source))
                case .natGateway(let id) where snapshot.natGateways[id] == nil:
                    found.append(
                        warning(
                            "route to \(route.destination) in '\(table.id)' targets NAT gateway '\(id)', which is not in the snapshot",
                            route.source))
                case .internetGateway(let id) where snapshot.internetGateways[id] == nil:
                    found.append(
                        warning(
                            "route to \(route.destination) in '\(table.id)' targets internet gateway '\(id)', which is not in the snapshot",
                            route.source))
                default: break
                }
                if case .prefixList(let id) = route.destination, snapshot.prefixLists[id]?.cidrBlocks == nil {
                    found.append(
                        warning(
                            "route in '\(table.id)' uses prefix list '\(id)', whose entries are not in the snapshot",
                            route.source))
                }
            }
        }
        return found
    }

    private static func danglingGroupReferences(_ snapshot: Snapshot) -> [Diagnostic] {
        var found: [Diagnostic] = []
        for group in snapshot.securityGroups.values {
            for rules in [group.ingress, group.egress] {
                for rule in rules {
                    switch rule.peer {
                    case .group(let reference) where snapshot.securityGroups[reference.groupID] == nil:
                        found.append(
                            warning(
                                "security group '\(group.id)' has a rule referencing '\(reference)', which is not in the snapshot",
                                rule.source))
                    case .prefixList(let id) where snapshot.prefixLists[id]?.cidrBlocks == nil:
                        found.append(
                            warning(
                                "security group '\(group.id)' has a rule using prefix list '\(id)', whose entries are not in the snapshot",
                                rule.source))
                    default: break
                    }
                }
            }
        }
        return found
    }

    private static func danglingECSReferences(_ snapshot: Snapshot) -> [Diagnostic] {
        var found: [Diagnostic] = []
        for service in snapshot.ecsServices.values {
            for subnet in service.subnetIDs where snapshot.subnets[subnet] == nil {
                found.append(
                    warning(
                        "ECS service '\(service.clusterName)/\(service.name)' places tasks in subnet '\(subnet)', which is not in the snapshot",
                        service.source))
            }
        }
        for task in snapshot.ecsTasks.values where task.lastStatus == "RUNNING" {
            if let eni = task.networkInterfaceID, snapshot.networkInterfaces[eni] == nil {
                found.append(
                    warning(
                        "ECS task '\(task.arn)' uses network interface '\(eni)', which is not in the snapshot",
                        task.source))
            }
        }
        return found
    }
}
