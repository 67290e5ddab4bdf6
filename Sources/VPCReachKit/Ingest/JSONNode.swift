/// A read failure at a JSON path.
struct JSONReadError: Error {
    var path: String
    var message: String
}

/// A value in a ``JSONDocument``: reads it and names the path of whatever is wrong.
///
/// A node is the document and a tape index; its JSON path is spelled out only when asked for
/// (most reads never need it).
struct JSONNode {
    let document: JSONDocument
    let index: Int

    init(_ document: JSONDocument, index: Int) {
        self.document = document
        self.index = index
    }

    private var entry: JSONDocument.Entry { document.tape[index] }

    var kind: JSONDocument.Kind { entry.kind }

    /// The JSON type's name, for messages.
    var typeName: String {
        switch kind {
        case .null: "null"
        case .false, .true: "a boolean"
        case .number: "a number"
        case .string, .key: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }

    /// The JSON path, e.g. `$.NetworkInterfaces[3].Groups`.
    var path: String {
        let tape = document.tape
        var chain: [Int] = []
        var current = index
        while current != 0 {
            chain.append(current)
            current = Int(tape[current].parent)
        }
        var text = "$"
        for step in chain.reversed() {
            if tape[Int(tape[step].parent)].kind == .array {
                text.append("[")
                text.append(String(tape[step].position))
                text.append("]")
            } else {
                text.append(".")
                text.append(document.text(of: tape[step - 1]))
            }
        }
        return text
    }

    /// The tape indexes of an array's elements or an object's member values, in document order.
    private var children: [Int] {
        let entry = entry
        guard entry.kind == .array || entry.kind == .object else { return [] }
        let tape = document.tape
        let step = entry.kind == .object ? 1 : 0
        var indexes: [Int] = []
        indexes.reserveCapacity(Int(entry.count))
        var current = index + 1
        for _ in 0..<entry.count {
            current += step
            indexes.append(current)
            current = Self.end(of: current, in: tape)
        }
        return indexes
    }

    /// The tape index just past a value and its descendants.
    private static func end(of index: Int, in tape: [JSONDocument.Entry]) -> Int {
        switch tape[index].kind {
        case .array, .object: Int(tape[index].first)
        default: index + 1
        }
    }

    /// An object's members in document order, repeated keys included; empty for non-objects.
    var members: [(key: String, value: JSONNode)] {
        guard kind == .object else { return [] }
        return children.map { (document.text(of: document.tape[$0 - 1]), JSONNode(document, index: $0)) }
    }

    /// The member `key` (its last value when the key is repeated), or `nil` when absent or null.
    subscript(key: String) -> JSONNode? {
        let tape = document.tape
        let entry = tape[index]
        guard entry.kind == .object else { return nil }
        var found: Int?
        var current = index + 1
        for _ in 0..<entry.count {
            if document.key(tape[current], is: key) { found = current + 1 }
            current = Self.end(of: current + 1, in: tape)
        }
        guard let found, tape[found].kind != .null else { return nil }
        return JSONNode(document, index: found)
    }

    /// The object's distinct keys, sorted; empty for non-objects.
    var keys: [String] {
        Set(members.map(\.key)).sorted()
    }

    func fail(_ message: String) -> JSONReadError {
        JSONReadError(path: path, message: message)
    }

    func required(_ key: String) throws -> JSONNode {
        guard let node = self[key] else {
            throw JSONReadError(path: "\(path).\(key)", message: "required field is missing")
        }
        return node
    }

    func string() throws -> String {
        let entry = entry
        guard entry.kind == .string else { throw fail("expected a string, found \(typeName)") }
        return document.text(of: entry)
    }

    /// A number's value.
    func number() throws -> Double {
        let entry = entry
        guard entry.kind == .number else { throw fail("expected a number, found \(typeName)") }
        return document.number(of: entry)
    }

    func int() throws -> Int {
        switch kind {
        case .number:
            let value = try number()
            if value == value.rounded() && abs(value) < 1e15 { return Int(value) }
        case .string:
            if let number = Int(document.text(of: entry)) { return number }
        default: break
        }
        throw fail("expected an integer, found \(typeName)")
    }

    func bool() throws -> Bool {
        switch kind {
        case .true: return true
        case .false: return false
        case .string:
            switch document.text(of: entry) {
            case "true": return true
            case "false": return false
            default: break
            }
        default: break
        }
        throw fail("expected a boolean, found \(typeName)")
    }

    func array() throws -> [JSONNode] {
        guard kind == .array else { throw fail("expected an array, found \(typeName)") }
        return children.map { JSONNode(document, index: $0) }
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
