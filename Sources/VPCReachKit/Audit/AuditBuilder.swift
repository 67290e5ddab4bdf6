import PacketSets

/// Builds an ``AuditReport`` from a snapshot (and, optionally, policy results and a diff).
public struct AuditBuilder: Sendable {
    /// Ports reported by default, with the service usually behind them.
    public static let defaultSensitivePorts: [(port: Int, service: String)] = [
        (22, "SSH"), (3389, "RDP"), (5432, "PostgreSQL"), (6379, "Redis"), (8008, "Patroni REST API"),
    ]

    let index: NetworkIndex
    /// The client range replies must reach; `nil`: each source's own (semantics §26).
    let ephemeralPorts: ClosedRange<Int>?
    var snapshot: Snapshot { index.snapshot }

    /// Indexes `snapshot`.
    public init(snapshot: Snapshot, ephemeralPorts: ClosedRange<Int>? = nil) {
        index = NetworkIndex(snapshot)
        self.ephemeralPorts = ephemeralPorts
    }

    /// The report.
    ///
    /// - Parameters:
    ///   - generatedAt: the timestamp to print (injected, so that the same input gives the same bytes).
    ///   - extraPorts: more TCP ports to treat as sensitive.
    ///   - policy: `check` results to include.
    ///   - diff: a reachability diff to include.
    public func build(
        generatedAt: String, extraPorts: [Int] = [], policy: CheckReport? = nil, diff: ReachabilityDiff? = nil
    ) -> AuditReport {
        let extra = Set(extraPorts).subtracting(Self.defaultSensitivePorts.map(\.port)).sorted()
        let ports = Self.defaultSensitivePorts + extra.map { ($0, "port \($0)") }
        let sensitive = sensitivePorts(ports.sorted { $0.port < $1.port })
        let exposure = internetExposure()
        let peerings = peeringReviews()
        let dns = dnsReview()
        var findings = FindingContext(index: index, sensitivePorts: ports.map(\.port)).findings()
        findings += exposureFindings(sensitive)
        findings += dns.unresolved.map { line in
            Finding(
                rule: "DNS_NAME_UNRESOLVED", severity: .high,
                title: "a name used across a peering does not resolve: \(line)", evidence: [line],
                sources: [],
                remediation:
                    "associate the private zone with the VPC that uses the name (route53 associate-vpc-with-hosted-zone)"
            )
        }
        var report = AuditReport(
            snapshot: snapshot.root, generatedAt: generatedAt, inventory: inventory(), sensitivePorts: sensitive,
            internetExposure: exposure,
            peerings: peerings, dns: dns, findings: findings.sorted(), policy: policy, diff: diff)
        let transit = transitGatewayReviews()
        report.transitGateways = transit.isEmpty ? nil : transit
        return report
    }

    // MARK: - Inventory

