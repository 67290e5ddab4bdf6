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
                            ZoneVPCAssociation(
                                vpcID: try $0.string("VPCId"), region: try $0.optionalString("VPCRegion"))
                        },
                        source: nil, placement: context.placement, file: context.file)))
        } catch let error as JSONReadError {
            fail(error, vpcID: nil)
        } catch {}
    }

    /// A record set's routing policy, from the field that names it.
    static func routing(_ record: JSONNode) throws -> RecordRouting {
        if let weight = record["Weight"] { return .weighted(weight: try weight.int()) }
        if let region = try record.optionalString("Region") { return .latency(region: region) }
        if let failover = try record.optionalString("Failover") { return .failover(primary: failover == "PRIMARY") }
        if let location = record["GeoLocation"] {
            return .geolocation(
                GeoLocation(
                    continent: try location.optionalString("ContinentCode"),
                    country: try location.optionalString("CountryCode"),
                    subdivision: try location.optionalString("SubdivisionCode")))
        }
        if try record.optionalBool("MultiValueAnswer") == true { return .multivalue }
        if record["GeoProximityLocation"] != nil { return .other("geoproximity") }
        if record["CidrRoutingConfig"] != nil { return .other("IP-based") }
        return .simple
    }

    mutating func readRecordSets(_ node: JSONNode) {
        // The zone is named by the path: a `Z…` id as Route 53 issues them, else (LocalStack, moto
        // and other emulators issue other ids) any folder or file name that the snapshot's
        // list-hosted-zones or get-hosted-zone output names as a zone, checked once every file is read.
        let id = Self.id(in: context.pathComponents, matching: Self.isZoneID)
        let candidates =
            id.map { [$0] }
            ?? context.pathComponents.reversed().map { component in
                component.hasSuffix(".json") ? String(component.dropLast(5)) : component
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
                        setIdentifier: try record.optionalString("SetIdentifier"), routing: try Self.routing(record),
                        isHealthChecked: try record.optionalString("HealthCheckId") != nil
                            || alias?.optionalBool("EvaluateTargetHealth") == true,
                        source: context.location(record)))
            }
        } catch let error as JSONReadError {
            fail(error, vpcID: nil)
            return
        } catch {
            return
        }
        guard let id else {
            steps.append(
                .recordSetsOfListedZone(
                    candidates: candidates, records, placement: context.placement, file: context.file))
            return
        }
        steps.append(.recordSets(zoneID: id, records, file: context.file))
        count("ResourceRecordSets", context.placement, by: records.count)
    }
}
