import Foundation
import Testing

@testable import VPCReachKit

/// The report's transit gateway section (§41): each route table with its associations and routes,
/// in every format; absent when the snapshot describes no transit gateway.
@Suite struct TransitGatewayReportTests {
    @Test func everyRouteTableIsListedWithItsAssociationsAndRoutes() throws {
        let snapshot = try Fixtures.load("fixtures/semantics/transit-gateway-hub-and-spoke")
        let report = AuditBuilder(snapshot: snapshot).build(generatedAt: "2026-01-01T00:00:00Z")
        let gateway = try #require(report.transitGateways?.first)
        #expect(gateway.name == "core-tgw" && gateway.attachments.count == 4 && !gateway.securityGroupReferencing)
        let spokes = try #require(gateway.routeTables.first { $0.name == "spokes-rt" })
        #expect(spokes.associations.count == 2 && spokes.complete)
        #expect(spokes.routes.contains("10.2.5.0/24 -> blackhole (static)"), "\(spokes.routes)")
        #expect(!report.findings.contains { $0.rule == "UNMODELLED_TARGET" })
        let markdown = AuditTextRenderers.markdown(report)
        #expect(markdown.contains("## Transit gateways") && markdown.contains("(spokes-rt)"))
        let html = AuditHTMLRenderer.render(report, diagram: "")
        #expect(html.contains("Transit gateways") && html.contains("spokes-rt"))
    }

    @Test func aSnapshotWithoutTransitGatewaysHasNoSection() throws {
        let report = AuditBuilder(snapshot: try Fixtures.load("fixtures/prod-after")).build(generatedAt: "now")
        #expect(report.transitGateways == nil)
        let json = String(decoding: try JSONEncoder().encode(report), as: UTF8.self)
        #expect(!json.contains("transitGateways"))
    }
}
