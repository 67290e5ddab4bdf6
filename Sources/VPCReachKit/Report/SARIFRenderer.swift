/// Renders a ``CheckReport`` or a ``ReachabilityDiff`` as SARIF 2.1.0 for code-scanning tools.
public enum SARIFRenderer {
    struct Log: Encodable {
        var version = "2.1.0"
        var schema = "https://json.schemastore.org/sarif-2.1.0.json"
        var runs: [Run]

        enum CodingKeys: String, CodingKey {
            case version
            case schema = "$schema"
            case runs
        }
    }

    struct Run: Encodable {
        var tool: Tool
        var results: [Result]
    }

    struct Tool: Encodable {
        var driver: Driver
    }

    struct Driver: Encodable {
        var name = "vpcreach"
        var rules: [Rule]
    }

    struct Rule: Encodable {
        var id: String
        var shortDescription: Message
    }

    struct Message: Encodable {
        var text: String
    }

    struct Result: Encodable {
        var ruleId: String
        var level: String
        var message: Message
        var locations: [Location]
    }

    struct Location: Encodable {
        var physicalLocation: PhysicalLocation
        var logicalLocations: [LogicalLocation]?
    }

    struct PhysicalLocation: Encodable {
        var artifactLocation: ArtifactLocation
        var region: Region?
    }

    struct ArtifactLocation: Encodable {
        var uri: String
    }

    struct Region: Encodable {
        var startLine: Int
    }

    struct LogicalLocation: Encodable {
        var fullyQualifiedName: String
    }

    static let ruleDescriptions = [
        "allow": "A required path is blocked", "deny": "A forbidden path is open",
        "only": "A destination is reachable from a source outside the permitted list",
        "unchanged": "Reachability changed against the baseline",
        "parity": "Two sources do not reach the same destinations",
        "peering": "A peering connection is wider than allowed", "dns": "A name does not resolve as required",
        "gained": "A flow became reachable", "lost": "A flow became unreachable",
        "unknown": "A flow became undecidable",
        "layers": "Blocking layers changed while reachability stayed the same",
        "dns-changed": "A name answers differently from a VPC",
    ]

    static func rules(_ ids: [String]) -> [Rule] {
        Array(Set(ids)).sorted().map {
            Rule(id: "vpcreach/\($0)", shortDescription: Message(text: ruleDescriptions[$0] ?? $0))
        }
    }

    /// One result per assertion that does not hold, located at its policy line and at the snapshot
    /// files of the components that decide it.
    public static func render(_ report: CheckReport) throws -> String {
        let failing = report.results.filter { $0.status != .pass }
        let results = failing.map { result in
            let policy = Location(
                physicalLocation: PhysicalLocation(
                    artifactLocation: ArtifactLocation(uri: report.policy),
                    region: Region(startLine: max(1, result.line))),
                logicalLocations: [LogicalLocation(fullyQualifiedName: result.id)])
            let evidence = result.evidence.map { source in
                Location(
                    physicalLocation: PhysicalLocation(
                        artifactLocation: ArtifactLocation(uri: source.file), region: nil),
                    logicalLocations: [LogicalLocation(fullyQualifiedName: source.jsonPath)])
            }
            let text = ([result.summary] + result.details.prefix(20)).joined(separator: "\n")
            return Result(
                ruleId: "vpcreach/\(result.kind)", level: result.status == .fail ? "error" : "warning",
                message: Message(text: text), locations: [policy] + evidence)
        }
        let log = Log(runs: [Run(tool: Tool(driver: Driver(rules: rules(failing.map(\.kind)))), results: results)])
        return try JSONRendering.render(log)
    }

    /// One result per diff line (flow group or layer change), located at the candidate snapshot.
    public static func render(_ diff: ReachabilityDiff) throws -> String {
        let location = Location(
            physicalLocation: PhysicalLocation(artifactLocation: ArtifactLocation(uri: diff.candidate), region: nil),
            logicalLocations: nil)
        let flows = diff.flows.map { flow in
            Result(
                ruleId: "vpcreach/\(flow.change)", level: flow.change == "gained" ? "warning" : "error",
                message: Message(
                    text: (["\(flow.change): \(flow.sourceRole) -> \(flow.destinationRole): \(flow.trafficText)"]
                        + flow.causes).joined(separator: "\n")),
                locations: [location])
        }
        let layers = diff.layers.map { layer in
            Result(
                ruleId: "vpcreach/layers", level: "warning",
                message: Message(
                    text:
                        "\(layer.sourceRole) -> \(layer.destinationRole): blocked before by \(layer.before.joined(separator: ", ")); now by \(layer.after.joined(separator: ", "))"
                ),
                locations: [location])
        }
        let routing = diff.routing.map { change in
            Result(
                ruleId: "vpcreach/layers", level: "warning",
                message: Message(
                    text: (["routes changed for \(change.role)"] + change.added.map { "+ \($0)" }
                        + change.removed.map { "- \($0)" }).joined(separator: "\n")),
                locations: [location])
        }
        let dns = diff.dns.map { change in
            Result(
                ruleId: "vpcreach/dns-changed", level: "warning",
                message: Message(text: DiffTextRenderer.lines(change).joined(separator: "\n")), locations: [location])
        }
        let ids =
            diff.flows.map(\.change) + (diff.layers.isEmpty && diff.routing.isEmpty ? [] : ["layers"])
            + (diff.dns.isEmpty ? [] : ["dns-changed"])
        return try JSONRendering.render(
            Log(runs: [Run(tool: Tool(driver: Driver(rules: rules(ids))), results: flows + layers + routing + dns)]))
    }
}