    func inventory() -> InventorySection {
        let interfaces = snapshot.networkInterfaces.values.sorted { $0.id < $1.id }
        let countBySubnet = Dictionary(grouping: interfaces, by: \.subnetID).mapValues(\.count)
        let vpcs = snapshot.vpcs.values.sorted { $0.id < $1.id }.map { vpc in
            InventorySection.VPCRow(
                id: vpc.id, name: vpc.tags.name, account: vpc.placement.account, region: vpc.placement.region,
                cidrBlocks: vpc.cidrBlocks.map(\.description), dnsSupport: vpc.dnsSupport,
                dnsHostnames: vpc.dnsHostnames,
                subnets: snapshot.subnets.values.filter { $0.vpcID == vpc.id }.sorted { $0.cidrBlock < $1.cidrBlock }
                    .map { subnet in
                        InventorySection.SubnetRow(
                            id: subnet.id, name: subnet.tags.name, cidrBlock: subnet.cidrBlock.description,
                            availabilityZone: subnet.availabilityZone,
                            routeTable: index.routeTable(forSubnet: subnet.id).map { index.label($0.id) },
                            routeTableAssociation: index.hasExplicitRouteTable(subnet.id) ? "explicit" : "main",
                            networkACL: index.networkACL(forSubnet: subnet.id).map { index.label($0.id) },
                            interfaces: countBySubnet[subnet.id] ?? 0)
                    })
        }
        let services = snapshot.ecsServices.values.sorted { ($0.clusterName, $0.name) < ($1.clusterName, $1.name) }.map
        { service in
            InventorySection.ServiceRow(
                cluster: service.clusterName, name: service.name, subnets: service.subnetIDs,
                securityGroups: service.securityGroupIDs,
                runningTasks: snapshot.ecsTasks.values.filter {
                    $0.clusterName == service.clusterName && $0.serviceName == service.name
                        && $0.lastStatus == "RUNNING"
                }.count)
        }
        let placements = snapshot.countsByPlacement.keys
        return InventorySection(
            accounts: Set(placements.compactMap(\.account)).sorted(),
            regions: Set(placements.compactMap(\.region)).sorted(),
            counts: snapshot.counts, vpcs: vpcs,
            interfaceKinds: Dictionary(grouping: interfaces, by: \.kind.rawValue).mapValues(\.count),
            interfaces: interfaces.map { interface in
                InventorySection.InterfaceRow(
                    id: interface.id, name: interface.tags.name, kind: interface.kind.rawValue,
                    owner: interface.instanceID ?? interface.interfaceDescription, vpc: interface.vpcID,
                    subnet: interface.subnetID,
                    privateAddresses: interface.privateAddresses.map(\.description),
                    publicAddresses: interface.publicAddresses.map(\.description),
                    securityGroups: interface.groupIDs)
            },
            ecsServices: services, diagnostics: snapshot.diagnostics)
    }

    // MARK: - Reachability sections

    /// Every public unicast IPv4 address outside the snapshot's VPCs: "the internet".
    var internetAddresses: IntervalSet {
        let reserved = [
            "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
            "192.168.0.0/16", "224.0.0.0/3",
        ]
        .compactMap { CIDRBlock($0)?.range }
        let vpcs = snapshot.vpcs.values.flatMap { $0.cidrBlocks.map(\.range) }
        return IntervalSet(0...UInt32.max).subtracting(IntervalSet(reserved + vpcs))
    }

    var internet: Endpoint {
        Endpoint(
            kind: .external, id: "internet", label: "the internet", addresses: internetAddresses, subnetID: nil,
            vpcID: nil, groupIDs: [],
            hasPublicAddress: true)
    }

    /// `any internet address`, or the blocks when only some can.
    func describeInternet(_ addresses: IntervalSet) -> [String] {
        addresses == internetAddresses ? ["any internet address"] : AddressText.describe(addresses)
    }

    /// The packets of `evaluation` for which some source address works with every ephemeral port.
    static func reachableFromSomeSource(_ evaluation: PairEvaluation) -> PacketSet {
        let bad = evaluation.flow.subtracting(evaluation.passing)
        return evaluation.flow.widening([.sourcePort]).subtracting(bad.widening([.sourcePort]))
    }

    static func ingressRules(_ answer: PairAnswer) -> [String] {
        answer.forward.filter { $0.kind == .securityGroupIngress }.flatMap(\.details)
    }

