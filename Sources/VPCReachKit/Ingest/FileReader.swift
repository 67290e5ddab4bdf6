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
        context = FileContext(
            file: file, pathComponents: pathComponents, placement: Self.placement(from: pathComponents))
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
            warn(
                "file is not an AWS CLI JSON output (top level is \(root.typeName)); ignored",
                SourceLocation(file: file))
            return
        }
        checkPaging(root)
        var recognised = false
        // Each member once, in key order, its last value when repeated (as `root[key]` reads it):
        // looking every key up again would be quadratic in the number of keys.
        var lastValue: [String: JSONNode] = [:]
        for (key, value) in root.members { lastValue[key] = value }
        for key in lastValue.keys.sorted() {
            guard let node = lastValue[key], node.kind != .null else { continue }
            switch key {
            case "Vpcs": readEach(node, "Vpcs") { try $0.readVPC($1) }
            case "Subnets": readEach(node, "Subnets") { try $0.readSubnet($1) }
            case "RouteTables": readEach(node, "RouteTables") { try $0.readRouteTable($1) }
            case "SecurityGroups": readEach(node, "SecurityGroups") { try $0.readSecurityGroup($1) }
            case "NetworkAcls": readEach(node, "NetworkAcls") { try $0.readNetworkACL($1) }
            case "NetworkInterfaces": readEach(node, "NetworkInterfaces") { try $0.readNetworkInterface($1) }
            case "Reservations": readEach(node, "Reservations") { try $0.readReservation($1) }
            case "InternetGateways": readEach(node, "InternetGateways") { try $0.readInternetGateway($1) }
            case "NatGateways": readEach(node, "NatGateways") { try $0.readNATGateway($1) }
            case "VpcPeeringConnections": readEach(node, "VpcPeeringConnections") { try $0.readPeeringConnection($1) }
            case "PrefixLists": readEach(node, "PrefixLists") { try $0.readPrefixList($1) }
            case "Entries": readPrefixListEntries(node)
            case "EnableDnsSupport", "EnableDnsHostnames": readVPCAttribute(root, key: key)
            case "EnableNetworkAddressUsageMetrics", "VpcId": break
            case "HostedZones": readEach(node, nil) { try $0.readHostedZone($1) }
            case "HostedZone": readHostedZoneDetail(root)
            case "VPCs" where root["HostedZone"] != nil: break
            case "ResourceRecordSets": readRecordSets(node)
            case "LoadBalancers": readEach(node, "LoadBalancers") { try $0.readLoadBalancer($1) }
            case "Listeners": readEach(node, "Listeners") { try $0.readListener($1) }
            case "LoadBalancerDescriptions": readEach(node, "LoadBalancers") { try $0.readClassicLoadBalancer($1) }
            case "services": readEach(node, "ECSServices") { try $0.readECSService($1) }
            case "tasks": readEach(node, "ECSTasks") { try $0.readECSTask($1) }
            case "DhcpOptions":
                steps.append(.resolver(.exported(.dhcpOptions)))
                readEach(node, "DhcpOptions") { try $0.readDHCPOptions($1) }
            case "ResolverRules": readEach(node, "ResolverRules") { try $0.readResolverRule($1) }
            case "ResolverRuleAssociations":
                steps.append(.resolver(.exported(.resolverRules)))
                readEach(node, "ResolverRuleAssociations") { try $0.readResolverRuleAssociation($1) }
            case "FirewallRuleGroupAssociations":
                steps.append(.resolver(.exported(.firewall)))
                readEach(node, "FirewallRuleGroupAssociations") { try $0.readFirewallAssociation($1) }
            case "FirewallRules":
                if let group = Self.id(in: context.pathComponents, matching: { $0.hasPrefix("rslvr-frg-") }) {
                    steps.append(.resolver(.firewallRulesExported(groupID: group)))
                }
                readEach(node, "FirewallRules") { try $0.readFirewallRule($1) }
            case "Domains": readFirewallDomains(node)
            case "ProfileAssociations":
                steps.append(.resolver(.exported(.profiles)))
                readEach(node, "ProfileAssociations") { try $0.readProfileAssociation($1) }
            case "ProfileResourceAssociations":
                if let profile = Self.id(in: context.pathComponents, matching: { $0.hasPrefix("rp-") }) {
                    steps.append(.resolver(.profileResourcesExported(profileID: profile)))
                }
                readEach(node, "ProfileResourceAssociations") { try $0.readProfileResource($1) }
            case "SecurityGroupVpcAssociations":
                readEach(node, "SecurityGroupVpcAssociations") { try $0.readSecurityGroupVPCAssociation($1) }
            case "VpnGateways": readEach(node, "VpnGateways") { try $0.readVPNGateway($1) }
            case "VpnConnections": readEach(node, "VpnConnections") { try $0.readVPNConnection($1) }
            case "TransitGateways": readEach(node, "TransitGateways") { try $0.readTransitGateway($1) }
            case "TransitGatewayAttachments":
                readEach(node, "TransitGatewayAttachments") {
                    try $0.readTransitGatewayAttachment($1, vpcOutput: false)
                }
            case "TransitGatewayVpcAttachments":
                readEach(node, nil) { try $0.readTransitGatewayAttachment($1, vpcOutput: true) }
            case "TransitGatewayRouteTables":
                readEach(node, "TransitGatewayRouteTables") { try $0.readTransitGatewayRouteTable($1) }
            case "Routes" where root["AdditionalRoutesAvailable"] != nil || context.file.contains("tgw-rtb-"):
                readTransitGatewayRoutes(root)
            case "AdditionalRoutesAvailable" where root["Routes"] != nil: break
            case "MaxResults": break
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
        _ node: JSONNode, _ countKey: String?,
        _ read: (inout FileReader, JSONNode) throws -> Void
    ) {
        let items: [JSONNode]
        do {
            items = try node.array()
        } catch let error as JSONReadError {
            fail(error, vpcID: nil)
            return
        } catch {
            return
        }
        var readCount = 0
        for item in items {
            do {
                try read(&self, item)
                readCount += 1
            } catch let error as JSONReadError {
                fail(error, vpcID: (try? item.optionalString("VpcId")) ?? nil)
            } catch {
                fail(JSONReadError(path: item.path, message: "\(error)"), vpcID: nil)
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

    /// An error about a value read on, whose effect the analysis marks undecided itself.
    mutating func error(_ message: String, _ location: SourceLocation?) {
        steps.append(.diagnostic(Diagnostic(.error, message, at: location)))
    }

    mutating func fail(_ error: JSONReadError, vpcID: String?) {
        let location = SourceLocation(file: context.file, jsonPath: error.path)
        steps.append(.diagnostic(Diagnostic(.error, "\(error.message); resource skipped", at: location)))
        let scope = vpcID.map { "VPC '\($0)'" } ?? "the whole snapshot"
        steps.append(
            .incompleteness(
                Incompleteness(
                    vpcID: vpcID, reason: "\(location) could not be read (\(error.message)), so \(scope) is incomplete")
            ))
    }

    mutating func checkPaging(_ root: JSONNode) {
        let truncated = (try? root.optionalBool("IsTruncated")) ?? false
        for key in ["NextToken", "nextToken"] where root[key] != nil {
            markTruncated(key: key)
        }
        if truncated { markTruncated(key: "IsTruncated") }
    }

    mutating func markTruncated(key: String) {
        let location = SourceLocation(file: context.file, jsonPath: "$.\(key)")
        warn("output is truncated (\(key) present: exported with --max-items?); answers become unknown", location)
        steps.append(
            .incompleteness(
                Incompleteness(
                    vpcID: nil, reason: "\(location): the output is truncated, so the snapshot is incomplete")))
    }

    // MARK: - Names and paths

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
