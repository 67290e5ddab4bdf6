import Testing
@testable import VPCReachKit

/// The matrix evaluates classes of alike interfaces once; every cell must be what evaluating
/// its own pair gives.
@Suite struct MatrixClassesTests {
    @Test func everyFixtureEstateAgreesWithPairEvaluation() throws {
        for estate in ReachersTests.estates {
            try expectAgreement(try Fixtures.load(estate), name: estate)
        }
    }

    @Test(arguments: 0..<2)
    func randomEstatesWithTwinInterfacesAgreeWithPairEvaluation(batch: Int) throws {
        for seed in UInt64(batch * 10)..<UInt64(batch * 10 + 10) {
            try expectAgreement(RandomEstate.withTwins(RandomEstate.make(seed: seed)), name: "random \(seed)")
        }
    }

    func expectAgreement(_ snapshot: Snapshot, name: String) throws {
        let builder = MatrixBuilder(snapshot: snapshot)
        let matrix = try builder.build(scope: nil)
        let analyzer = PathAnalyzer(index: builder.index, query: Query(from: "", to: "", ipProtocol: .all))
        let endpoints = Dictionary(uniqueKeysWithValues: SelectorResolver(index: builder.index).interfaces { !$0.kind.isForwarder }.map { ($0.id, $0) })
        let count = endpoints.count
        #expect(matrix.cells.count == count * (count - 1), "\(name)")
        for cell in matrix.cells {
            guard let source = endpoints[cell.source], let destination = endpoints[cell.destination] else {
                Issue.record("\(name): unknown member in \(cell.source) -> \(cell.destination)")
                continue
            }
            let expected = builder.cell(analyzer.evaluate(from: source, to: destination), source: source, destination: destination)
            #expect(cell == expected, "\(name): \(cell.source) -> \(cell.destination)")
        }
    }
}
