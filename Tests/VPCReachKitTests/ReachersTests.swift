import Foundation
import PacketSets
import Testing

@testable import VPCReachKit

/// `reachers` evaluates classes of alike interfaces once; each source's outcome must be exactly
/// what a query of that one pair answers.
@Suite struct ReachersTests {
    static let estates =
        ["fixtures/prod-before", "fixtures/prod-after", "fixtures/prod-after-tgw"]
        + ((try? FileManager.default.contentsOfDirectory(atPath: Fixtures.path("fixtures")))?.filter {
            $0.hasPrefix("broken-")
        }.sorted().map { "fixtures/\($0)" } ?? [])
        + ((try? FileManager.default.contentsOfDirectory(atPath: Fixtures.path("fixtures/semantics")))?.sorted().map {
            "fixtures/semantics/\($0)"
        } ?? [])

    @Test func everyFixtureEstateAgreesWithPairQueries() throws {
        #expect(Self.estates.count > 40)
        var merged = 0
        var byRoute = 0
        for estate in Self.estates {
            let counts = try expectAgreement(try Fixtures.load(estate), name: estate, ports: 5432...5432)
            merged += counts.merged
            byRoute += counts.decidedByRoute
        }
        #expect(merged > 0, "no fixture class had more than one member")
        #expect(byRoute > 0, "no fixture source was decided by its route table")
    }

    @Test(arguments: 0..<4)
    func randomEstatesWithTwinInterfacesAgreeWithPairQueries(batch: Int) throws {
        var merged = 0
        var byRoute = 0
        for seed in UInt64(batch * 10)..<UInt64(batch * 10 + 10) {
            let snapshot = RandomEstate.withTwins(RandomEstate.make(seed: seed))
            for ports in [5432...5432, 22...22, 80...443] {
                let counts = try expectAgreement(
                    snapshot, name: "random \(seed)", ports: ports, ephemeral: DifferentialTests.ephemeral)
                merged += counts.merged
                byRoute += counts.decidedByRoute
            }
        }
        #expect(merged > 100)
        #expect(byRoute > 0)
    }

    @Test func groupsBlockedSourcesAndListsTheRest() throws {
        let analyzer = ReachersAnalyzer(snapshot: try Fixtures.load("fixtures/broken-db-sg"))
        let reachers = try analyzer.analyze(Query(from: "all", to: "10.10.30.11", ports: 5432...5432))
        #expect(reachers.sourceCount == 12)
        #expect(
            reachers.reaching.map(\.id).allSatisfy { !$0.hasPrefix("eni-0a2") },
            "the ECS tasks lost their rule in this variant")
        #expect(
            reachers.reaching.count + reachers.partial.count + reachers.undecided.count
                + reachers.blocked.reduce(0) { $0 + $1.count } == 12)
        #expect(
            reachers.blocked.allSatisfy {
                !$0.blockers.isEmpty && $0.examples.count == min($0.count, Reachers.exampleLimit)
            })
        #expect(throws: VPCReachError.self) {
            try analyzer.analyze(Query(from: "all", to: "primary.db.prod.internal", ports: 5432...5432))
        }
        #expect(throws: VPCReachError.self) {
            try analyzer.analyze(Query(from: "all", to: "vpc-0a100000000000001", ports: 5432...5432))
        }
    }

    /// Checks every interface of `snapshot` as a destination; returns how many sources shared a
    /// class with another source and how many were decided by their route table, so callers can
    /// tell both shortcuts were exercised.
    func expectAgreement(
        _ snapshot: Snapshot, name: String, ports: ClosedRange<Int>,
        ephemeral: ClosedRange<Int> = Query.defaultEphemeralPorts
    ) throws -> (merged: Int, decidedByRoute: Int) {
        let engine = QueryEngine(snapshot: snapshot)
        let analyzer = ReachersAnalyzer(index: engine.index)
        let destinations = snapshot.networkInterfaces.values.filter {
            !$0.kind.isForwarder && !$0.privateAddresses.isEmpty
        }.map(\.id).sorted()
        var merged = 0
        var decidedByRoute = 0
        for destination in destinations {
            let query = Query(from: "all", to: destination, ipProtocol: .tcp, ports: ports, ephemeralPorts: ephemeral)
            let survey = try analyzer.survey(query)
            let classes = SourceClass.partition(survey.sources, toward: survey.destination, index: engine.index)
            merged += classes.filter { $0.members.count > 1 }.reduce(0) { $0 + $1.members.count }
            // Sources `all` decided by their route table before building endpoints count as
            // route-decided outcomes; and with an explicit selector the same sources must get the
            // same answers through classes.
            let pruned = survey.decidedByRoute.map { decided in
                (
                    SelectorResolver(index: engine.index).endpoint(snapshot.networkInterfaces[decided.id]!),
                    ReachersAnalyzer.Outcome.blocked(decided.blockers, decidedByRoute: true)
                )
            }
            let everyone = (Array(zip(survey.sources, survey.outcomes)) + pruned).sorted { $0.0.id < $1.0.id }
            let viaClasses = analyzer.outcomes(of: everyone.map(\.0), to: survey.destination, traffic: query.traffic)
            #expect(
                viaClasses == everyone.map(\.1), "\(name): \(destination): pruning before classes changed an outcome")
            for (source, outcome) in everyone {
                let pair = try engine.answer(
                    Query(from: source.id, to: destination, ipProtocol: .tcp, ports: ports, ephemeralPorts: ephemeral)
                ).pairs[0]
                let blockers = Set(
                    pair.blockers.map {
                        BlockerKey($0.direction, $0.code, $0.component == source.id ? .source : .named($0.component))
                    }
                )
                let context =
                    "\(name): \(source.id) -> \(destination) tcp \(ports): reachers says \(outcome), the pair query \(pair.verdict): \(pair.summary)"
                switch outcome {
                case .reaching:
                    #expect(pair.verdict == .reachable, "\(context)")
                case .partial(let traffic):
                    #expect(pair.verdict == .unreachable && pair.reachableTraffic == traffic, "\(context)")
                case .undecided(let reason):
                    #expect(pair.verdict == .unknown && reason == (pair.unknowns.first ?? pair.summary), "\(context)")
                case .blocked(let found, let routeOnly):
                    #expect(pair.verdict == .unreachable && pair.reachableTraffic == nil, "\(context)")
                    if routeOnly {
                        decidedByRoute += 1
                        #expect(!found.isEmpty && Set(found).isSubset(of: blockers), "\(context)")
                    } else {
                        #expect(Set(found) == blockers, "\(context)")
                    }
                }
            }
        }
        return (merged, decidedByRoute)
    }
}
