import PacketSets
import Testing

@testable import VPCReachKit

/// Addresses AWS answers itself (semantics §7a), beyond the fixture's queries.
@Suite struct ServiceAddressTests {
    /// `MetadataOptions.HttpEndpoint: disabled` turns the instance's metadata service off.
    @Test func aDisabledMetadataEndpointDoesNotAnswer() throws {
        var snapshot = try Fixtures.load("fixtures/semantics/addresses-without-interface")
        let query = Query(from: "10.1.1.10", to: "169.254.169.254", ports: 80...80)
        #expect(try QueryEngine(snapshot: snapshot).answer(query).verdict == .reachable)
        let instance = try #require(
            snapshot.networkInterfaces.values.first { $0.privateAddresses.map(\.description) == ["10.1.1.10"] }?
                .instanceID)
        #expect(snapshot.instances[instance]?.metadataEndpoint == "enabled", "read from describe-instances")
        snapshot.instances[instance]?.metadataEndpoint = "disabled"
        let answer = try QueryEngine(snapshot: snapshot).answer(query)
        #expect(answer.verdict == .unreachable)
        #expect(answer.pairs[0].blockers.map(\.code.rawValue) == ["AWS_SERVICE_SOURCE_RESTRICTION"])
    }
}
