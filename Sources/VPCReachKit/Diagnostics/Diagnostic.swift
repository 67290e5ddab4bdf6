/// Where a value came from: a snapshot file and a JSON path inside it.
public struct SourceLocation: Hashable, Sendable, Codable, CustomStringConvertible, Comparable {
    /// The file's path relative to the snapshot root.
    public var file: String
    /// A JSON path such as `$.RouteTables[2].Routes[0]`.
    public var jsonPath: String

    /// Creates a location.
    public init(file: String, jsonPath: String = "$") {
        self.file = file
        self.jsonPath = jsonPath
    }

    public var description: String { jsonPath == "$" ? file : "\(file): \(jsonPath)" }

    public static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
        (lhs.file, lhs.jsonPath) < (rhs.file, rhs.jsonPath)
    }
}

/// A problem found in the input: collected as a value, never printed by the library.
public struct Diagnostic: Hashable, Sendable, Codable, Comparable {
    /// How serious the problem is.
    public enum Severity: String, Sendable, Codable, Comparable {
        /// Something was ignored or assumed; answers are unaffected or marked unknown.
        case warning
        /// Something could not be read; the affected part of the snapshot is incomplete.
        case error

        public static func < (lhs: Severity, rhs: Severity) -> Bool {
            lhs == .error && rhs == .warning
        }
    }

    /// How serious the problem is.
    public var severity: Severity
    /// A lowercase sentence in compiler style, quoting the names involved.
    public var message: String
    /// Where the problem is, when it has a place.
    public var location: SourceLocation?

    /// Creates a diagnostic.
    public init(_ severity: Severity, _ message: String, at location: SourceLocation? = nil) {
        self.severity = severity
        self.message = message
        self.location = location
    }

    /// One line in compiler style: `file: $.path: severity: message`.
    public var line: String {
        "\(location.map { "\($0): " } ?? "")\(severity.rawValue): \(message)"
    }

    public static func < (lhs: Diagnostic, rhs: Diagnostic) -> Bool {
        (lhs.location?.file ?? "", lhs.location?.jsonPath ?? "", lhs.message)
            < (rhs.location?.file ?? "", rhs.location?.jsonPath ?? "", rhs.message)
    }
}

/// Errors that stop a command: the input cannot be used at all.
public enum VPCReachError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The snapshot path does not exist or is not a readable directory or file.
    case snapshotNotFound(path: String)
    /// A file could not be read or is not JSON.
    case unreadableFile(path: String, reason: String)
    /// A selector is malformed or matches nothing.
    case selector(String)

    public var description: String {
        switch self {
        case .snapshotNotFound(let path): "snapshot '\(path)' does not exist or is not readable"
        case .unreadableFile(let path, let reason): "\(path): \(reason)"
        case .selector(let message): message
        }
    }
}
