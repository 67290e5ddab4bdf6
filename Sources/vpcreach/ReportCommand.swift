import ArgumentParser
import Foundation
import VPCReachKit

/// `vpcreach report`: an auditor's report with findings and evidence.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract:
            "Write a report: inventory, who reaches each sensitive port, internet exposure, peerings, DNS, findings with evidence."
    )

    @Argument(help: "The snapshot directory.")
    var snapshot: String

    @Option(help: "Include this policy's assertion results.")
    var policy: String?

    @Option(help: "Include the reachability diff against this baseline snapshot.")
    var baseline: String?

    @Option(help: "Output format: html, markdown, csv or json.")
    var format: ReportFormat = .html

    @Option(help: "The file to write.")
    var output: String

    @Option(name: .customLong("port"), help: "Another TCP port to treat as sensitive (repeatable).")
    var ports: [Int] = []

    @Option(help: EphemeralPortsOption.help)
    var ephemeralPorts: String?

    @Option(help: "The timestamp printed in the report (default: now, UTC); fix it for byte-identical reports.")
    var generatedAt: String?

    @Flag(
        help:
            "Lay the diagram out with Graphviz's dot (when installed) instead of vpcreach's own layout; the output then depends on the Graphviz version."
    )
    var graphviz = false

    func validate() throws {
        try EphemeralPortsOption.validate(ephemeralPorts)
        for port in ports where !(0...65535).contains(port) {
            throw ValidationError("'--port \(port)' is not within 0-65535")
        }
    }

    func run() throws {
        let loaded = try loadSnapshot(snapshot)
        let base = try baseline.map(loadSnapshot)
        let parsed = try policy.map { path in try reportingInputErrors { try PolicyLoader().load(path) } }
        // The option, else the policy's `ephemeral_ports`, else each source's own range.
        let ephemeral = ephemeralPorts.flatMap(Query.parsePorts) ?? parsed?.ephemeralPorts
        let checkReport = try parsed.map { policy in
            try reportingInputErrors {
                try PolicyChecker(snapshot: loaded, baseline: base, ephemeralPorts: ephemeral).check(policy)
            }
        }
        let diff = try base.map { base in
            try reportingInputErrors {
                try DiffEngine.diff(base: base, candidate: loaded, scope: nil, ephemeralPorts: ephemeral)
            }
        }
        let policyPorts = parsed?.namedPorts ?? []
        let timestamp = generatedAt ?? ISO8601DateFormatter().string(from: Date())
        let report = AuditBuilder(snapshot: loaded, ephemeralPorts: ephemeral).build(
            generatedAt: timestamp, extraPorts: ports + policyPorts, policy: checkReport, diff: diff)
        let text: String
        switch format {
        case .html: text = AuditHTMLRenderer.render(report, diagram: diagram(NetworkDiagram(snapshot: loaded)))
        case .markdown: text = AuditTextRenderers.markdown(report)
        case .csv: text = AuditTextRenderers.csv(report)
        case .json: text = try JSONRendering.render(report)
        }
        try emit(text, to: output)
    }
}

extension ReportCommand {
    /// vpcreach's own SVG (deterministic), or with `--graphviz` and `dot` installed, Graphviz's layout.
    func diagram(_ network: NetworkDiagram) -> String {
        guard graphviz, let dot = Graphviz.executable() else { return network.svg() }
        return Graphviz.render(network.dot(), with: dot) ?? network.svg()
    }
}

/// Runs Graphviz's `dot` when it is installed.
enum Graphviz {
    static func executable() -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/dot" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// The `<svg>` element of `dot -Tsvg`, or nil when dot fails.
    static func render(_ source: String, with executable: String) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["-Tsvg"]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            return nil
        }
        input.fileHandleForWriting.write(Data(source.utf8))
        try? input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0, let text = String(data: data, encoding: .utf8),
            let start = text.range(of: "<svg")
        else { return nil }
        return String(text[start.lowerBound...])
    }
}

/// Report formats.
enum ReportFormat: String, CaseIterable, ExpressibleByArgument {
    case html, markdown, csv, json
}

/// `vpcreach graph`: the network diagram.
struct GraphCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "graph",
        abstract: "The diagram of VPCs, subnets, gateways and peering connections, as Graphviz DOT or SVG.",
        discussion:
            "With Graphviz installed (apt-get install graphviz): vpcreach graph SNAPSHOT --format dot | dot -Tsvg > network.svg"
    )

    @Argument(help: "The snapshot directory.")
    var snapshot: String

    @Option(help: "Output format: dot or svg.")
    var format: GraphFormat = .dot

    @Option(help: "Write to this file instead of standard output.")
    var output: String?

    func run() throws {
        let diagram = NetworkDiagram(snapshot: try loadSnapshot(snapshot))
        try emit(format == .dot ? diagram.dot() : diagram.svg() + "\n", to: output)
    }
}

/// Graph formats.
enum GraphFormat: String, CaseIterable, ExpressibleByArgument {
    case dot, svg
}
