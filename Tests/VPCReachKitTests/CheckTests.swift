import Foundation
import Testing

@testable import VPCReachKit

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Policy checks on the migration fixtures, bad policies, and every output format parsed back.
@Suite struct CheckTests {
    static let policy = "fixtures/policies/migration.yaml"

    static func check(_ snapshot: String, baseline: String? = "prod-before") throws -> CheckReport {
        let policy = try Fixtures.policy(Self.policy)
        return try PolicyChecker(
            snapshot: Fixtures.load("fixtures/\(snapshot)"),
            baseline: baseline.map { try Fixtures.load("fixtures/\($0)") }
        ).check(policy)
    }

    static func failing(_ report: CheckReport) -> Set<String> {
        Set(report.results.filter { $0.status != .pass }.map(\.id))
    }

    @Test func theMigrationPolicyHoldsAfterTheMigration() throws {
        let report = try Self.check("prod-after")
        #expect(report.holds, "\(report.results.filter { $0.status != .pass })")
        #expect(report.results.count == 9)
    }

    @Test(arguments: [
        ("broken-return-route", ["ecs-reaches-patroni-primary", "ecs-reaches-redis", "ec2-ecs-parity-on-data"]),
        ("broken-nacl-ephemeral", ["ecs-reaches-patroni-primary", "ecs-reaches-redis", "ec2-ecs-parity-on-data"]),
        (
            "broken-dns-association",
            [
                "ecs-reaches-patroni-primary", "ecs-reaches-redis", "db-name-resolves-from-ecs",
                "redis-name-resolves-from-ecs",
            ]
        ),
        ("broken-db-sg", ["ecs-reaches-patroni-primary", "ec2-ecs-parity-on-data"]),
        ("broken-main-route-table", ["anisette-unchanged", "peering-stays-narrow"]),
    ])
    func eachBrokenVariantFailsTheRightAssertions(_ variant: String, _ expected: [String]) throws {
        let report = try Self.check(variant)
        #expect(Self.failing(report) == Set(expected))
        #expect(report.errors == 0)
    }

