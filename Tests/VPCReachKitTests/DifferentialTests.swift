import PacketSets
import Testing

@testable import VPCReachKit

/// The symbolic engine and a brute-force packet simulator agree on many random small estates.
@Suite struct DifferentialTests {
    static let ephemeral = 1024...1027

    @Test(arguments: 0..<8)
    func symbolicEngineAgreesWithConcreteSimulation(batch: Int) throws {
        var checked = 0
        var reachable = 0
        for seed in UInt64(batch * 40)..<UInt64(batch * 40 + 40) {
            let snapshot = RandomEstate.make(seed: seed)
            let engine = QueryEngine(snapshot: snapshot)
            let simulator = ConcreteSimulator(snapshot: snapshot)
            let interfaces = snapshot.networkInterfaces.values.sorted { $0.id < $1.id }
            for source in interfaces {
                for destination in interfaces where destination.id != source.id {
                    for ports in [5432...5432, 6379...6380, 22...22, 80...443] {
                        let answer = try engine.answer(
                            Query(
                                from: source.id, to: destination.id, ipProtocol: .tcp, ports: ports,
                                ephemeralPorts: Self.ephemeral))
                        let expected = ports.allSatisfy { port in
                            Self.ephemeral.allSatisfy {
                                simulator.connects(source, destination, sourcePort: $0, port: port)
                            }
                        }
                        #expect(
                            answer.verdict == (expected ? .reachable : .unreachable),
                            "seed \(seed): \(source.id) -> \(destination.id) tcp \(ports): engine says \(answer.verdict), simulation says \(expected ? "reachable" : "unreachable")\n\(answer.summary)"
                        )
                        checked += 1
                        if expected { reachable += 1 }
                    }
                }
            }
        }
        // The estates must exercise both answers, or the comparison proves little.
        #expect(checked > 500)
        #expect(reachable * 20 > checked, "only \(reachable) of \(checked) flows reachable")
        #expect(reachable * 10 < checked * 9, "\(reachable) of \(checked) flows reachable")
    }
}

/// The engine and a brute-force packet simulator of transit gateways (§41) agree on many random
/// estates whose VPCs are joined by one.
@Suite struct TransitDifferentialTests {
    @Test(arguments: 0..<3)
    func engineAgreesWithTheTransitSimulator(batch: Int) throws {
        var verdicts: [Verdict: Int] = [:]
        for seed in UInt64(batch * 40)..<UInt64(batch * 40 + 40) {
            let snapshot = RandomTransitEstate.make(seed: seed)
            let engine = QueryEngine(snapshot: snapshot)
            let simulator = TransitSimulator(snapshot: snapshot)
            let interfaces = snapshot.networkInterfaces.values.sorted { $0.id < $1.id }
            for source in interfaces {
                for destination in interfaces where destination.vpcID != source.vpcID {
                    for ports in [5432...5432, 22...22, 80...443] {
                        let answer = try engine.answer(
                            Query(
                                from: source.id, to: destination.id, ipProtocol: .tcp, ports: ports,
                                ephemeralPorts: DifferentialTests.ephemeral))
                        let outcomes = ports.flatMap { port in
                            DifferentialTests.ephemeral.map {
                                simulator.connects(source, destination, sourcePort: $0, port: port)
                            }
                        }
                        let expected: Verdict =
                            outcomes.contains(false) ? .unreachable : outcomes.contains(nil) ? .unknown : .reachable
                        #expect(
                            answer.verdict == expected,
                            "seed \(seed): \(source.id) -> \(destination.id) tcp \(ports): engine says \(answer.verdict), simulation says \(expected)\n\(answer.summary)"
                        )
                        verdicts[expected, default: 0] += 1
                    }
                }
            }
        }
        // Both answers must be exercised, or the comparison proves little.
        #expect((verdicts[.reachable] ?? 0) > 50, "\(verdicts)")
        #expect((verdicts[.unreachable] ?? 0) > 100, "\(verdicts)")
    }
}
