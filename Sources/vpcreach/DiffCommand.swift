import ArgumentParser
import Foundation
import VPCReachKit

/// `vpcreach diff`: every flow whose reachability differs between two snapshots.
struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Every flow gained or lost between two snapshots, grouped, with causes and defense-in-depth changes.",
        discussion: "BASE may be a snapshot directory or a matrix JSON file written by 'vpcreach matrix'. Exit 1 when the diff in scope is non-empty for --fail-on."
    )

    @Argument(help: "The base snapshot directory, or a matrix JSON file.")
    var base: String

    @Argument(help: "The candidate snapshot directory.")
    var candidate: String

    @Option(help: "Only flows touching this selector.")
    var scope: String?

    @Option(help: "Which changes fail the run: gained, lost or any.")
    var failOn: DiffFailOn = .any

    @Option(help: "Output format: text or json.")
    var format: OutputFormat = .text

    @Option(help: "Write to this file instead of standard output.")
    var output: String?

    func run() throws {
        let diff: ReachabilityDiff
        do {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: base, isDirectory: &isDirectory), !isDirectory.boolValue {
                let matrix = try decodeMatrix(base)
                let after = try loadSnapshot(candidate)
                let candidateMatrix = try MatrixBuilder(snapshot: after).build(scope: scope ?? matrix.scope)
                diff = DiffEngine.diff(base: matrix, candidate: candidateMatrix, components: [])
            } else {
                diff = try DiffEngine.diff(base: loadSnapshot(base), candidate: loadSnapshot(candidate), scope: scope)
            }
        } catch let error as VPCReachError {
            printError("error: \(error)")
            throw ExitStatus.inputError
        }
        try emit(format == .json ? JSONRendering.render(diff) : DiffTextRenderer.render(diff), to: output)
        if diff.hasChanges(failOn: failOn) { throw ExitStatus.no }
    }

    func decodeMatrix(_ path: String) throws -> ReachabilityMatrix {
        do {
            return try JSONDecoder().decode(ReachabilityMatrix.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw VPCReachError.unreadableFile(path: path, reason: "is not a matrix written by 'vpcreach matrix --format json' (\(error))")
        }
    }
}

extension DiffFailOn: ExpressibleByArgument {}
