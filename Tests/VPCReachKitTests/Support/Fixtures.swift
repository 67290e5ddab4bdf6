import Foundation

@testable import VPCReachKit

/// Paths to the repository's fixtures and expectation files, independent of the working directory.
enum Fixtures {
    static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func path(_ relative: String) -> String {
        repositoryRoot.appendingPathComponent(relative).path
    }

    static let expectations = repositoryRoot.appendingPathComponent("Tests/VPCReachKitTests/Expectations")

    /// Loads a snapshot by its path relative to the repository root, named by that relative path (so
    /// that output does not depend on where the repository is checked out).
    static func load(_ relative: String) throws -> Snapshot {
        try SnapshotLoader().load(path(relative), displayPath: relative)
    }

    /// Loads a policy by its path relative to the repository root, named by that relative path.
    static func policy(_ relative: String) throws -> Policy {
        try PolicyLoader().parse(String(contentsOfFile: path(relative), encoding: .utf8), file: relative)
    }

    /// Expectation file names (without extension) in `Expectations/`.
    static func expectationNames() -> [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: expectations.path)) ?? []
        return files.filter { $0.hasSuffix(".json") && $0 != "awscli-example-counts.json" }.map {
            String($0.dropLast(5))
        }.sorted()
    }
}

/// One scenario's expected answers (Tests/VPCReachKitTests/Expectations/<scenario>.json).
struct ScenarioExpectation: Decodable {
    struct ExpectedBlocker: Decodable {
        var code: String
        var direction: String?
        var component: String?
    }

    struct ExpectedQuery: Decodable {
        var name: String
        var from: String
        var to: String
        var `protocol`: String?
        var port: String?
        var ephemeralPorts: String?
        var verdict: String
        var blockers: [ExpectedBlocker]?
    }

    /// A load error the scenario provokes on purpose (a malformed value), by file name suffix and JSON path.
    struct AllowedError: Decodable {
        var file: String
        var jsonPath: String
    }

    var snapshot: String
    var allowedErrorDiagnostics: [AllowedError]?
    var queries: [ExpectedQuery]
}
