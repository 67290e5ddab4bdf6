import PacketSets
import Testing

@testable import VPCReachKit

/// The `onprem` selector (§42): every address routed over a VPN, outside the snapshot's VPCs.
@Suite struct OnPremisesSelectorTests {
    static let estate = "fixtures/semantics/vpn-connections"

    @Test func itIsTheUnionOfWhatTheSnapshotRoutesOverAVPN() throws {
        let snapshot = try Fixtures.load(Self.estate)
        guard case .endpoints(let endpoints) = try SelectorResolver(index: NetworkIndex(snapshot)).resolve("onprem")
        else {
            Issue.record("onprem is not a set of endpoints")
            return
        }
        let expected = ["10.100.0.0/15", "10.201.0.0/16", "172.16.0.0/16", "192.168.0.0/16"].compactMap(CIDRBlock.init)
        #expect(endpoints.map(\.addresses) == [IntervalSet(expected.map(\.range))])
        #expect(endpoints.first?.kind == .external)
    }

    @Test func someOfItReachesThroughTheTransitGatewayVPN() throws {
        let engine = QueryEngine(snapshot: try Fixtures.load(Self.estate))
        let some = try engine.answer(Query(from: "onprem", to: "10.3.1.10", ports: 22...22, mode: .some))
        #expect(some.verdict == .reachable, "\(some.summary)")
        let every = try engine.answer(Query(from: "onprem", to: "10.3.1.10", ports: 22...22))
        #expect(every.verdict == .unreachable, "\(every.summary)")
    }

    @Test func withoutAVPNItIsAnError() throws {
        #expect(throws: VPCReachError.self) {
            try QueryEngine(snapshot: try Fixtures.load("fixtures/prod-after")).answer(
                Query(from: "onprem", to: "10.10.30.11", ports: 5432...5432))
        }
    }
}