    @Test func failuresCarryTheEngineExplanation() throws {
        let route = try #require(
            try Self.check("broken-return-route").results.first { $0.id == "ecs-reaches-patroni-primary" })
        #expect(
            route.blockers.contains {
                $0.code.rawValue == "NO_ROUTE_TO_DESTINATION" && $0.direction == .return
                    && $0.component == "rtb-0a100000000000004"
            })
        #expect(route.evidence.contains { $0.file.hasSuffix("describe-route-tables.json") })
        let acl = try #require(try Self.check("broken-nacl-ephemeral").results.first { $0.id == "ecs-reaches-redis" })
        #expect(acl.blockers.contains { $0.code.rawValue == "SUBNET_ACL_RESTRICTION" && $0.direction == .return })
        let peering = try #require(
            try Self.check("broken-main-route-table").results.first { $0.id == "peering-stays-narrow" })
        #expect(peering.details.contains { $0.contains("10.20.0.0/16") })
    }

    @Test func onlyListsTheOtherSourcesGrouped() throws {
        let text = """
            version: 1
            assertions:
              - id: patroni-only-from-ec2
                kind: only
                to: sg-0a100000000000003
                port: 5432
                sources: [sg-0a100000000000002]
            """
        let policy = try PolicyLoader().parse(text, file: "inline.yaml")
        let result = try #require(
            try PolicyChecker(snapshot: Fixtures.load("fixtures/prod-after")).check(policy).results.first)
        #expect(result.status == .fail)
        // The ECS tasks are the other sources; the Patroni nodes themselves are destinations, not candidates.
        #expect(
            result.details.filter { !$0.hasPrefix("  ") }.allSatisfy { $0.hasPrefix("ecs:app-prod/app in ") },
            "\(result.details)")
        #expect(result.details.filter { $0.hasPrefix("  ") }.count == 6)
    }

    @Test func denyFailsWhenAPairIsReachableAndAnyModeNeedsOnlyOne() throws {
        let text = """
            version: 1
            assertions:
              - id: ec2-kept-from-patroni
                kind: deny
                from: sg-0a100000000000002
                to: sg-0a100000000000003
                port: 5432
              - id: some-ec2-to-patroni-rest-blocked
                kind: deny
                mode: any
                from: sg-0a100000000000002
                to: sg-0a100000000000003
                port: 8008
              - id: any-app-reaches-redis
                kind: allow
                mode: any
                from: [sg-0a100000000000002, ecs:app-prod/app]
                to: sg-0a100000000000004
                port: 6379
            """
        let report = try PolicyChecker(snapshot: Fixtures.load("fixtures/prod-after")).check(
            PolicyLoader().parse(text, file: "inline.yaml"))
        #expect(report.results.map(\.status) == [.fail, .pass, .pass])
        #expect(report.results[0].details.count == 6)
    }

    @Test func diffSARIFHasOneResultPerChange() throws {
        let diff = try DiffEngine.diff(
            base: Fixtures.load("fixtures/prod-after"), candidate: Fixtures.load("fixtures/broken-main-route-table"),
            scope: "ecs:prod/anisette")
        let log = try #require(
            try JSONSerialization.jsonObject(with: Data(try SARIFRenderer.render(diff).utf8)) as? [String: Any])
        let results = try #require((log["runs"] as? [[String: Any]])?.first?["results"] as? [[String: Any]])
        #expect(results.count == diff.flows.count + diff.layers.count + diff.routing.count)
        #expect(diff.routing.map(\.role) == ["ecs:prod/anisette"])
        #expect(results.contains { $0["ruleId"] as? String == "vpcreach/layers" })
    }

    @Test func unchangedWithoutABaselineCannotBeDecided() throws {
        let result = try #require(
            try Self.check("prod-after", baseline: nil).results.first { $0.id == "anisette-unchanged" })
        #expect(result.status == .error)
    }

    @Test(
        arguments: [
            (
                "version: 1\nassertions:\n  - id: a\n    kind: allow\n    from: sg-0a100000000000002\n    to: sg-0a100000000000003\n    prot: tcp\n",
                7, "unknown key 'prot'"
            ),
            (
                "version: 1\nassertions:\n  - id: a\n    kind: dns\n    name: db.prod.internal\n    from: vpc-0a100000000000001\n  - id: a\n    kind: dns\n    name: x.prod.internal\n    from: vpc-0a100000000000001\n",
                7, "duplicate assertion id 'a'"
            ),
            (
                "version: 1\nassertions:\n  - id: a\n    kind: allow\n    from: sg-0a100000000000002\n    to: sg-0a100000000000003\n    port: [1, 2]\n",
                7, "expected a single value"
            ),
            (
                "version: 1\nassertions:\n  - id: a\n    kind: allow\n    from: sg-0a100000000000002\n    to: sg-0a100000000000003\n    port: 99999\n",
                7, "port must be N or N-M"
            ),
            ("version: 1\nassertions:\n  - id: a\n    kind: permit\n", 4, "unknown assertion kind 'permit'"),
            ("version: 2\nassertions: []\n", 1, "unsupported policy version 2"),
            (
                "version: 1\nassertions:\n  - id: a\n    kind: unchanged\n    scope: anisette\n    layers: maybe\n", 6,
                "expected true or false"
            ),
            ("version: 1\nassertions: [\n", 3, "is not valid YAML"),
        ] as [(String, Int, String)])
    func badPoliciesAreRejectedWithTheirLine(_ text: String, _ line: Int, _ message: String) {
        #expect {
            try PolicyLoader().parse(text, file: "bad.yaml")
        } throws: { error in
            guard let error = error as? PolicyError else { return false }
            return error.line == line && error.message.contains(message)
                && error.description.hasPrefix("bad.yaml:\(line): ")
        }
    }

    @Test func aSelectorThatMatchesNothingIsAPolicyErrorAtItsLine() throws {
        let text =
            "version: 1\ngroups:\n  ghosts: [sg-00000000000000000]\nassertions:\n  - id: a\n    kind: deny\n    from: ghosts\n    to: sg-0a100000000000003\n"
        let policy = try PolicyLoader().parse(text, file: "bad.yaml")
        #expect {
            try PolicyChecker(snapshot: Fixtures.load("fixtures/prod-after")).check(policy)
        } throws: { error in
            guard let error = error as? PolicyError else { return false }
            return error.line == 5 && error.message.contains("sg-00000000000000000")
        }
    }

    @Test func jUnitOutputParsesBackWithTheRightCounts() throws {
        let report = try Self.check("broken-db-sg")
        let xml = JUnitRenderer.render(report)
        // A streaming parse (no libxml2 tree to free): every element with its attributes.
        final class Elements: NSObject, XMLParserDelegate {
            var found: [(name: String, attributes: [String: String])] = []
            func parser(
                _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]
            ) {
                found.append((name, attributes))
            }
        }
        let elements = Elements()
        let parser = XMLParser(data: Data(xml.utf8))
        parser.delegate = elements
        #expect(parser.parse(), "\(String(describing: parser.parserError))")
        let suite = try #require(elements.found.first { $0.name == "testsuite" })
        #expect(suite.attributes["tests"] == "9")
        #expect(suite.attributes["failures"] == "2")
        #expect(suite.attributes["errors"] == "0")
        #expect(elements.found.filter { $0.name == "failure" }.count == 2)
        #expect(
            elements.found.filter { $0.name == "testcase" }.map { $0.attributes["name"] ?? "" }
                == report.results.map(\.id))
        // Markup in messages is escaped.
        #expect(JUnitRenderer.escape("a<b & \"c\"\n", inAttribute: true) == "a&lt;b &amp; &quot;c&quot;&#10;")
        #expect(JUnitRenderer.escape("0/0 -> nat", inAttribute: false) == "0/0 -&gt; nat")
    }

    @Test func sarifOutputIsSARIF210WithPolicyLineLocations() throws {
        let report = try Self.check("broken-return-route")
        let sarif = try SARIFRenderer.render(report)
        let log = try #require(try JSONSerialization.jsonObject(with: Data(sarif.utf8)) as? [String: Any])
        #expect(log["version"] as? String == "2.1.0")
        let run = try #require((log["runs"] as? [[String: Any]])?.first)
        let results = try #require(run["results"] as? [[String: Any]])
        #expect(results.count == report.failed + report.errors)
        let first = try #require(results.first)
        #expect(first["ruleId"] as? String == "vpcreach/allow")
        let locations = try #require(first["locations"] as? [[String: Any]])
        let physical = try #require(locations.first?["physicalLocation"] as? [String: Any])
        #expect((physical["artifactLocation"] as? [String: Any])?["uri"] as? String == report.policy)
        #expect((physical["region"] as? [String: Any])?["startLine"] as? Int == 14)
        #expect(
            locations.dropFirst().contains {
                (($0["physicalLocation"] as? [String: Any])?["artifactLocation"] as? [String: Any])?["uri"] as? String
                    != nil
            })
        let rules = try #require(
            ((run["tool"] as? [String: Any])?["driver"] as? [String: Any])?["rules"] as? [[String: Any]])
        #expect(rules.map { $0["id"] as? String } == ["vpcreach/allow", "vpcreach/parity"])
    }

    @Test func jsonAndMarkdownOutput() throws {
        let report = try Self.check("broken-db-sg")
        let json = try JSONRendering.render(report)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(object["schemaVersion"] as? Int == 1)
        #expect(object["failed"] as? Int == 2)
        #expect(try JSONDecoder().decode(CheckReport.self, from: Data(json.utf8)) == report)
        let markdown = CheckTextRenderer.markdown(report)
        #expect(markdown.contains("| ❌ fail | `ecs-reaches-patroni-primary` | allow |"))
        #expect(markdown.contains("#### `ec2-ecs-parity-on-data` (line 48)"))
    }
}

