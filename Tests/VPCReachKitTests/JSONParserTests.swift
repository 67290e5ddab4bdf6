import Foundation
import Testing

@testable import VPCReachKit

/// The loader's JSON parser agrees with Foundation's on every fixture file and rejects bad JSON.
@Suite struct JSONParserTests {
    /// Foundation's `JSONDecoder` reading of a document.
    static func reference(_ data: Data) throws -> JSONTree {
        try JSONDecoder().decode(JSONTree.self, from: data)
    }

    /// The loader's reading of a document, through the same node API the AWS readers use.
    static func parsed(_ bytes: [UInt8]) throws -> JSONTree {
        try JSONTree(try JSONDocument(parsing: bytes).root)
    }

    @Test func everyFixtureFileParsesAsFoundationParsesIt() throws {
        let root = Fixtures.repositoryRoot.appendingPathComponent("fixtures")
        let files =
            FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)?.compactMap { $0 as? URL }
            .filter { $0.pathExtension == "json" } ?? []
        #expect(files.count > 500)
        for file in files {
            let data = try Data(contentsOf: file)
            #expect(try Self.parsed([UInt8](data)) == Self.reference(data), "\(file.path)")
        }
    }

    @Test(arguments: [
        #"{"a": "\u00e9\ud83d\ude00\n\t\"\\\/", "b": [1, -2.5e3, 0, true, false, null], "c": {}}"#,
        #"[]"#, #"  "x"  "#, #"-0.0"#, #"123456789012345678901234"#, #"{"\u0041": 1}"#,
    ])
    func escapesNumbersAndNestingMatchFoundation(_ text: String) throws {
        let data = Data(text.utf8)
        #expect(try Self.parsed([UInt8](data)) == Self.reference(data))
    }

    @Test func membersAreFoundByNameAndNamedByPath() throws {
        let text = #"{"A": [1, {"B": [null, {"C\u0044": "x", "E": null, "C": 1, "C": 2}]}], "F": true}"#
        let root = try JSONDocument(parsing: Array(text.utf8)).root
        let inner = try root.required("A").array()[1].required("B").array()[1]
        #expect(inner.path == "$.A[1].B[1]")
        #expect(try inner.string("CD") == "x")
        #expect(try inner.required("CD").path == "$.A[1].B[1].CD")
        #expect(try inner.required("C").int() == 2)
        #expect(inner["E"] == nil)
        #expect {
            try inner.required("E")
        } throws: { error in
            (error as? JSONReadError)?.path == "$.A[1].B[1].E"
        }
        #expect(try root.required("F").bool())
        #expect(try root.required("F").path == "$.F")
    }

    @Test(
        arguments: [
            (#"{"a": 1,}"#, 1, 9), (#"[1 2]"#, 1, 4), ("{\n  \"a\": tru\n}", 2, 8), (#"{"a": "x"#, 1, 9),
            (#"{"a": "\ud800"}"#, 1, 14), (#"[1] x"#, 1, 5), (#""#, 1, 1), ("\"a\u{01}\"", 1, 3), (#"01"#, 1, 2),
        ] as [(String, Int, Int)])
    func malformedJSONIsRejectedWithItsPlace(_ text: String, _ line: Int, _ column: Int) {
        #expect {
            try JSONDocument(parsing: Array(text.utf8))
        } throws: { error in
            guard let error = error as? JSONDocument.SyntaxError else { return false }
            return error.line == line && error.column == column
        }
    }
}

/// A JSON value as a tree: how Foundation reads a document, and how the tape reads back.
enum JSONTree: Equatable, Decodable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONTree])
    /// Members in document order; compared as a dictionary (a repeated key means its last value).
    case object([(key: String, value: JSONTree)])

    init(_ node: JSONNode) throws {
        switch node.kind {
        case .null: self = .null
        case .false, .true: self = .bool(try node.bool())
        case .number: self = .number(try node.number())
        case .string, .key: self = .string(try node.string())
        case .array: self = .array(try node.array().map(JSONTree.init))
        case .object: self = .object(try node.members.map { ($0.key, try JSONTree($0.value)) })
        }
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONTree].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONTree].self).map { ($0.key, $0.value) })
        }
    }

    static func == (lhs: JSONTree, rhs: JSONTree) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): true
        case (.bool(let a), .bool(let b)): a == b
        case (.number(let a), .number(let b)): a == b
        case (.string(let a), .string(let b)): a == b
        case (.array(let a), .array(let b)): a == b
        case (.object(let a), .object(let b)): Self.lastValues(a) == Self.lastValues(b)
        default: false
        }
    }

    private static func lastValues(_ members: [(key: String, value: JSONTree)]) -> [String: JSONTree] {
        Dictionary(members, uniquingKeysWith: { $1 })
    }
}
