import Testing

@testable import VPCReachKit

/// The matrix evaluates classes of alike interfaces once; every cell must be what evaluating
/// its own pair gives.
@Suite struct MatrixClassesTests {
    @Test func everyFixtureEstateAgreesWithPairEvaluation() throws {
        var decided = 0
        for estate in ReachersTests.estates {
            decided += try expectAgreement(try Fixtures.load(estate), name: estate)
        }
        // The fixtures hold VPCs without routes to each other: route decisions are exercised.
        #expect(decided > 0)
    }

    @Test(arguments: 0..<2)
    func randomEstatesWithTwinInterfacesAgreeWithPairEvaluation(batch: Int) throws {
        for seed in UInt64(batch * 10)..<UInt64(batch * 10 + 10) {
            try expectAgreement(RandomEstate.withTwins(RandomEstate.make(seed: seed)), name: "random \(seed)")
        }
    }

    /// Network ACLs and routes are evaluated once per pair of subnets, on the whole subnets, and
    /// restricted to each pair of classes: a /32 ACL entry for one interface must not reach the
    /// other interfaces of its subnet.
    @Test(arguments: 0..<5)
    func sharedPathStagesAreRestrictedToEachPair(seed: Int) throws {
        var snapshot = RandomEstate.make(seed: UInt64(seed))
        let firsts = snapshot.networkInterfaces.values.sorted { $0.id < $1.id }.compactMap(\.privateAddresses.first)
        for id in snapshot.networkACLs.keys {
            snapshot.networkACLs[id]?.entries =
                firsts.prefix(2).enumerated().flatMap { number, address in
                    [
                        RandomEstate.aclEntry(
                            1 + number, egress: true, allow: false, ports: 0...1000, block: "\(address)/32"),
                        RandomEstate.aclEntry(
                            1 + number, egress: false, allow: false, ports: 2000...3000, block: "\(address)/32"),
                    ]
                } + [
                    RandomEstate.aclEntry(100, egress: false, allow: true),
                    RandomEstate.aclEntry(100, egress: true, allow: true),
                ]
        }
        try expectAgreement(snapshot, name: "random \(seed) with /32 ACL entries")
    }

    /// Returns how many pairs route tables decided.
    @discardableResult
    func expectAgreement(_ snapshot: Snapshot, name: String) throws -> Int {
        let builder = MatrixBuilder(snapshot: snapshot)
        let matrix = try builder.build(scope: nil)
        let analyzer = PathAnalyzer(index: builder.index, traffic: Traffic(ipProtocol: .all))
        let endpoints = Dictionary(
            uniqueKeysWithValues: SelectorResolver(index: builder.index).interfaces { !$0.kind.isForwarder }.map {
                ($0.id, $0)
            })
        let count = endpoints.count
        var seen = Set<[String]>()
        var decided = 0
        try matrix.forEachPair { source, destination, cell in
            #expect(
                seen.insert([source, destination]).inserted, "\(name): \(source) -> \(destination) is in two cells")
            let sourceEnd = try #require(endpoints[source], "\(name): unknown member \(source)")
            let destinationEnd = try #require(endpoints[destination], "\(name): unknown member \(destination)")
            let evaluation = analyzer.evaluate(from: sourceEnd, to: destinationEnd)
            let (reachable, unknown) = MatrixBuilder.traffic(evaluation)
            let blockers = MatrixBuilder.blockers(evaluation)
            #expect(cell.reachable == reachable && cell.unknown == unknown, "\(name): \(source) -> \(destination)")
            if cell.decidedByRoute {
                decided += 1
                // Decided by the route table: only its blockers are named, and the pair meets each.
                #expect(cell.reachable.isEmpty && cell.unknown.isEmpty, "\(name): \(source) -> \(destination)")
                #expect(
                    Set(cell.blockers(source: source, destination: destination)).isSubset(of: blockers),
                    "\(name): \(source) -> \(destination)")
                #expect(cell.blockers.allSatisfy { $0.direction == .forward }, "\(name): \(source) -> \(destination)")
            } else {
                #expect(
                    cell.blockers(source: source, destination: destination) == blockers,
                    "\(name): \(source) -> \(destination)")
            }
        }
        #expect(seen.count == count * (count - 1), "\(name)")
        return decided
    }
}
