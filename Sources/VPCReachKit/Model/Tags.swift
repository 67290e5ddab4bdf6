/// The tags of a resource, with its `Name` tag at hand.
public struct Tags: Hashable, Sendable {
    /// Tag keys to values.
    public var values: [String: String]

    /// Creates tags from a dictionary.
    public init(_ values: [String: String] = [:]) {
        self.values = values
    }

    /// The `Name` tag, if any.
    public var name: String? { values["Name"] }

    /// The tag value for `key`.
    public subscript(key: String) -> String? { values[key] }
}