/// A suggested fix must not open what the same policy forbids (semantics §40).
@Suite struct RemediationCheckTests {
    static let policy = """
        version: 1
        assertions:
          - id: ecs-reaches-primary
            kind: allow
            from: ecs:app-prod/app
            to: 10.10.30.11
            port: 5432
          - id: ecs-kept-from-replica
            kind: deny
            from: ecs:app-prod/app
            to: 10.10.31.11
            port: 5432
        """

    /// In broken-return-route the database side's table (shared by the three Patroni subnets) has
    /// no route back to the tasks. The obvious fix, the route in that table, would also open the
    /// replica the deny keeps closed; the narrow fix, a table for the primary's subnet, would not.
    @Test func aFixThatWouldBreakADenyIsNarrowed() throws {
        let policy = try PolicyLoader().parse(Self.policy, file: "narrow.yaml")
        let report = try PolicyChecker(snapshot: Fixtures.load("fixtures/broken-return-route")).check(policy)
        let allow = try #require(report.results.first { $0.id == "ecs-reaches-primary" })
        let deny = try #require(report.results.first { $0.id == "ecs-kept-from-replica" })
        #expect(allow.status == .fail && deny.status == .pass)
        let note = try #require(
            allow.details.first { $0.contains("would also make ecs-kept-from-replica fail") }, "\(allow.details)")
        #expect(note.contains("a route table of its own"), "\(note)")
        let fixed = allow.blockers.filter { $0.remediation != nil }
        #expect(
            !fixed.isEmpty && fixed.allSatisfy { $0.fix.contains("a route table of its own") }, "\(fixed.map(\.fix))")
        // Without the deny, the plain fix stands.
        let alone = try PolicyLoader().parse(
            Self.policy.components(separatedBy: "  - id: ecs-kept-from-replica")[0], file: "allow.yaml")
        let plain = try PolicyChecker(snapshot: Fixtures.load("fixtures/broken-return-route")).check(alone)
        #expect(plain.results[0].blockers.contains { $0.remediation != nil && $0.fix.hasPrefix("add a route for") })
    }
}

