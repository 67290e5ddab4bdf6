import Foundation

/// Deterministic JSON for every report: sorted keys, no escaped slashes, a trailing newline.
public enum JSONRendering {
    /// Encodes `value` as pretty, key-sorted JSON.
    public static func render(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(value)
        return (String(data: data, encoding: .utf8) ?? "") + "\n"
    }
}
