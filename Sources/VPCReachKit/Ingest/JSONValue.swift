/// A parsed JSON document, kept as a tree so that every read can name its JSON path.
enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    /// The JSON type's name, for messages.
    var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}

/// A JSON object's members in document order.
///
/// A list, not a dictionary: AWS CLI objects have a handful of members each, so a scan finds a
/// key sooner than hashing it would, and a million small objects do not each pay for a hash table.
/// A key given twice means its last value, as with a dictionary.
struct JSONObject: Sendable, Equatable {
    struct Member: Sendable, Equatable {
        var key: String
        var value: JSONValue
    }

    var members: [Member]

    init(_ members: [Member] = []) {
        self.members = members
    }

    /// The value of `key`, the last one when the key is repeated.
    subscript(key: String) -> JSONValue? {
        members.last { $0.key == key }?.value
    }

    /// The distinct keys, sorted.
    var keys: [String] {
        Set(members.map(\.key)).sorted()
    }

    /// Objects are equal when they map the same keys to equal values, whatever the order.
    static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        let keys = lhs.keys
        return keys == rhs.keys && keys.allSatisfy { lhs[$0] == rhs[$0] }
    }
}

/// A read failure at a JSON path.
struct JSONReadError: Error {
    var path: String
    var message: String
}

/// A position in a JSON document: reads values and names the path of whatever is wrong.
///
/// A member's path is spelled out only when asked for: the node keeps its parent's path and its
/// own key, so reading a field costs no string building (most reads never need their path).
struct JSONNode {
    let value: JSONValue
    private let parentPath: String
    private let key: String?

    init(_ value: JSONValue, path: String = "$") {
        self.value = value
        parentPath = path
        key = nil
    }

    private init(_ value: JSONValue, parentPath: String, key: String) {
        self.value = value
        self.parentPath = parentPath
        self.key = key
    }

    /// The JSON path, e.g. `$.NetworkInterfaces[3].Groups`.
    var path: String {
        key.map { "\(parentPath).\($0)" } ?? parentPath
    }

    /// The member `key`, or `nil` when absent or null.
    subscript(key: String) -> JSONNode? {
        guard case .object(let members) = value, let member = members[key] else { return nil }
        if case .null = member { return nil }
        return JSONNode(member, parentPath: path, key: key)
    }

    /// The object's keys, sorted; empty for non-objects.
    var keys: [String] {
        guard case .object(let members) = value else { return [] }
        return members.keys
    }

    func fail(_ message: String) -> JSONReadError {
        JSONReadError(path: path, message: message)
    }

    func required(_ key: String) throws -> JSONNode {
        guard let node = self[key] else { throw JSONReadError(path: "\(path).\(key)", message: "required field is missing") }
        return node
    }

    func string() throws -> String {
        guard case .string(let text) = value else { throw fail("expected a string, found \(value.typeName)") }
        return text
    }

    func int() throws -> Int {
        switch value {
        case .number(let number) where number == number.rounded() && abs(number) < 1e15: return Int(number)
        case .string(let text): if let number = Int(text) { return number }
        default: break
        }
        throw fail("expected an integer, found \(value.typeName)")
    }

    func bool() throws -> Bool {
        switch value {
        case .bool(let flag): return flag
        case .string("true"): return true
        case .string("false"): return false
        default: throw fail("expected a boolean, found \(value.typeName)")
        }
    }

    func array() throws -> [JSONNode] {
        guard case .array(let items) = value else { throw fail("expected an array, found \(value.typeName)") }
        // Elements get their path spelled out once, so that reading their members shares it.
        let path = path
        return items.enumerated().map { JSONNode($1, path: "\(path)[\($0)]") }
    }

    func string(_ key: String) throws -> String { try required(key).string() }
    func optionalString(_ key: String) throws -> String? { try self[key]?.string() }
    func optionalInt(_ key: String) throws -> Int? { try self[key]?.int() }
    func optionalBool(_ key: String) throws -> Bool? { try self[key]?.bool() }
    /// The array at `key`, or empty when absent.
    func array(_ key: String) throws -> [JSONNode] { try self[key]?.array() ?? [] }

    /// `Tags`/`TagSet` as a dictionary.
    func tags(_ key: String = "Tags") throws -> Tags {
        var values: [String: String] = [:]
        for tag in try array(key) {
            values[try tag.string("Key")] = try tag.optionalString("Value") ?? ""
        }
        return Tags(values)
    }
}
