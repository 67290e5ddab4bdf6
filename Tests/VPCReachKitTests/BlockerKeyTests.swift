import Foundation
import Testing

@testable import VPCReachKit

@Suite struct BlockerKeyTests {
    @Test(arguments: [
        "forward NO_ROUTE_TO_DESTINATION rtb-0a1", "return ENI_SG_RULES_MISMATCH source",
        "forward SUBNET_ACL_RESTRICTION destination", "forward ENI_SG_RULES_MISMATCH ecs:prod/app svc",
    ])
    func jsonTextRoundTrips(_ text: String) throws {
        let data = try JSONEncoder().encode([text])
        let keys = try JSONDecoder().decode([BlockerKey].self, from: data)
        #expect(keys.map(\.description) == [text])
        #expect(try JSONEncoder().encode(keys) == data)
    }

    @Test func endsAreTypedAndNamedOnRequest() {
        let key = BlockerKey(.return, .eniSGRulesMismatch, at: "eni-1") { $0 == "eni-1" ? .destination : nil }
        #expect(key.component == .destination && key.namesAnEnd && key.componentID == nil)
        let named = key.naming(source: "eni-0", destination: "eni-1")
        #expect(named.description == "return ENI_SG_RULES_MISMATCH eni-1" && named.componentID == "eni-1")
    }

    @Test(arguments: [
        "", "forward", "sideways NO_ROUTE_TO_DESTINATION rtb-1", "forward NOT_A_CODE rtb-1",
        "forward NO_ROUTE_TO_DESTINATION ",
    ])
    func malformedTextIsRejected(_ text: String) {
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([BlockerKey].self, from: JSONEncoder().encode([text]))
        }
    }

    @Test func orderIsTheTextOrder() {
        let keys = [
            BlockerKey(.return, .subnetACLRestriction, .source),
            BlockerKey(.forward, .subnetACLRestriction, .named("acl-2")),
            BlockerKey(.forward, .eniSGRulesMismatch, .destination),
        ]
        #expect(keys.sorted().map(\.description) == keys.map(\.description).sorted())
    }
}
