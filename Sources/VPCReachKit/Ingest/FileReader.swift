/// Reads one file of AWS CLI JSON output into the steps it contributes to a snapshot.
///
/// A file is recognised by its top-level keys; each resource in it is decoded on its own, and one
/// that cannot be read becomes an error diagnostic and an incompleteness mark instead of failing
/// the file. Reading touches nothing outside the reader, so files can be read concurrently;
/// ``SnapshotBuilder`` applies the steps in the files' order.
struct FileReader {
    /// The file being read.
    struct FileContext {
        var file: String
        var pathComponents: [String]
        var placement: Placement

        func location(_ node: JSONNode) -> SourceLocation { SourceLocation(file: file, jsonPath: node.path) }
    }

    let context: FileContext
    /// What the file says so far, in document order.
    var steps: [IngestStep] = []

    /// A reader for `file` (its path relative to the snapshot's root), split into `pathComponents`.
    init(file: String, pathComponents: [String]) {
        context = FileContext(file: file, pathComponents: pathComponents, placement: SnapshotBuilder.placement(from: pathComponents))
    }

    /// Keys that carry paging or metadata, never resources.
    static let metadataKeys: Set<String> = [
        "NextToken", "nextToken", "IsTruncated", "MaxItems", "Marker", "NextMarker", "NextRecordName",
        "NextRecordType", "NextRecordIdentifier", "failures", "DelegationSet", "ResponseMetadata",
        "OwnerId", "RequesterId", "ReservationId", "Groups",
    ]

    /// Recognises a file by its top-level keys and reads the resources it holds.
    mutating func read(_ document: JSONDocument) {
        let root = document.root
        let file = context.file
        guard root.kind == .object else {
            warn("file is not an AWS CLI JSON output (top level is \(root.typeName)); ignored", SourceLocation(file: file))
            return
        }
        checkPaging(root, context)
        var recognised = false
        for key in root.keys {
            guard let node = root[key] else { continue }
            switch key {
            case "Vpcs": readEach(node, "Vpcs", context) { try $0.readVPC($1, $2) }
            case "Subnets": readEach(node, "Subnets", context) { try $0.readSubnet($1, $2) }
            case "RouteTables": readEach(node, "RouteTables", context) { try $0.readRouteTable($1, $2) }
            case "SecurityGroups": readEach(node, "SecurityGroups", context) { try $0.readSecurityGroup($1, $2) }
            case "NetworkAcls": readEach(node, "NetworkAcls", context) { try $0.readNetworkACL($1, $2) }
            case "NetworkInterfaces": readEach(node, "NetworkInterfaces", context) { try $0.readNetworkInterface($1, $2) }
            case "Reservations": readEach(node, "Reservations", context) { try $0.readReservation($1, $2) }
            case "InternetGateways": readEach(node, "InternetGateways", context) { try $0.readInternetGateway($1, $2) }
            case "NatGateways": readEach(node, "NatGateways", context) { try $0.readNATGateway($1, $2) }
            case "VpcPeeringConnections": readEach(node, "VpcPeeringConnections", context) { try $0.readPeeringConnection($1, $2) }
            case "PrefixLists": readEach(node, "PrefixLists", context) { try $0.readPrefixList($1, $2) }
            case "Entries": readPrefixListEntries(node, context)
            case "EnableDnsSupport", "EnableDnsHostnames": readVPCAttribute(root, key: key, context)
            case "EnableNetworkAddressUsageMetrics", "VpcId": break
            case "HostedZones": readEach(node, nil, context) { try $0.readHostedZone($1, $2) }
            case "HostedZone": readHostedZoneDetail(root, context)
            case "VPCs" where root["HostedZone"] != nil: break
            case "ResourceRecordSets": readRecordSets(node, context)
            case "services": readEach(node, "ECSServices", context) { try $0.readECSService($1, $2) }
            case "tasks": readEach(node, "ECSTasks", context) { try $0.readECSTask($1, $2) }
            default:
                if !Self.metadataKeys.contains(key) {
                    warn("unsupported top-level key '\(key)' ignored", SourceLocation(file: file, jsonPath: "$.\(key)"))
                }
                continue
            }
            recognised = true
        }
        if !recognised {
            warn("no recognised AWS CLI output in file; ignored", SourceLocation(file: file))
        }
    }

    // MARK: - Helpers

    /// Reads each element of an array, turning a malformed element into an error diagnostic and an
    /// incompleteness mark instead of failing the file; counts the elements read under `countKey` (nil:
    /// counted elsewhere, as hosted zones are, which two outputs describe).
    mutating func readEach(
        _ node: JSONNode, _ countKey: String?, _ context: FileContext,
        _ read: (inout FileReader, JSONNode, FileContext) throws -> Void
    ) {
        let items: [JSONNode]
        do {
            items = try node.array()
        } catch let error as JSONReadError {
            fail(error, context, vpcID: nil)
            return
        } catch {
            return
        }
        var readCount = 0
        for item in items {
            do {
                try read(&self, item, context)
                readCount += 1
            } catch let error as JSONReadError {
                fail(error, context, vpcID: (try? item.optionalString("VpcId")) ?? nil)
            } catch {
                fail(JSONReadError(path: item.path, message: "\(error)"), context, vpcID: nil)
            }
        }
        if let countKey, readCount > 0 { count(countKey, context.placement, by: readCount) }
    }

    mutating func count(_ key: String, _ placement: Placement, by amount: Int = 1) {
        steps.append(.count(key, placement, by: amount))
    }

    mutating func warn(_ message: String, _ location: SourceLocation?) {
        steps.append(.diagnostic(Diagnostic(.warning, message, at: location)))
    }

    mutating func fail(_ error: JSONReadError, _ context: FileContext, vpcID: String?) {
        let location = SourceLocation(file: context.file, jsonPath: error.path)
        steps.append(.diagnostic(Diagnostic(.error, "\(error.message); resource skipped", at: location)))
        let scope = vpcID.map { "VPC '\($0)'" } ?? "the whole snapshot"
        steps.append(
            .incompleteness(Incompleteness(vpcID: vpcID, reason: "\(location) could not be read (\(error.message)), so \(scope) is incomplete")))
    }

    mutating func checkPaging(_ root: JSONNode, _ context: FileContext) {
        let truncated = (try? root.optionalBool("IsTruncated")) ?? false
        for key in ["NextToken", "nextToken"] where root[key] != nil {
            markTruncated(context, key: key)
        }
        if truncated { markTruncated(context, key: "IsTruncated") }
    }

    mutating func markTruncated(_ context: FileContext, key: String) {
        let location = SourceLocation(file: context.file, jsonPath: "$.\(key)")
        warn("output is truncated (\(key) present: exported with --max-items?); answers become unknown", location)
        steps.append(.incompleteness(Incompleteness(vpcID: nil, reason: "\(location): the output is truncated, so the snapshot is incomplete")))
    }
}
