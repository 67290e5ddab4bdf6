import PacketSets

/// A Route 53 hosted zone with whatever the snapshot holds of it.
public struct HostedZone: Hashable, Sendable {
    /// The id without the `/hostedzone/` prefix.
    public var id: String
    /// The absolute, lowercase name with its trailing dot.
    public var name: String
    /// Whether it is a private zone.
    public var isPrivate: Bool
    /// The VPCs a private zone is associated with, or `nil` when no get-hosted-zone output was loaded.
    public var vpcAssociations: [ZoneVPCAssociation]?
    /// Its record sets, or `nil` when no list-resource-record-sets output was loaded.
    public var recordSets: [ResourceRecordSet]?
    /// Where it was read.
    public var source: SourceLocation
}

/// A private zone's association with a VPC.
public struct ZoneVPCAssociation: Hashable, Sendable {
    /// The VPC.
    public var vpcID: String
    /// The VPC's region.
    public var region: String?
}

/// A record set (`ResourceRecordSets[]`).
public struct ResourceRecordSet: Hashable, Sendable {
    /// The absolute, lowercase name with `\052` and `\056` escapes decoded.
    public var name: String
    /// `A`, `AAAA`, `CNAME`, …
    public var type: String
    /// `ResourceRecords[].Value`.
    public var values: [String]
    /// The alias target's DNS name, for alias records.
    public var aliasTarget: String?
    /// The alias target's zone, for alias records.
    public var aliasZoneID: String?
    /// `SetIdentifier` for weighted, latency, failover, multivalue and geolocation sets.
    public var setIdentifier: String?
    /// Its routing policy (`Weight`, `Region`, `Failover`, `GeoLocation`, `MultiValueAnswer`…).
    public var routing: RecordRouting = .simple
    /// Whether its answer depends on health (`HealthCheckId`, or an alias evaluating its target's
    /// health).
    public var isHealthChecked = false
    /// Where it was read.
    public var source: SourceLocation
}

/// DNS names as the model holds them.
enum DNSName {
    /// A DNS name made absolute and lowercase, with Route 53's `\ooo` octal escapes decoded.
    static func canonical(_ text: String) -> String {
        // Most names are plain lowercase ASCII ending in a dot already: return them as they are.
        if text.utf8.last == UInt8(ascii: "."),
            text.utf8.allSatisfy({
                $0 < 0x80 && $0 != UInt8(ascii: "\\") && !(UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0)
            })
        {
            return text
        }
        let characters = Array(text)
        var result = ""
        var index = 0
        while index < characters.count {
            if characters[index] == "\\", index + 3 < characters.count,
                let code = Int(String(characters[(index + 1)...(index + 3)]), radix: 8),
                let scalar = Unicode.Scalar(code)
            {
                result.append(Character(scalar))
                index += 4
            } else {
                result.append(characters[index])
                index += 1
            }
        }
        let name = result.lowercased()
        return name.hasSuffix(".") ? name : name + "."
    }
}
