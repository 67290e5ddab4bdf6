/// A parsed JSON document: its bytes and a flat tape of its values, in document order.
///
/// Built for AWS CLI outputs, which are read once, field by field, and then dropped. Parsing writes
/// one fixed-size entry per value and per member name into a single array, and nothing else: no
/// strings, no per-object storage. A string becomes a Swift `String` only when a reader asks for
/// it, a member name is found by comparing bytes, and a number is read when asked for. Dropping a
/// document frees two buffers instead of a tree of millions of small allocations.
///
/// Each entry knows its parent and, for an array element, its position, so a value's JSON path
/// (`$.RouteTables[2].Routes[0]`) can be spelled out when a message or a source location needs it.
final class JSONDocument: Sendable {
    /// What a tape entry holds.
    enum Kind: UInt8, Sendable {
        case null, `false`, `true`, number, string, array, object, key
    }

    /// One value or member name. For a string, number or key `first` is the offset of its first
    /// byte (after the opening quote) and `count` its length in bytes; for an array or object
    /// `first` is the tape index just past its last descendant and `count` its number of elements
    /// or members. An object's members follow it as key, value, key, value…
    struct Entry: Sendable {
        var kind: Kind
        /// A string or key with backslash escapes, decoded when read.
        var escaped: Bool
        var first: UInt32
        var count: UInt32
        /// The tape index of the enclosing array or object (the entry's own index for the root).
        var parent: UInt32
        /// The element's position in its array; 0 otherwise.
        var position: UInt32
    }

    /// A syntax error, with its 1-based line and column.
    struct SyntaxError: Error, CustomStringConvertible {
        var line: Int
        var column: Int
        var message: String

        var description: String { "line \(line), column \(column): \(message)" }
    }

    let bytes: [UInt8]
    let tape: [Entry]

    /// Parses one JSON document (RFC 8259); trailing content other than whitespace is an error.
    init(parsing bytes: [UInt8]) throws(SyntaxError) {
        let result: Result<[Entry], SyntaxError> = bytes.withUnsafeBufferPointer { buffer in
            var parser = Parser(buffer)
            return Result { () throws(SyntaxError) -> [Entry] in try parser.document() }
        }
        self.bytes = bytes
        tape = try result.get()
    }

    /// The root value.
    var root: JSONNode { JSONNode(self, index: 0) }

    /// The text of a string or key entry, escapes decoded.
    func text(of entry: Entry) -> String {
        bytes.withUnsafeBufferPointer { buffer in
            let raw = UnsafeBufferPointer(rebasing: buffer[Int(entry.first)..<Int(entry.first + entry.count)])
            guard entry.escaped else { return String(decoding: raw, as: UTF8.self) }
            return String(decoding: Self.unescaped(raw), as: UTF8.self)
        }
    }

    /// Whether a key entry spells `name`.
    func key(_ entry: Entry, is name: String) -> Bool {
        guard !entry.escaped else { return text(of: entry) == name }
        let length = Int(entry.count)
        guard name.utf8.count == length else { return false }
        return bytes.withUnsafeBufferPointer { buffer in
            let start = Int(entry.first)
            return name.utf8.withContiguousStorageIfAvailable { wanted in
                for offset in 0..<length where buffer[start + offset] != wanted[offset] { return false }
                return true
            } ?? name.utf8.elementsEqual(buffer[start..<start + length])
        }
    }

    /// The value of a number entry.
    func number(of entry: Entry) -> Double {
        bytes.withUnsafeBufferPointer { buffer in
            let start = Int(entry.first)
            let end = start + Int(entry.count)
            let negative = buffer[start] == UInt8(ascii: "-")
            var integer: Int64 = 0
            var simple = end - start - (negative ? 1 : 0) <= 18
            for index in (negative ? start + 1 : start)..<end where simple {
                let byte = buffer[index]
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else {
                    simple = false
                    break
                }
                integer = integer * 10 + Int64(byte - UInt8(ascii: "0"))
            }
            if simple { return Double(negative ? -integer : integer) }
            // The parser has checked the syntax, which Double's reading accepts.
            return Double(String(decoding: UnsafeBufferPointer(rebasing: buffer[start..<end]), as: UTF8.self)) ?? .nan
        }
    }