    func sensitivePorts(_ ports: [(port: Int, service: String)]) -> [SensitivePort] {
        let resolver = SelectorResolver(index: index)
        let interfaces = resolver.interfaces { !$0.kind.isForwarder }
        let outside = internet
        return ports.map { port, service in
            let analyzer = PathAnalyzer(
                index: index,
                traffic: Traffic(ipProtocol: .tcp, ports: port...port, ephemeralPorts: ephemeralPorts))
            var destinations: [SensitivePort.Destination] = []
            let reachers = ReachersAnalyzer(index: index)
            for destination in interfaces {
                var groups: [String: [String]] = [:]
                var rules = Set<String>()
                var undecided: [String] = []
                let sources = interfaces.filter { $0.id != destination.id }
                let outcomes = reachers.outcomes(of: sources, to: destination, traffic: analyzer.traffic)
                for (source, outcome) in zip(sources, outcomes) {
                    switch outcome {
                    case .undecided: undecided.append(source.id)
                    case .reaching:
                        groups[
                            "\(index.role(of: source)) in \(source.subnetID.map { index.label($0) } ?? "?")",
                            default: []
                        ].append(source.id)
                        // The rules that admit it, from its own path.
                        rules.formUnion(Self.ingressRules(analyzer.analyze(from: source, to: destination)))
                    case .partial, .blocked: continue
                    }
                }
                let fromOutside = analyzer.evaluate(from: outside, to: destination)
                let reached = Self.reachableFromSomeSource(fromOutside)
                if !reached.isEmpty {
                    groups["internet", default: []] += describeInternet(reached.values(of: .sourceAddress))
                    rules.formUnion(Self.ingressRules(analyzer.answer(fromOutside)))
                }
                guard !groups.isEmpty || !undecided.isEmpty else { continue }
                destinations.append(
                    SensitivePort.Destination(
                        id: destination.id, label: destination.label, role: index.role(of: destination),
                        sources: groups.keys.sorted().map {
                            SensitivePort.SourceGroup(group: $0, members: groups[$0] ?? [])
                        }, rules: rules.sorted(),
                        undecided: undecided))
            }
            return SensitivePort(port: port, service: service, destinations: destinations)
        }
    }

    func internetExposure() -> [Exposure] {
        let resolver = SelectorResolver(index: index)
        let analyzer = PathAnalyzer(
            index: index, traffic: Traffic(ipProtocol: .all, ephemeralPorts: ephemeralPorts))
        let outside = internet
        return resolver.interfaces { !$0.publicAddresses.isEmpty && !$0.kind.isForwarder }.compactMap { destination in
            let evaluation = analyzer.evaluate(from: outside, to: destination)
            let reached = Self.reachableFromSomeSource(evaluation)
            guard !reached.isEmpty else { return nil }
            let traffic = TrafficMap(projecting: reached)
            return Exposure(
                id: destination.id, label: destination.label,
                publicAddresses: snapshot.networkInterfaces[destination.id]?.publicAddresses.map(\.description) ?? [],
                traffic: traffic,
                trafficText: traffic.description, from: describeInternet(reached.values(of: .sourceAddress)),
                rules: Self.ingressRules(analyzer.answer(evaluation)))
        }
    }

    /// One finding per interface that some internet address reaches on a sensitive port, with the
    /// addresses per port.
    func exposureFindings(_ sensitive: [SensitivePort]) -> [Finding] {
        var byDestination: [String: (label: String, lines: [String], ports: [Int])] = [:]
        for port in sensitive {
            for destination in port.destinations {
                guard let internet = destination.sources.first(where: { $0.group == "internet" }) else { continue }
                var entry = byDestination[destination.id] ?? (destination.label, [], [])
                entry.ports.append(port.port)
                entry.lines.append(
                    "tcp \(port.port) (\(port.service)) from \(internet.members.joined(separator: ", "))")
                entry.lines += destination.rules.map { "  \($0)" }
                byDestination[destination.id] = entry
            }
        }
        return byDestination.keys.sorted().compactMap { id in
            guard let entry = byDestination[id] else { return nil }
            return Finding(
                rule: "INTERNET_EXPOSED_SENSITIVE_PORT", severity: .high,
                title:
                    "\(entry.label) is reachable from the internet on sensitive port(s) \(entry.ports.map(String.init).joined(separator: ", "))",
                evidence: entry.lines, sources: snapshot.networkInterfaces[id].map { [$0.source] } ?? [],
                remediation:
                    "remove the public address or narrow the inbound rules to known sources; put the service behind a load balancer or a VPN"
            )
        }
    }
}