/// A policy's `ephemeral_ports` is the client range of every assertion; `--ephemeral-ports` wins.
@Suite struct PolicyEphemeralPortsTests {
    static func policy(_ range: String?) -> String {
        """
        version: 1
        \(range.map { "ephemeral_ports: \($0)\n" } ?? "")assertions:
          - id: ecs-reaches-redis
            kind: allow
            from: ecs:app-prod/app
            to: redis.prod.internal
            port: 6379
        """
    }

    /// broken-nacl-ephemeral denies replies to 32768-65535: Linux clients fail, clients on 1024-32767 pass.
    @Test func thePolicysRangeAppliesAndTheOptionOverridesIt() throws {
        let snapshot = try Fixtures.load("fixtures/broken-nacl-ephemeral")
        let plain = try PolicyChecker(snapshot: snapshot).check(PolicyLoader().parse(Self.policy(nil), file: "p.yaml"))
        #expect(plain.results[0].status == .fail)
        let low = try PolicyLoader().parse(Self.policy("1024-32767"), file: "p.yaml")
        #expect(low.ephemeralPorts == 1024...32767)
        #expect(try PolicyChecker(snapshot: snapshot).check(low).results[0].status == .pass)
        #expect(
            try PolicyChecker(snapshot: snapshot, ephemeralPorts: 32768...60999).check(low).results[0].status == .fail)
        #expect(throws: PolicyError.self) { try PolicyLoader().parse(Self.policy("70000-80000"), file: "p.yaml") }
    }
}