    /// The bytes of a string body with its escapes decoded (the parser has checked them).
    private static func unescaped(_ raw: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(raw.count)
        var index = 0
        func hex4() -> UInt32 {
            var value: UInt32 = 0
            for _ in 0..<4 {
                let byte = raw[index]
                index += 1
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): value = value << 4 | UInt32(byte - UInt8(ascii: "0"))
                case UInt8(ascii: "a")...UInt8(ascii: "f"): value = value << 4 | UInt32(byte - UInt8(ascii: "a") + 10)
                default: value = value << 4 | UInt32(byte - UInt8(ascii: "A") + 10)
                }
            }
            return value
        }
        while index < raw.count {
            let byte = raw[index]
            index += 1
            guard byte == UInt8(ascii: "\\") else {
                result.append(byte)
                continue
            }
            let escaped = raw[index]
            index += 1
            switch escaped {
            case UInt8(ascii: "b"): result.append(0x08)
            case UInt8(ascii: "f"): result.append(0x0C)
            case UInt8(ascii: "n"): result.append(0x0A)
            case UInt8(ascii: "r"): result.append(0x0D)
            case UInt8(ascii: "t"): result.append(0x09)
            case UInt8(ascii: "u"):
                var code = hex4()
                if (0xD800...0xDBFF).contains(code) {
                    index += 2
                    code = 0x10000 + ((code - 0xD800) << 10) + (hex4() - 0xDC00)
                }
                result.append(contentsOf: String(Character(Unicode.Scalar(code) ?? "\u{FFFD}")).utf8)
            default: result.append(escaped)
            }
        }
        return result
    }
}

extension JSONDocument {
    /// One pass over the bytes, appending entries; containers are patched when they close.
    private struct Parser {
        private let bytes: UnsafeBufferPointer<UInt8>
        private var position = 0
        private var tape: [Entry] = []

        init(_ bytes: UnsafeBufferPointer<UInt8>) {
            self.bytes = bytes
            // About one entry per dozen bytes in AWS CLI outputs; the array grows if needed.
            tape.reserveCapacity(bytes.count / 12 + 16)
        }

        mutating func document() throws(SyntaxError) -> [Entry] {
            guard bytes.count < Int(UInt32.max) else { throw error("document larger than 4 GiB") }
            skipWhitespace()
            try value(parent: 0, position: 0, depth: 0)
            skipWhitespace()
            guard position == bytes.count else { throw error("unexpected content after the document") }
            return tape
        }

        private func error(_ message: String) -> SyntaxError {
            var line = 1
            var column = 1
            for index in 0..<min(position, bytes.count) {
                if bytes[index] == 0x0A {
                    line += 1
                    column = 1
                } else {
                    column += 1
                }
            }
            return SyntaxError(line: line, column: column, message: message)
        }

        private mutating func skipWhitespace() {
            while position < bytes.count {
                switch bytes[position] {
                case 0x20, 0x0A, 0x0D, 0x09: position += 1
                default: return
                }
            }
        }

        private mutating func append(
            _ kind: Kind, first: Int, count: Int, parent: Int, position index: Int, escaped: Bool = false
        ) {
            tape.append(
                Entry(
                    kind: kind, escaped: escaped, first: UInt32(truncatingIfNeeded: first),
                    count: UInt32(truncatingIfNeeded: count),
                    parent: UInt32(truncatingIfNeeded: parent), position: UInt32(truncatingIfNeeded: index)))
        }

        private mutating func value(parent: Int, position index: Int, depth: Int) throws(SyntaxError) {
            guard depth < 512 else { throw error("nesting deeper than 512 levels") }
            guard position < bytes.count else { throw error("unexpected end of input") }
            switch bytes[position] {
            case UInt8(ascii: "{"): try object(parent: parent, position: index, depth: depth)
            case UInt8(ascii: "["): try array(parent: parent, position: index, depth: depth)
            case UInt8(ascii: "\""): try string(.string, parent: parent, position: index)
            case UInt8(ascii: "t"):
                try literal("true")
                append(.true, first: 0, count: 0, parent: parent, position: index)
            case UInt8(ascii: "f"):
                try literal("false")
                append(.false, first: 0, count: 0, parent: parent, position: index)
            case UInt8(ascii: "n"):
                try literal("null")
                append(.null, first: 0, count: 0, parent: parent, position: index)
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                let start = position
                try number()
                append(.number, first: start, count: position - start, parent: parent, position: index)
            default: throw error("unexpected character '\(Character(Unicode.Scalar(bytes[position])))'")
            }
        }

        private mutating func literal(_ word: StaticString) throws(SyntaxError) {
            let count = word.utf8CodeUnitCount
            guard position + count <= bytes.count else { throw error("unexpected end of input") }
            for offset in 0..<count where bytes[position + offset] != word.utf8Start[offset] {
                throw error("invalid literal")
            }
            position += count
        }

