import Testing

@testable import VPCReachKit

/// What the VPN exports leave open stays `unknown` (§42), never reachable.
@Suite struct VPNStateTests {
    static let estate = "fixtures/semantics/vpn-connections"

    static func verdict(_ snapshot: Snapshot, _ from: String, _ to: String, _ port: Int) throws -> Verdict {
        try QueryEngine(snapshot: snapshot).answer(Query(from: from, to: to, ports: port...port)).verdict
    }

    @Test func aConnectionWithoutTunnelStatusIsUndecided() throws {
        var snapshot = try Fixtures.load(Self.estate)
        #expect(try Self.verdict(snapshot, "10.1.1.10", "192.168.1.10", 443) == .reachable)
        #expect(try Self.verdict(snapshot, "10.3.1.10", "10.100.1.10", 443) == .reachable)
        for id in snapshot.vpnConnections.keys {
            snapshot.vpnConnections[id]?.tunnels = 0
            snapshot.vpnConnections[id]?.tunnelsUp = 0
        }
        #expect(try Self.verdict(snapshot, "10.1.1.10", "192.168.1.10", 443) == .unknown)
        #expect(try Self.verdict(snapshot, "10.3.1.10", "10.100.1.10", 443) == .unknown)
        #expect(try Self.verdict(snapshot, "10.100.1.10", "10.3.1.10", 22) == .unknown)
    }

    @Test func aPropagatedRouteNoUpBGPSessionExplainsIsUndecided() throws {
        var snapshot = try Fixtures.load(Self.estate)
        #expect(try Self.verdict(snapshot, "10.1.1.10", "10.201.0.5", 443) == .reachable)
        let bgp = try #require(snapshot.vpnConnections.values.first { !$0.staticRoutesOnly })
        snapshot.vpnConnections[bgp.id] = nil
        #expect(try Self.verdict(snapshot, "10.1.1.10", "10.201.0.5", 443) == .unknown)
    }
}
