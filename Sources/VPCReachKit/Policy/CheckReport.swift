/// The outcome of checking a policy against a snapshot.
public struct CheckReport: Sendable, Codable, Equatable {
    /// The JSON schema version.
    public var schemaVersion = 1
    /// The policy file.
    public var policy: String
    /// The snapshot checked.
    public var snapshot: String
    /// The baseline snapshot, if one was given.
    public var baseline: String?
    /// One result per assertion, in policy order.
    public var results: [AssertionResult]

    /// Assertions that hold.
    public var passed: Int { results.filter { $0.status == .pass }.count }
    /// Assertions that do not hold.
    public var failed: Int { results.filter { $0.status == .fail }.count }
    /// Assertions the snapshot cannot decide.
    public var errors: Int { results.filter { $0.status == .error }.count }
    /// Whether every assertion holds.
    public var holds: Bool { results.allSatisfy { $0.status == .pass } }

    enum CodingKeys: String, CodingKey {
        case schemaVersion, policy, snapshot, baseline, results, passed, failed, errors
    }

    public init(policy: String, snapshot: String, baseline: String?, results: [AssertionResult]) {
        self.policy = policy
        self.snapshot = snapshot
        self.baseline = baseline
        self.results = results
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        schemaVersion = try container.decode(Int.self, forKey: .schemaVersion)
        policy = try container.decode(String.self, forKey: .policy)
        snapshot = try container.decode(String.self, forKey: .snapshot)
        baseline = try container.decodeIfPresent(String.self, forKey: .baseline)
        results = try container.decode([AssertionResult].self, forKey: .results)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(schemaVersion, forKey: .schemaVersion)
        try container.encode(policy, forKey: .policy)
        try container.encode(snapshot, forKey: .snapshot)
        try container.encodeIfPresent(baseline, forKey: .baseline)
        try container.encode(results, forKey: .results)
        try container.encode(passed, forKey: .passed)
        try container.encode(failed, forKey: .failed)
        try container.encode(errors, forKey: .errors)
    }
}

/// The outcome of one assertion.
public struct AssertionResult: Sendable, Codable, Equatable {
    /// `pass`, `fail`, or `error` (the snapshot cannot decide).
    public enum Status: String, Sendable, Codable {
        case pass, fail, error
    }

    /// The assertion's id.
    public var id: String
    /// Its kind (`allow`, `deny`, `only`, `unchanged`, `parity`, `peering`, `dns`).
    public var kind: String
    /// Its description, if any.
    public var description: String?
    /// Its line in the policy file.
    public var line: Int
    /// The outcome.
    public var status: Status
    /// One sentence.
    public var summary: String
    /// The evidence, one item per line: failing pairs, offending sources, differences.
    public var details: [String]
    /// The engine's blockers behind a failure, when a path is blocked.
    public var blockers: [Blocker]
    /// Snapshot locations of the components that decide the outcome.
    public var evidence: [SourceLocation]
}
