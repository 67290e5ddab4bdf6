import ArgumentParser
import VPCReachKit

/// `vpcreach matrix`: the reachability matrix of a scope, to commit as a baseline.
struct MatrixCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "matrix",
        abstract: "Who reaches whom on which protocols and ports, for every pair of interfaces touching a scope."
    )

    @Argument(help: "The snapshot directory.")
    var snapshot: String

    @Option(help: "Only pairs with at least one end selected by this selector (default: every interface).")
    var scope: String?

    @Option(help: EphemeralPortsOption.help)
    var ephemeralPorts: String?

    @Option(help: "Output format: json (diff accepts it as a baseline) or csv.")
    var format: MatrixFormat = .json

    @Option(help: "Write to this file instead of standard output.")
    var output: String?

    func validate() throws {
        try EphemeralPortsOption.validate(ephemeralPorts)
    }

    func run() throws {
        let loaded = try loadSnapshot(snapshot)
        let ephemeral = ephemeralPorts.flatMap(Query.parsePorts)
        let matrix = try reportingInputErrors {
            try MatrixBuilder(snapshot: loaded).build(scope: scope, ephemeralPorts: ephemeral)
        }
        let text = format == .json ? try JSONRendering.render(matrix) : MatrixCSVRenderer.render(matrix)
        try emit(text, to: output)
    }
}

/// Matrix formats.
enum MatrixFormat: String, CaseIterable, ExpressibleByArgument {
    case json, csv
}
