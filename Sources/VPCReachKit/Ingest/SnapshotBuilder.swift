import Foundation

/// Accumulates resources file by file, then cross-checks them into a ``Snapshot``.
struct SnapshotBuilder {
    var snapshot: Snapshot
    /// Interfaces seen only inside describe-instances output, used when describe-network-interfaces lacks them.
    var instanceInterfaces: [String: NetworkInterface] = [:]
    /// Interfaces inside describe-instances output that could not be read, by id when it was readable.
    var unreadableInstanceInterfaces: [(id: String?, incompleteness: Incompleteness)] = []

    init(root: String) {
        snapshot = Snapshot(root: root)
    }

    /// Keys that carry paging or metadata, never resources.
    static let metadataKeys: Set<String> = [
        "NextToken", "nextToken", "IsTruncated", "MaxItems", "Marker", "NextMarker", "NextRecordName",
        "NextRecordType", "NextRecordIdentifier", "failures", "DelegationSet", "ResponseMetadata",
        "OwnerId", "RequesterId", "ReservationId", "Groups",
    ]

    /// Recognises a file by its top-level keys and reads the resources it holds.
    mutating func ingest(_ document: JSONValue, file: String, pathComponents: [String]) {
        let root = JSONNode(document)
        guard case .object = document else {
            warn("file is not an AWS CLI JSON output (top level is \(document.typeName)); ignored", SourceLocation(file: file))
            return
        }
        let placement = Self.placement(from: pathComponents)
        let context = FileContext(file: file, pathComponents: pathComponents, placement: placement)
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

    struct FileContext {
        var file: String
        var pathComponents: [String]
        var placement: Placement

        func location(_ node: JSONNode) -> SourceLocation { SourceLocation(file: file, jsonPath: node.path) }
    }

    /// Reads each element of an array, turning a malformed element into an error diagnostic and an
    /// incompleteness mark instead of failing the file; counts each under `countKey` (nil: the reader
    /// counts, as for hosted zones, which two outputs describe).
    mutating func readEach(
        _ node: JSONNode, _ countKey: String?, _ context: FileContext,
        _ read: (inout SnapshotBuilder, JSONNode, FileContext) throws -> Void
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
        for item in items {
            do {
                try read(&self, item, context)
                if let countKey { count(countKey, context.placement) }
            } catch let error as JSONReadError {
                fail(error, context, vpcID: (try? item.optionalString("VpcId")) ?? nil)
            } catch {
                fail(JSONReadError(path: item.path, message: "\(error)"), context, vpcID: nil)
            }
        }
    }

    mutating func count(_ key: String, _ placement: Placement, by amount: Int = 1) {
        snapshot.counts[key, default: 0] += amount
        snapshot.countsByPlacement[placement, default: [:]][key, default: 0] += amount
    }

    mutating func warn(_ message: String, _ location: SourceLocation?) {
        snapshot.diagnostics.append(Diagnostic(.warning, message, at: location))
    }

    mutating func fail(_ error: JSONReadError, _ context: FileContext, vpcID: String?) {
        let location = SourceLocation(file: context.file, jsonPath: error.path)
        snapshot.diagnostics.append(Diagnostic(.error, "\(error.message); resource skipped", at: location))
        let scope = vpcID.map { "VPC '\($0)'" } ?? "the whole snapshot"
        snapshot.incompleteness.append(
            Incompleteness(vpcID: vpcID, reason: "\(location) could not be read (\(error.message)), so \(scope) is incomplete"))
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
        snapshot.incompleteness.append(
            Incompleteness(vpcID: nil, reason: "\(location): the output is truncated, so the snapshot is incomplete"))
    }

    /// Account and region from path components such as `111122223333/eu-west-1/…`.
    static func placement(from components: [String]) -> Placement {
        var account: String?
        var region: String?
        for component in components {
            if component.count == 12, component.allSatisfy({ $0.isASCII && $0.isNumber }) { account = component }
            if isRegion(component) { region = component }
        }
        return Placement(account: account, region: region)
    }

    /// Whether `text` looks like an AWS region name (`eu-west-1`, `us-gov-west-1`, `ap-southeast-4`).
    static func isRegion(_ text: String) -> Bool {
        let parts = text.split(separator: "-")
        guard parts.count >= 3, parts.count <= 4, let last = parts.last, last.allSatisfy(\.isNumber),
            parts.dropLast().allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isLowercase && $0.isASCII } }),
            parts[0].count == 2
        else { return false }
        return true
    }

    /// The region an availability zone (`eu-west-1a`) belongs to.
    static func region(ofZone zone: String?) -> String? {
        guard let zone, let last = zone.last, last.isLetter else { return nil }
        let region = String(zone.dropLast())
        return isRegion(region) ? region : nil
    }

    /// The path component (a file stem or a folder) nearest the file that `matches` accepts.
    static func id(in components: [String], matching matches: (String) -> Bool) -> String? {
        for component in components.reversed() {
            let stem = component.hasSuffix(".json") ? String(component.dropLast(5)) : component
            if matches(stem) { return stem }
        }
        return nil
    }
}
