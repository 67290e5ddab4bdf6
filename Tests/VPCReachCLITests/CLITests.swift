import Foundation
import Testing

/// Runs the built `vpcreach` executable: exit codes, formats, determinism and golden output.
@Suite struct CLITests {
    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The `vpcreach` binary next to the test bundle.
    static var executable: URL {
        let directory =
            Bundle.main.executableURL?.deletingLastPathComponent()
            ?? repositoryRoot.appendingPathComponent(".build/debug")
        return directory.appendingPathComponent("vpcreach")
    }

    static func run(_ arguments: [String]) throws -> Run {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = repositoryRoot
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(
            status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self),
            stderr: String(decoding: err, as: UTF8.self))
    }

    static let readme = [
        "query", "fixtures/prod-after", "--from", "ecs:app-prod/app", "--to", "primary.db.prod.internal", "--port",
        "5432",
    ]

    @Test func reachableExitsZero() throws {
        let run = try Self.run(Self.readme)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.hasPrefix("REACHABLE: "))
    }

    @Test func unreachableExitsOneAndNamesTheBlocker() throws {
        let run = try Self.run([
            "query", "fixtures/broken-return-route", "--from", "ecs:app-prod/app", "--to", "primary.db.prod.internal",
            "--port", "5432",
        ])
        #expect(run.status == 1)
        #expect(run.stdout.contains("NO_ROUTE_TO_DESTINATION at rtb-0a100000000000004 (prod-data), return path"))
    }

    @Test func unknownExitsThree() throws {
        let run = try Self.run([
            "query", "fixtures/semantics/dns-public-name", "--from", "eni-0b190000001001010", "--to", "api.example.com",
            "--port", "443",
        ])
        #expect(run.status == 3, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.hasPrefix("UNKNOWN: "))
    }

    @Test(arguments: [
        ["query", "fixtures/prod-after", "--from", "eni-00000000000000000", "--to", "10.10.30.11"],
        ["query", "fixtures/prod-after", "--from", "10.10.99.99", "--to", "sg-0a100000000000003"],
        ["query", "fixtures/no-such-snapshot", "--from", "eni-1", "--to", "eni-2"],
        ["query", "fixtures/prod-after", "--from", "db.prod.internal", "--to", "eni-0a200000000010101"],
    ])
    func inputErrorsExitTwoWithAMessage(_ arguments: [String]) throws {
        let run = try Self.run(arguments)
        #expect(run.status == 2)
        #expect(run.stderr.hasPrefix("error: "), "\(run.stderr)")
        #expect(run.stdout.isEmpty)
    }

    @Test(arguments: [
        ["query", "fixtures/prod-after", "--from", "eni-1", "--to", "eni-2", "--port", "70000"],
        ["query", "fixtures/prod-after", "--from", "eni-1", "--to", "eni-2", "--protocol", "sctp"],
        ["query", "fixtures/prod-after", "--from", "eni-1"],
        ["query", "fixtures/prod-after", "--from", "eni-1", "--to", "eni-2", "--ephemeral-ports", "9-1"],
    ])
    func usageErrorsExitSixtyFour(_ arguments: [String]) throws {
        #expect(try Self.run(arguments).status == 64)
    }

    @Test func jsonAnswerHasTheDocumentedTopLevelFieldsAndIsDeterministic() throws {
        let arguments = [
            "query", "fixtures/broken-nacl-ephemeral", "--from", "ecs:app-prod/app", "--to", "redis.prod.internal",
            "--port", "6379", "--format", "json",
        ]
        let first = try Self.run(arguments)
        let second = try Self.run(arguments)
        #expect(first.status == 1)
        #expect(first.stdout == second.stdout)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(first.stdout.utf8)) as? [String: Any])
        #expect(object["schemaVersion"] as? Int == 1)
        #expect(object["reachable"] as? Bool == false)
        #expect(object["verdict"] as? String == "unreachable")
        let pairs = try #require(object["pairs"] as? [[String: Any]])
        let blockers = pairs.flatMap { $0["blockers"] as? [[String: Any]] ?? [] }
        #expect(
            blockers.contains {
                $0["code"] as? String == "SUBNET_ACL_RESTRICTION" && $0["direction"] as? String == "return"
            })
    }

    @Test func inventoryJSONCountsByAWSNames() throws {
        let run = try Self.run(["inventory", "fixtures/prod-before", "--format", "json"])
        #expect(run.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let counts = try #require(object["counts"] as? [String: Int])
        for key in [
            "Vpcs", "Subnets", "RouteTables", "SecurityGroups", "NetworkAcls", "NetworkInterfaces", "HostedZones",
        ] {
            #expect((counts[key] ?? 0) > 0, "\(key)")
        }
        #expect(counts["VpcPeeringConnections"] == nil)
    }

    @Test func reachersExitsThreeWhenASourceIsUndecidedAndTwoOnADNSName() throws {
        #expect(try Self.run(["reachers", "fixtures/prod-after", "--to", "10.10.30.11", "--port", "5432"]).status == 0)
        let dns = try Self.run([
            "reachers", "fixtures/prod-after", "--to", "primary.db.prod.internal", "--port", "5432",
        ])
        #expect(dns.status == 2 && dns.stderr.contains("DNS name"))
        let undecided = try Self.run([
            "reachers", "fixtures/semantics/incomplete-snapshot", "--to", "eni-0b270000002002010", "--port", "5432",
        ])
        #expect(
            undecided.status == 3 && undecided.stdout.contains("Undecided (2)")
                && undecided.stdout.contains("Snapshot errors"))
    }

    /// Rendered output matches the committed golden files; set RECORD_GOLDENS=1 to re-record.
    @Test(arguments: [
        (
            "broken-return-route.txt",
            [
                "query", "fixtures/broken-return-route", "--from", "ecs:app-prod/app", "--to",
                "primary.db.prod.internal", "--port", "5432",
            ]
        ),
        (
            "broken-db-sg.json",
            [
                "query", "fixtures/broken-db-sg", "--from", "i-0a100000000010011", "--to", "tag:Name=patroni-1",
                "--port", "5432", "--format", "json",
            ]
        ),
        ("prod-after-inventory.txt", ["inventory", "fixtures/prod-after"]),
        (
            "broken-nacl-ephemeral-reachers.txt",
            ["reachers", "fixtures/broken-nacl-ephemeral", "--to", "10.10.30.11", "--port", "5432"]
        ),
        (
            "prod-after-reachers.json",
            ["reachers", "fixtures/prod-after", "--to", "eni-0a100000000030011", "--port", "5432", "--format", "json"]
        ),
        ("prod-before-after-diff.txt", ["diff", "fixtures/prod-before", "fixtures/prod-after"]),
        ("broken-db-sg-matrix.csv", ["matrix", "fixtures/broken-db-sg", "--format", "csv"]),
        ("help.txt", ["--help"]),
        ("query-help.txt", ["query", "--help"]),
        ("reachers-help.txt", ["reachers", "--help"]),
        ("check-help.txt", ["check", "--help"]),
        ("diff-help.txt", ["diff", "--help"]),
        ("matrix-help.txt", ["matrix", "--help"]),
        ("report-help.txt", ["report", "--help"]),
        ("graph-help.txt", ["graph", "--help"]),
        ("inventory-help.txt", ["inventory", "--help"]),
    ])
    func outputMatchesGoldenFile(_ name: String, _ arguments: [String]) throws {
        let run = try Self.run(arguments)
        let golden = Self.repositoryRoot.appendingPathComponent("Tests/VPCReachCLITests/Goldens/\(name)")
        if ProcessInfo.processInfo.environment["RECORD_GOLDENS"] == "1" {
            try Data(run.stdout.utf8).write(to: golden)
        }
        let expected = try String(contentsOf: golden, encoding: .utf8)
        #expect(
            run.stdout == expected,
            "output differs from \(golden.path); re-record with RECORD_GOLDENS=1 after checking the change")
    }
}

