import Foundation
import Testing

@testable import VPCReachKit

/// Every fixture scenario's expected verdicts and blockers (Tests/VPCReachKitTests/Expectations/).
@Suite struct ScenarioTests {
    @Test(arguments: Fixtures.expectationNames())
    func scenarioAnswersMatchExpectations(_ name: String) throws {
        let data = try Data(contentsOf: Fixtures.expectations.appendingPathComponent("\(name).json"))
        let scenario = try JSONDecoder().decode(ScenarioExpectation.self, from: data)
        let snapshot = try Fixtures.load(scenario.snapshot)
        let allowed = scenario.allowedErrorDiagnostics ?? []
        let errors = snapshot.diagnostics.filter { $0.severity == .error }
        let unexpected = errors.filter { error in
            !allowed.contains {
                error.location?.file.hasSuffix($0.file) == true && error.location?.jsonPath == $0.jsonPath
            }
        }
        #expect(unexpected.isEmpty, "\(unexpected)")
        #expect(
            errors.count == allowed.count,
            "expected exactly the provoked errors \(allowed.map(\.jsonPath)), got \(errors)")
        let engine = QueryEngine(snapshot: snapshot)
        #expect(!scenario.queries.isEmpty)
        for expected in scenario.queries {
            let query = Query(
                from: expected.from, to: expected.to,
                ipProtocol: QueryProtocol(rawValue: expected.protocol ?? "tcp") ?? .tcp,
                ports: expected.port.flatMap(Query.parsePorts),
                ephemeralPorts: expected.ephemeralPorts.flatMap(Query.parsePorts))
            let answer = try engine.answer(query)
            #expect(
                answer.verdict.rawValue == expected.verdict,
                "\(name): \(expected.name): expected \(expected.verdict), got \(answer.verdict.rawValue): \(answer.summary)"
            )
            let blockers = answer.pairs.flatMap(\.blockers)
            for wanted in expected.blockers ?? [] {
                let found = blockers.contains { blocker in
                    blocker.code.rawValue == wanted.code
                        && (wanted.direction.map { $0 == blocker.direction.rawValue } ?? true)
                        && (wanted.component.map { $0 == blocker.component } ?? true)
                }
                #expect(
                    found,
                    "\(name): \(expected.name): missing blocker \(wanted.code) \(wanted.direction ?? "") \(wanted.component ?? ""); got \(blockers.map { "\($0.code) \($0.direction.rawValue) \($0.component)" })"
                )
            }
        }
    }
}
