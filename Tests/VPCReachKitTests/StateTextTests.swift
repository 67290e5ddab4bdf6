import Foundation
import Testing

@testable import VPCReachKit

/// States decoded once at ingest print exactly as AWS wrote them, and only the forwarding ones forward.
@Suite struct StateTextTests {
    @Test(arguments: [
        "active", "initiating-request", "pending-acceptance", "provisioning", "deleting", "deleted", "rejected",
        "failed", "expired", "some-future-status",
    ])
    func peeringStatusKeepsItsText(_ text: String) throws {
        let status = PeeringStatus(text)
        #expect(status.description == text)
        #expect((status == .active) == (text == "active"))
        #expect(try JSONDecoder().decode([PeeringStatus].self, from: JSONEncoder().encode([status])) == [status])
        let reference = GroupReference(groupID: "sg-1", peeringStatus: status)
        #expect(reference.isMarkedStale == (text != "active"))
    }

    @Test(arguments: ["active", "blackhole", "filtered"])
    func routeStateKeepsItsText(_ text: String) {
        #expect(RouteState(text).description == text)
    }
}
