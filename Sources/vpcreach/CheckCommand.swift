import ArgumentParser
import VPCReachKit

/// `vpcreach check`: do the policy's assertions hold on this snapshot?
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract:
            "Check a policy's assertions (allow, deny, only, unchanged, parity, peering, dns) against a snapshot.",
        discussion:
            "Exit codes: 0 every assertion holds, 1 at least one fails or cannot be decided, 2 snapshot or policy error, 64 usage error."
    )

    @Argument(help: "The snapshot directory.")
    var snapshot: String

    @Option(help: "The policy file (YAML or JSON).")
    var policy: String

    @Option(help: "The baseline snapshot, for 'unchanged' assertions.")
    var baseline: String?

    @Option(help: EphemeralPortsOption.help)
    var ephemeralPorts: String?

    func validate() throws {
        try EphemeralPortsOption.validate(ephemeralPorts)
    }

    @Option(help: "Output format: text, json, junit, sarif or markdown.")
    var format: CheckFormat = .text

    @Option(help: "Write to this file instead of standard output.")
    var output: String?

    func run() throws {
        let parsed = try reportingInputErrors { try PolicyLoader().load(policy) }
        let loaded = try loadSnapshot(snapshot)
        let base = try baseline.map(loadSnapshot)
        let report = try reportingInputErrors {
            try PolicyChecker(
                snapshot: loaded, baseline: base, ephemeralPorts: ephemeralPorts.flatMap(Query.parsePorts)
            ).check(parsed)
        }
        let text: String
        switch format {
        case .text: text = CheckTextRenderer.render(report)
        case .markdown: text = CheckTextRenderer.markdown(report)
        case .json: text = try JSONRendering.render(report)
        case .junit: text = JUnitRenderer.render(report)
        case .sarif: text = try SARIFRenderer.render(report)
        }
        try emit(text, to: output)
        if !report.holds { throw ExitStatus.no }
    }
}

/// Check formats.
enum CheckFormat: String, CaseIterable, ExpressibleByArgument {
    case text, json, junit, sarif, markdown
}
