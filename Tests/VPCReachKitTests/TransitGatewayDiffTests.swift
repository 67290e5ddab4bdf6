import Testing

@testable import VPCReachKit

/// A transit gateway change between two snapshots (§41) is a configuration change of its own and
/// changes the flows through it, in the scoped diff and the whole-matrix diff alike.
@Suite struct TransitGatewayDiffTests {
    static func snapshots() throws -> (Snapshot, Snapshot) {
        let base = try Fixtures.load("fixtures/semantics/transit-gateway-hub-and-spoke")
        var candidate = base
        let spokes = try #require(candidate.transitGatewayRouteTables.values.first { $0.tags.name == "spokes-rt" })
        candidate.transitGatewayRouteTables[spokes.id]?.routes?.removeAll { $0.state == .blackhole }
        return (base, candidate)
    }

    @Test func removingABlackholeRouteOpensTheFlowAndNamesTheTable() throws {
        let (base, candidate) = try Self.snapshots()
        for diff in [
            try DiffEngine.diff(base: base, candidate: candidate, scope: nil),
            try DiffEngine.wholeDiff(base: base, candidate: candidate, scope: nil),
        ] {
            let change = try #require(diff.components.first { $0.kind == "transit-gateway-route-table" })
            #expect(change.removed == ["10.2.5.0/24 -> blackhole (static, blackhole)"], "\(change)")
            let gained = diff.flows.filter { $0.change == "gained" }
            #expect(gained.contains { $0.pairs.contains { $0.hasSuffix("-> eni-0b3c0000002005010") } }, "\(gained)")
            #expect(
                gained.allSatisfy { $0.causes.contains { $0.contains("TGW_RTB_BAD_STATE_ROUTE") } }, "\(gained)")
        }
    }

    @Test func anAttachmentLosingItsAssociationIsNamed() throws {
        let (base, _) = try Self.snapshots()
        var candidate = base
        let attachment = try #require(
            candidate.transitGatewayAttachments.values.first { $0.tags.name == "app-attachment" })
        candidate.transitGatewayAttachments[attachment.id]?.routeTableID = nil
        candidate.transitGatewayAttachments[attachment.id]?.associationState = "disassociated"
        let diff = try DiffEngine.diff(base: base, candidate: candidate, scope: nil)
        #expect(diff.components.contains { $0.kind == "transit-gateway-route-table" && $0.removed.count == 1 })
        #expect(
            diff.flows.contains {
                $0.change == "lost" && $0.causes.contains { $0.contains("TGW_ATTACH_MISSING_TGW_RTB_ASSOCIATION") }
            }, "\(diff.flows)")
    }
}

/// A VPN connection's tunnels going down between two snapshots (§42) is noticed by the diff.
@Suite struct VPNDiffTests {
    @Test func tunnelsGoingDownLoseTheFlowAndNameTheConnection() throws {
        let base = try Fixtures.load("fixtures/semantics/vpn-connections")
        var candidate = base
        let office = try #require(base.vpnConnections.values.first { $0.tags.name == "office-static" })
        candidate.vpnConnections[office.id]?.tunnelsUp = 0
        let query = Query(from: "10.1.1.10", to: "192.168.1.10", ports: 443...443)
        #expect(try QueryEngine(snapshot: base).answer(query).verdict == .reachable)
        #expect(try QueryEngine(snapshot: candidate).answer(query).verdict == .unreachable)
        let diff = try DiffEngine.diff(base: base, candidate: candidate, scope: nil)
        #expect(diff.components.contains { $0.kind == "vpn-connection" && $0.component == office.id })
    }
}
