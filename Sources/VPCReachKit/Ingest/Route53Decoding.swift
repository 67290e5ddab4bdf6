/// Readers for `aws route53 list-hosted-zones`, `get-hosted-zone` and `list-resource-record-sets`.
extension FileReader {
    static func zoneID(_ text: String) -> String {
        text.hasPrefix("/hostedzone/") ? String(text.dropFirst("/hostedzone/".count)) : text
    }

    static func isZoneID(_ text: String) -> Bool {
        text.count >= 10 && text.first == "Z" && text.allSatisfy { $0.isASCII && ($0.isUppercase || $0.isNumber) }
    }

    mutating func readHostedZone(_ node: JSONNode) throws {
        steps.append(
            .hostedZone(
                HostedZoneDescription(
                    id: Self.zoneID(try node.string("Id")), name: DNSName.canonical(try node.string("Name")),
                    isPrivate: try node["Config"]?.optionalBool("PrivateZone") ?? false, vpcAssociations: nil,
                    source: context.location(node), placement: context.placement, file: context.file)))
    }

    mutating func readHostedZoneDetail(_ root: JSONNode) {
        do {
            let detail = try root.required("HostedZone")
            steps.append(
                .hostedZone(
                    HostedZoneDescription(
                        id: Self.zoneID(try detail.string("Id")),
                        name: DNSName.canonical(try detail.string("Name")),
                        isPrivate: try detail["Config"]?.optionalBool("PrivateZone") ?? (root["VPCs"] != nil),
                        vpcAssociations: try root.array("VPCs").map {
                            ZoneVPCAssociation(vpcID: try $0.string("VPCId"), region: try $0.optionalString("VPCRegion"))
                        },
                        source: nil, placement: context.placement, file: context.file)))
        } catch let error as JSONReadError {
            fail(error, vpcID: nil)
        } catch {}
    }

    mutating func readRecordSets(_ node: JSONNode) {
        guard let id = Self.id(in: context.pathComponents, matching: Self.isZoneID) else {
            warn(
                "list-resource-record-sets output carries no zone id and none is in its path; put it in route53/<zone-id>/ or name it <zone-id>.json; ignored",
                SourceLocation(file: context.file, jsonPath: "$.ResourceRecordSets"))
            return
        }
        var records: [ResourceRecordSet] = []
        do {
            for record in try node.array() {
                let alias = record["AliasTarget"]
                records.append(
                    ResourceRecordSet(
                        name: DNSName.canonical(try record.string("Name")), type: try record.string("Type"),
                        values: try record.array("ResourceRecords").map { try $0.string("Value") },
                        aliasTarget: try alias.map { DNSName.canonical(try $0.string("DNSName")) },
                        aliasZoneID: try alias?.optionalString("HostedZoneId"),
                        setIdentifier: try record.optionalString("SetIdentifier"), source: context.location(record)))
            }
        } catch let error as JSONReadError {
            fail(error, vpcID: nil)
            return
        } catch {
            return
        }
        steps.append(.recordSets(zoneID: id, records, file: context.file))
        count("ResourceRecordSets", context.placement, by: records.count)
    }
}
