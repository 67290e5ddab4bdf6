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

/// Loads a snapshot, turning a fatal input error into a message and exit code 2.
func loadSnapshot(_ path: String) throws -> Snapshot {
    do {
        return try SnapshotLoader().load(path)
    } catch let error as VPCReachError {
        printError("error: \(error)")
        throw ExitStatus.inputError
    }
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