/// `check`, `diff` and `matrix` from the command line.
@Suite struct CICommandTests {
    @Test func checkExitsZeroWhenThePolicyHoldsAndOneWhenItFails() throws {
        let holds = try CLITests.run([
            "check", "fixtures/prod-after", "--policy", "fixtures/policies/migration.yaml", "--baseline",
            "fixtures/prod-before",
        ])
        #expect(holds.status == 0, "\(holds.stdout)\(holds.stderr)")
        #expect(holds.stdout.hasSuffix("9 passed, 0 failed, 0 undecided\n"))
        let fails = try CLITests.run([
            "check", "fixtures/broken-db-sg", "--policy", "fixtures/policies/migration.yaml", "--baseline",
            "fixtures/prod-before", "--format", "junit",
        ])
        #expect(fails.status == 1)
        #expect(fails.stdout.contains("<testsuite tests=\"9\" failures=\"2\" errors=\"0\""))
    }

    @Test func checkExitsTwoOnAPolicyError() throws {
        let run = try CLITests.run(["check", "fixtures/prod-before", "--policy", "fixtures/policies/migration.yaml"])
        #expect(run.status == 2)
        #expect(run.stderr.hasPrefix("error: fixtures/policies/migration.yaml:14: "))
    }

    @Test func diffExitCodesFollowFailOn() throws {
        let unaffected = try CLITests.run([
            "diff", "fixtures/prod-before", "fixtures/prod-after", "--scope", "ecs:prod/anisette",
        ])
        #expect(unaffected.status == 0, "\(unaffected.stdout)")
        let gained = ["diff", "fixtures/prod-before", "fixtures/prod-after"]
        #expect(try CLITests.run(gained + ["--fail-on", "gained"]).status == 1)
        #expect(try CLITests.run(gained + ["--fail-on", "lost"]).status == 0)
        let layers = try CLITests.run([
            "diff", "fixtures/prod-after", "fixtures/broken-main-route-table", "--scope", "ecs:prod/anisette",
            "--protocol", "tcp",
        ])
        #expect(layers.status == 1)
        #expect(layers.stdout.contains("LAYERS CHANGED: ecs:prod/anisette -> ecs:app-prod/app"))
    }

