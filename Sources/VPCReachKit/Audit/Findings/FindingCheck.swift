import PacketSets

/// One check behind the report's findings: adding a finding is adding a file with one of these
/// and listing it in ``FindingChecks/all``.
protocol FindingCheck: Sendable {
    /// The rule ids its findings carry (docs/report.md lists each).
    static var rules: [String] { get }
    /// The findings on one snapshot.
    func evaluate(_ context: FindingContext) -> [Finding]
}

/// Every check, in the order the report lists their findings.
enum FindingChecks {
    static let all: [any FindingCheck] = [
        OpenToWorld(), StaleReferences(), UnusedGroups(), BlackholeRoutes(), WidePeeringRoutes(),
        AsymmetricPeeringRoutes(),
        ShadowedNetworkACLAllows(), DNSAttributes(), Unknowns(),
    ]

    /// Every rule id a finding may carry.
    static var rules: [String] { all.flatMap { type(of: $0).rules } }
}

/// What a check reads.
struct FindingContext: Sendable {
    let index: NetworkIndex
    /// The ports the report treats as sensitive.
    let sensitivePorts: [Int]
    var snapshot: Snapshot { index.snapshot }

    /// Every finding of every check.
    func findings() -> [Finding] {
        FindingChecks.all.flatMap { $0.evaluate(self) }
    }

    /// The subnets that use a table, explicitly or as their VPC's main table.
    func subnets(using table: RouteTable) -> [Subnet] {
        snapshot.subnets.values.filter { index.routeTable(forSubnet: $0.id)?.id == table.id }.sorted { $0.id < $1.id }
    }
}
