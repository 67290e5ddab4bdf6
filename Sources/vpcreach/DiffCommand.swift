import ArgumentParser
import Foundation
import VPCReachKit

/// `vpcreach diff`: every flow whose reachability differs between two snapshots.
struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Every flow gained or lost between two snapshots, grouped, with causes and defense-in-depth changes.",
        discussion:
            "BASE may be a snapshot directory or a matrix JSON file written by 'vpcreach matrix'. Exit 1 when the diff in scope is non-empty for --fail-on."
    )

    @Argument(help: "The base snapshot directory, or a matrix JSON file.")
    var base: String

    @Argument(help: "The candidate snapshot directory.")
    var candidate: String

    @Option(help: "Only flows touching this selector.")
    var scope: String?

    @Option(name: .customLong("protocol"), help: "Only flow changes of this protocol: tcp, udp, icmp or all.")
    var ipProtocol: QueryProtocol = .all

    @Option(help: "Only flow changes on this destination port N or range N-M (TCP/UDP).")
    var port: String?

    @Option(help: "Which changes fail the run: gained, lost, dns (names answered differently) or any.")
    var failOn: DiffFailOn = .any

    @Option(help: EphemeralPortsOption.help)
    var ephemeralPorts: String?

    @Option(help: "Output format: text, json or sarif.")
    var format: DiffFormat = .text

    @Option(help: "Write to this file instead of standard output.")
    var output: String?

    @Flag(help: "Print the time spent loading the snapshots and diffing them to standard error.")
    var timings = false

    func validate() throws {
        if let port, Query.parsePorts(port) == nil {
            throw ValidationError("'--port \(port)' is not a port N or a range N-M within 0-65535")
        }
        try EphemeralPortsOption.validate(ephemeralPorts)
    }

    func run() throws {
        var diff = try reportingInputErrors { () throws -> ReachabilityDiff in
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: base, isDirectory: &isDirectory), !isDirectory.boolValue {
                let matrix = try decodeMatrix(base)
                let after = try loadSnapshot(candidate)
                // Like with like: the base's client range when it was built with one (older files say 32768-60999).
                let candidateMatrix = try MatrixBuilder(snapshot: after).build(
                    scope: scope ?? matrix.scope,
                    ephemeralPorts: ephemeralPorts.flatMap(Query.parsePorts) ?? Query.parsePorts(matrix.ephemeralPorts))
                return DiffEngine.diff(base: matrix, candidate: candidateMatrix, components: [])
            }
            let clock = ContinuousClock()
            let start = clock.now
            let (before, after) = (try loadSnapshot(base), try loadSnapshot(candidate))
            let loadedAt = clock.now
            let diff = try DiffEngine.diff(
                base: before, candidate: after, scope: scope, ephemeralPorts: ephemeralPorts.flatMap(Query.parsePorts))
            if timings {
                printError(
                    "timings: load \(seconds(loadedAt - start)) s, diff \(seconds(clock.now - loadedAt)) s (\(diff.flows.count) flow change(s), \(diff.layers.count) layer change(s))"
                )
            }
            return diff
        }
        if ipProtocol != .all || port != nil {
            diff = diff.restricted(to: ipProtocol, ports: port.flatMap(Query.parsePorts))
        }
        switch format {
        case .text: try emit(DiffTextRenderer.render(diff), to: output)
        case .json: try emit(JSONRendering.render(diff), to: output)
        case .sarif: try emit(SARIFRenderer.render(diff), to: output)
        }
        if diff.hasChanges(failOn: failOn) { throw ExitStatus.no }
    }

    func decodeMatrix(_ path: String) throws -> ReachabilityMatrix {
        struct Version: Decodable { var schemaVersion: Int? }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw VPCReachError.unreadableFile(path: path, reason: "cannot be read (\(error.localizedDescription))")
        }
        func wrongVersion(_ version: Int) -> VPCReachError {
            .unreadableFile(
                path: path,
                reason:
                    "is a version \(version) matrix; this vpcreach reads version \(ReachabilityMatrix.currentSchemaVersion): write it again with 'vpcreach matrix --format json'"
            )
        }
        // Decoded once; the version alone is read only to explain a failure (matrices grow large).
        let matrix: ReachabilityMatrix
        do {
            matrix = try JSONDecoder().decode(ReachabilityMatrix.self, from: data)
        } catch {
            if let version = (try? JSONDecoder().decode(Version.self, from: data))?.schemaVersion,
                version != ReachabilityMatrix.currentSchemaVersion
            {
                throw wrongVersion(version)
            }
            throw VPCReachError.unreadableFile(
                path: path, reason: "is not a matrix written by 'vpcreach matrix --format json' (\(error))")
        }
        guard matrix.schemaVersion == ReachabilityMatrix.currentSchemaVersion else {
            throw wrongVersion(matrix.schemaVersion)
        }
        return matrix
    }
}

extension DiffFailOn: ExpressibleByArgument {}

/// Diff formats.
enum DiffFormat: String, CaseIterable, ExpressibleByArgument {
    case text, json, sarif
}