    @Test func aCommittedMatrixIsABaselineForDiff() throws {
        let matrix = FileManager.default.temporaryDirectory.appendingPathComponent("matrix-\(UUID().uuidString).json")
            .path
        let write = try CLITests.run([
            "matrix", "fixtures/prod-after", "--scope", "ecs:prod/anisette", "--output", matrix,
        ])
        #expect(write.status == 0)
        #expect(try CLITests.run(["diff", matrix, "fixtures/prod-after"]).status == 0)
        let changed = try CLITests.run(["diff", matrix, "fixtures/broken-main-route-table", "--format", "json"])
        #expect(changed.status == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(changed.stdout.utf8)) as? [String: Any])
        #expect((object["layers"] as? [Any])?.isEmpty == false)
        let csv = try CLITests.run([
            "matrix", "fixtures/prod-after", "--scope", "i-0a100000000030011", "--format", "csv",
        ])
        #expect(csv.stdout.contains(",reachable,6,5432,"))
        // A matrix of the first format (one cell per pair) is refused by name, not misread.
        let old = FileManager.default.temporaryDirectory.appendingPathComponent("matrix-v1-\(UUID().uuidString).json")
            .path
        try Data(
            #"{"schemaVersion": 1, "snapshot": "x", "ephemeralPorts": "32768-60999", "members": [], "cells": []}"#.utf8
        ).write(to: URL(fileURLWithPath: old))
        let refused = try CLITests.run(["diff", old, "fixtures/prod-after"])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("is a version 1 matrix; this vpcreach reads version 2"))
    }
}

/// `report` and `graph` from the command line.
@Suite struct ReportCommandTests {
    @Test func reportWritesEachFormatAndIsByteIdenticalWithAFixedTimestamp() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("report-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        for format in ["html", "markdown", "csv", "json"] {
            var outputs: [String] = []
            for run in 0..<2 {
                let path = directory.appendingPathComponent("\(format)-\(run)").path
                let result = try CLITests.run([
                    "report", "fixtures/broken-dns-association", "--format", format, "--output", path, "--generated-at",
                    "2026-11-26T00:00:00Z", "--port", "443", "--port", "443",
                ])
                #expect(result.status == 0, "\(result.stderr)")
                outputs.append(try String(contentsOfFile: path, encoding: .utf8))
            }
            #expect(outputs[0] == outputs[1], "\(format) differs between runs")
            #expect(outputs[0].contains("DNS_NAME_UNRESOLVED"), "\(format)")
        }
        let html = try String(contentsOfFile: directory.appendingPathComponent("html-0").path, encoding: .utf8)
        #expect(html.hasPrefix("<!DOCTYPE html>") && html.contains("<svg"))
        // Self-contained: no address but the SVG namespace.
        let withoutNamespace = html.replacingOccurrences(of: "xmlns=\"http://www.w3.org/2000/svg\"", with: "")
        #expect(!withoutNamespace.contains("http://") && !withoutNamespace.contains("https://"))
        #expect(html.components(separatedBy: "tcp 443):").count == 2, "port 443 is listed once")
    }

    @Test func reportNeedsAnOutputPath() throws {
        #expect(try CLITests.run(["report", "fixtures/prod-after"]).status == 64)
    }

    @Test func graphPrintsDOTAndSVG() throws {
        let dot = try CLITests.run(["graph", "fixtures/prod-after"])
        #expect(dot.status == 0)
        #expect(dot.stdout.hasPrefix("graph vpcreach {"))
        let svg = try CLITests.run(["graph", "fixtures/prod-after", "--format", "svg"])
        #expect(svg.stdout.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
    }
}
