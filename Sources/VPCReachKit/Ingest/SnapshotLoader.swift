import Foundation

/// Reads a snapshot directory of AWS CLI JSON outputs into a ``Snapshot``.
///
/// Files are found recursively and recognised by their top-level keys, not their names. Account and
/// region come from the data where it carries them, else from path components (a 12-digit account
/// id, a region name) as in `<account>/<region>/…`, Batfish's `aws_configs/…` and CloudMapper's
/// `account-data/<account>/<region>/…` layouts.
public struct SnapshotLoader: Sendable {
    /// Creates a loader.
    public init() {}

    /// Loads the snapshot at `path` (a directory, or a single JSON file).
    ///
    /// - Parameter displayPath: how to name the snapshot in messages and reports (default: `path`).
    /// - Throws: ``VPCReachError`` when the path is missing or a file is not readable JSON.
    ///   Everything else (unknown keys, malformed resources, dangling references) becomes a
    ///   diagnostic in the returned snapshot.
    public func load(_ path: String, displayPath: String? = nil) throws -> Snapshot {
        let shown = displayPath ?? path
        let root = URL(fileURLWithPath: path).standardizedFileURL
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root.path, isDirectory: &isDirectory) else {
            throw VPCReachError.snapshotNotFound(path: path)
        }
        let files: [SnapshotFile]
        if isDirectory.boolValue {
            files = try jsonFiles(under: root, displayRoot: shown)
        } else {
            files = [SnapshotFile(url: root, relative: shown)]
        }
        // Files are read and decoded on every core, and applied one after another in their order
        // while later files are being read; the first file (in that order) that cannot be read at
        // all is the error.
        let loaded = files.concurrentReduceInOrder(into: Loading(builder: SnapshotBuilder(root: shown))) {
            $0.read()
        } consume: {
            loading, reading in
            guard loading.error == nil else { return }
            switch reading {
            case .success(let steps): loading.builder.apply(steps)
            case .failure(let error): loading.error = error
            }
        }
        if let error = loaded.error { throw error }
        var builder = loaded.builder
        return builder.finish()
    }

    private func jsonFiles(under root: URL, displayRoot: String) throws -> [SnapshotFile] {
        guard
            let enumerator = FileManager.default.enumerator(
                at: root, includingPropertiesForKeys: [.isRegularFileKey], options: [.skipsHiddenFiles])
        else { throw VPCReachError.snapshotNotFound(path: displayRoot) }
        var found: [(URL, String)] = []
        let prefix = root.path.hasSuffix("/") ? root.path : root.path + "/"
        for case let url as URL in enumerator where url.pathExtension.lowercased() == "json" {
            let full = url.standardizedFileURL.path
            let relative = full.hasPrefix(prefix) ? String(full.dropFirst(prefix.count)) : url.lastPathComponent
            found.append((url, relative))
        }
        let base = displayRoot.hasSuffix("/") ? String(displayRoot.dropLast()) : displayRoot
        return found.sorted { $0.1 < $1.1 }.map { SnapshotFile(url: $0.0, relative: "\(base)/\($0.1)") }
    }
}

/// A snapshot being built from its files' steps, or the error that stops it.
private struct Loading: Sendable {
    var builder: SnapshotBuilder
    var error: VPCReachError?
}

/// One JSON file of a snapshot.
private struct SnapshotFile: Sendable {
    var url: URL
    /// Its path as messages name it: the snapshot as shown, then the path inside it.
    var relative: String

    /// What the file contributes to the snapshot, or why it cannot be read at all.
    func read() -> Result<[IngestStep], VPCReachError> {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            return .failure(.unreadableFile(path: relative, reason: "cannot be read (\(error.localizedDescription))"))
        }
        let document: JSONDocument
        do {
            document = try JSONDocument(parsing: [UInt8](data))
        } catch {
            return .failure(.unreadableFile(path: relative, reason: "is not valid JSON (\(error))"))
        }
        var reader = FileReader(file: relative, pathComponents: relative.split(separator: "/").map(String.init))
        reader.read(document)
        return .success(reader.steps)
    }
}
