import ArgumentParser
import Foundation
import VPCReachKit

/// Exit codes shared by every subcommand.
enum ExitStatus {
    static let yes = ExitCode(0)
    static let no = ExitCode(1)
    static let inputError = ExitCode(2)
    static let unknown = ExitCode(3)
}

/// Writes `message` to standard error.
func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}

/// Runs `body`, turning an input error (an unusable snapshot, selector or policy) into a message on
/// standard error and exit code 2.
func reportingInputErrors<Value>(_ body: () throws -> Value) throws -> Value {
    do {
        return try body()
    } catch let error as VPCReachError {
        printError("error: \(error)")
        throw ExitStatus.inputError
    } catch let error as PolicyError {
        printError("error: \(error)")
        throw ExitStatus.inputError
    }
}

/// Loads a snapshot; a fatal input error becomes a message and exit code 2.
func loadSnapshot(_ path: String) throws -> Snapshot {
    try reportingInputErrors { try SnapshotLoader().load(path) }
}

/// Writes `text` to `path`, or to standard output when `path` is nil.
func emit(_ text: String, to path: String?) throws {
    guard let path else {
        print(text, terminator: "")
        return
    }
    do {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    } catch {
        printError("error: cannot write '\(path)': \(error.localizedDescription)")
        throw ExitStatus.inputError
    }
}
