import Foundation
import PacketSets
import Testing

@testable import VPCReachKit

/// Reading the transit gateway exports (§41): shared gateways listed by several accounts, partial
/// exports, and truncated route searches.
@Suite struct TransitGatewayIngestTests {
    static let fixture = "fixtures/semantics/transit-gateway-hub-and-spoke"

    /// A copy of the fixture with `edit` applied to the JSON of its files (by name), and extra files.
    static func variant(
        extra: [String: Any] = [:], edit: (String, inout [String: Any]) -> Void = { _, _ in }
    ) throws -> Snapshot {
        let source = URL(fileURLWithPath: Fixtures.path(Self.fixture))
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("vpcreach-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: source, to: root)
        let files =
            FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)?
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "json" } ?? []
        for file in files {
            var json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any])
            edit(file.lastPathComponent, &json)
            try JSONSerialization.data(withJSONObject: json).write(to: file)
        }
        for (path, json) in extra {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try JSONSerialization.data(withJSONObject: json).write(to: url)
        }
        return try SnapshotLoader().load(root.path)
    }

    static func verdict(_ snapshot: Snapshot, _ from: String, _ to: String, _ port: Int) throws -> Verdict {
        try QueryEngine(snapshot: snapshot).answer(Query(from: from, to: to, ports: port...port)).verdict
    }

    @Test(arguments: ["000-first", "zzz-last"])
    func anotherAccountsCopyWithoutTheAssociationKeepsIt(folder: String) throws {
        let original = try Fixtures.load(Self.fixture)
        let copies = original.transitGatewayAttachments.values.map { attachment -> [String: Any] in
            [
                "TransitGatewayAttachmentId": attachment.id, "TransitGatewayId": attachment.transitGatewayID,
                "ResourceType": "vpc", "ResourceId": attachment.resourceID, "State": "available",
            ]
        }
        let snapshot = try Self.variant(extra: [
            "\(folder)/describe-transit-gateway-attachments.json": ["TransitGatewayAttachments": copies]
        ])
        #expect(
            snapshot.transitGatewayAttachments.mapValues(\.routeTableID)
                == original.transitGatewayAttachments.mapValues(\.routeTableID))
        #expect(try Self.verdict(snapshot, "10.1.1.10", "10.2.1.10", 5432) == .reachable)
    }

    @Test func withoutTheGenericAttachmentOutputTheAssociationIsUnknown() throws {
        let snapshot = try Self.variant { name, json in
            if name == "describe-transit-gateway-attachments.json" { json = [:] }
        }
        #expect(snapshot.transitGatewayAttachments.values.allSatisfy { $0.associationState == nil })
        #expect(try Self.verdict(snapshot, "10.1.1.10", "10.2.1.10", 5432) == .unknown)
    }

    @Test func aTruncatedRouteSearchIsWarnedAndUndecided() throws {
        let snapshot = try Self.variant { name, json in
            if name.hasPrefix("tgw-rtb-") { json["AdditionalRoutesAvailable"] = true }
        }
        #expect(snapshot.diagnostics.contains { $0.message.contains("AdditionalRoutesAvailable") })
        #expect(try Self.verdict(snapshot, "10.1.1.10", "10.2.1.10", 5432) == .unknown)
        // The zone rule is checked before the gateway's table: still decided.
        #expect(try Self.verdict(snapshot, "10.1.2.10", "10.2.1.10", 5432) == .unreachable)
    }

    @Test func routesWithoutTheirTableInTheNameAreIgnoredWithAWarning() throws {
        let snapshot = try Self.variant(extra: [
            "search-transit-gateway-routes.json": ["Routes": [], "AdditionalRoutesAvailable": false]
        ])
        #expect(snapshot.diagnostics.contains { $0.message.contains("name the file or folder after the table") })
    }
}

/// A security group reference between two VPCs attached to several transit gateways (§41): when
/// the gateways disagree on referencing support, which one carries the traffic decides, so the
/// rule's match is unknown, never assumed.
@Suite struct TransitReferenceTests {
    @Test func gatewaysThatDisagreeLeaveTheReferenceUnknown() throws {
        var snapshot = try Fixtures.load("fixtures/semantics/transit-gateway-attachments")
        let query = Query(from: "10.1.1.10", to: "10.2.1.10", ports: 6379...6379)
        #expect(try QueryEngine(snapshot: snapshot).answer(query).verdict == .reachable)
        let gateway = try #require(snapshot.transitGateways.values.first)
        var other = gateway
        other.id = "tgw-0000000000000beef"
        other.securityGroupReferencing = false
        snapshot.transitGateways[other.id] = other
        for vpc in ["10.1.1.10", "10.2.1.10"].compactMap({ address in
            snapshot.networkInterfaces.values.first { $0.privateAddresses.map(\.description).contains(address) }?.vpcID
        }) {
            var attachment = try #require(
                snapshot.transitGatewayAttachments.values.first { $0.resourceID == vpc && $0.kind == .vpc })
            attachment.id += "-beef"
            attachment.transitGatewayID = other.id
            snapshot.transitGatewayAttachments[attachment.id] = attachment
        }
        #expect(try QueryEngine(snapshot: snapshot).answer(query).verdict == .unknown)
    }
}
