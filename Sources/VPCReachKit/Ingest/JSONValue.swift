/// A parsed JSON document, kept as a tree so that every read can name its JSON path.
enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

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

/// A read failure at a JSON path.
struct JSONReadError: Error {
    var path: String
    var message: String
}

/// A position in a JSON document: reads values and names the path of whatever is wrong.
struct JSONNode {
    let value: JSONValue
    let path: String

    init(_ value: JSONValue, path: String = "$") {
        self.value = value
        self.path = path
    }

    /// The member `key`, or `nil` when absent or null.
    subscript(key: String) -> JSONNode? {
        guard case .object(let members) = value, let member = members[key] else { return nil }
        if case .null = member { return nil }
        return JSONNode(member, path: "\(path).\(key)")
    }

    /// The object's keys, sorted; empty for non-objects.
    var keys: [String] {
        guard case .object(let members) = value else { return [] }
        return members.keys.sorted()
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
