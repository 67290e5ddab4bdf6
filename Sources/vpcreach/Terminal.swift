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
///
/// Every command loads its snapshots once and uses them until it exits, so a loaded snapshot is
/// kept until the process ends: the operating system takes its memory back at once, where
/// freeing its millions of strings and arrays one by one took a tenth of the load time at L
/// (the idea of compilers' `-disable-free`).
func loadSnapshot(_ path: String) throws -> Snapshot {
    let snapshot = try reportingInputErrors { try SnapshotLoader().load(path) }
    _ = Unmanaged.passRetained(KeptUntilExit(snapshot))
    return snapshot
}

/// A snapshot deliberately never released (see ``loadSnapshot(_:)``).
private final class KeptUntilExit: Sendable {
    let snapshot: Snapshot

    init(_ snapshot: Snapshot) {
        self.snapshot = snapshot
    }
}

/// Loads the snapshot at `path`, indexes it with `index` and answers with `answer`; with `timings`,
/// prints each step's time to standard error, `size` naming how big the answer is.
///
/// The index stays alive across the measurement: otherwise its deallocation, which can follow its
/// last use at once, lands in the answer's time (the snapshot is kept until exit anyway).
func timedAnswer<Index, Answer>(
    _ path: String, timings: Bool, index: (Snapshot) -> Index, answer: (Index) throws -> Answer,
    size: (Answer) -> String
) throws -> Answer {
    let clock = ContinuousClock()
    let start = clock.now
    let loaded = try loadSnapshot(path)
    let loadedAt = clock.now
    let indexed = index(loaded)
    let indexedAt = clock.now
    let result = try reportingInputErrors { try answer(indexed) }
    if timings {
        printError(
            "timings: load \(seconds(loadedAt - start)) s, index \(seconds(indexedAt - loadedAt)) s, answer \(seconds(clock.now - indexedAt)) s (\(size(result)))"
        )
    }
    withExtendedLifetime(indexed) {}
    return result
}

/// Seconds with microsecond digits, for `--timings`.
func seconds(_ duration: Duration) -> String {
    let (seconds, attoseconds) = duration.components
    return String(format: "%.6f", Double(seconds) + Double(attoseconds) / 1e18)
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