        private mutating func object(parent: Int, position index: Int, depth: Int) throws(SyntaxError) {
            let own = tape.count
            append(.object, first: 0, count: 0, parent: parent, position: index)
            position += 1
            var members = 0
            skipWhitespace()
            if position < bytes.count, bytes[position] == UInt8(ascii: "}") {
                position += 1
                close(own, count: 0)
                return
            }
            while true {
                skipWhitespace()
                guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else {
                    throw error("expected a member name in quotes")
                }
                try string(.key, parent: own, position: 0)
                skipWhitespace()
                guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else {
                    throw error("expected ':' after a member name")
                }
                position += 1
                skipWhitespace()
                try value(parent: own, position: 0, depth: depth + 1)
                members += 1
                skipWhitespace()
                guard position < bytes.count else { throw error("unexpected end of input in an object") }
                if bytes[position] == UInt8(ascii: ",") {
                    position += 1
                } else if bytes[position] == UInt8(ascii: "}") {
                    position += 1
                    close(own, count: members)
                    return
                } else {
                    throw error("expected ',' or '}' in an object")
                }
            }
        }

        private mutating func array(parent: Int, position index: Int, depth: Int) throws(SyntaxError) {
            let own = tape.count
            append(.array, first: 0, count: 0, parent: parent, position: index)
            position += 1
            var elements = 0
            skipWhitespace()
            if position < bytes.count, bytes[position] == UInt8(ascii: "]") {
                position += 1
                close(own, count: 0)
                return
            }
            while true {
                skipWhitespace()
                try value(parent: own, position: elements, depth: depth + 1)
                elements += 1
                skipWhitespace()
                guard position < bytes.count else { throw error("unexpected end of input in an array") }
                if bytes[position] == UInt8(ascii: ",") {
                    position += 1
                } else if bytes[position] == UInt8(ascii: "]") {
                    position += 1
                    close(own, count: elements)
                    return
                } else {
                    throw error("expected ',' or ']' in an array")
                }
            }
        }

        /// Records where a container ends and how many elements or members it has.
        private mutating func close(_ index: Int, count: Int) {
            tape[index].first = UInt32(truncatingIfNeeded: tape.count)
            tape[index].count = UInt32(truncatingIfNeeded: count)
        }

        /// Checks a string's syntax (escapes, surrogate pairs, control characters) and records its body.
        private mutating func string(_ kind: Kind, parent: Int, position index: Int) throws(SyntaxError) {
            position += 1
            let start = position
            var escaped = false
            while position < bytes.count {
                let byte = bytes[position]
                if byte == UInt8(ascii: "\"") {
                    append(
                        kind, first: start, count: position - start, parent: parent, position: index, escaped: escaped)
                    position += 1
                    return
                }
                guard byte >= 0x20 else { throw error("control character in a string") }
                position += 1
                guard byte == UInt8(ascii: "\\") else { continue }
                escaped = true
                guard position < bytes.count else { throw error("unexpected end of input in a string") }
                let escape = bytes[position]
                position += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                    UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    break
                case UInt8(ascii: "u"):
                    let code = try hex4()
                    if (0xD800...0xDBFF).contains(code) {
                        guard position + 1 < bytes.count, bytes[position] == UInt8(ascii: "\\"),
                            bytes[position + 1] == UInt8(ascii: "u")
                        else {
                            throw error("unpaired surrogate in a \\u escape")
                        }
                        position += 2
                        guard (0xDC00...0xDFFF).contains(try hex4()) else {
                            throw error("invalid surrogate pair in a \\u escape")
                        }
                    } else if (0xDC00...0xDFFF).contains(code) {
                        throw error("unpaired surrogate in a \\u escape")
                    }
                default: throw error("invalid escape '\\\(Character(Unicode.Scalar(escape)))'")
                }
            }
            throw error("unterminated string")
        }

        private mutating func hex4() throws(SyntaxError) -> UInt32 {
            guard position + 4 <= bytes.count else { throw error("unexpected end of input in a \\u escape") }
            var value: UInt32 = 0
            for _ in 0..<4 {
                let byte = bytes[position]
                let digit: UInt32
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
                default: throw error("invalid hex digit in a \\u escape")
                }
                value = value << 4 | digit
                position += 1
            }
            return value
        }

        /// Checks a number's syntax (RFC 8259 §6) and moves past it.
        private mutating func number() throws(SyntaxError) {
            if bytes[position] == UInt8(ascii: "-") { position += 1 }
            guard position < bytes.count, isDigit(bytes[position]) else { throw error("invalid number") }
            if bytes[position] == UInt8(ascii: "0") {
                position += 1
            } else {
                skipDigits()
            }
            if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
                position += 1
                guard position < bytes.count, isDigit(bytes[position]) else { throw error("invalid number") }
                skipDigits()
            }
            if position < bytes.count, bytes[position] == UInt8(ascii: "e") || bytes[position] == UInt8(ascii: "E") {
                position += 1
                if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-")
                {
                    position += 1
                }
                guard position < bytes.count, isDigit(bytes[position]) else { throw error("invalid number") }
                skipDigits()
            }
        }

        private mutating func skipDigits() {
            while position < bytes.count, isDigit(bytes[position]) { position += 1 }
        }

        private func isDigit(_ byte: UInt8) -> Bool {
            byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
        }
    }
}
