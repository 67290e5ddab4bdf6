import Foundation
import Testing
@testable import VPCReachKit

/// The loader's JSON parser agrees with Foundation's on every fixture file and rejects bad JSON.
@Suite struct JSONParserTests {
    /// Foundation's `JSONDecoder` reading of a document.
    static func reference(_ data: Data) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: data)
    }

    @Test func everyFixtureFileParsesAsFoundationParsesIt() throws {
        let root = Fixtures.repositoryRoot.appendingPathComponent("fixtures")
        let files = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)?.compactMap { $0 as? URL }
            .filter { $0.pathExtension == "json" } ?? []
        #expect(files.count > 500)
        for file in files {
            let data = try Data(contentsOf: file)
            #expect(try JSONParser.parse([UInt8](data)) == Self.reference(data), "\(file.path)")
        }
    }

    @Test(arguments: [
        #"{"a": "\u00e9\ud83d\ude00\n\t\"\\\/", "b": [1, -2.5e3, 0, true, false, null], "c": {}}"#,
        #"[]"#, #"  "x"  "#, #"-0.0"#, #"123456789012345678901234"#, #"{"\u0041": 1}"#,
    ])
    func escapesNumbersAndNestingMatchFoundation(_ text: String) throws {
        let data = Data(text.utf8)
        #expect(try JSONParser.parse([UInt8](data)) == Self.reference(data))
    }

    @Test(arguments: [
        (#"{"a": 1,}"#, 1, 9), (#"[1 2]"#, 1, 4), ("{\n  \"a\": tru\n}", 2, 8), (#"{"a": "x"#, 1, 9),
        (#"{"a": "\ud800"}"#, 1, 14), (#"[1] x"#, 1, 5), (#""#, 1, 1), ("\"a\u{01}\"", 1, 3), (#"01"#, 1, 2),
    ] as [(String, Int, Int)])
    func malformedJSONIsRejectedWithItsPlace(_ text: String, _ line: Int, _ column: Int) {
        #expect {
            try JSONParser.parse(Array(text.utf8))
        } throws: { error in
            guard let error = error as? JSONParser.SyntaxError else { return false }
            return error.line == line && error.column == column
        }
    }
}

/// Foundation's reading of JSON into a ``JSONValue``: the reference the parser is compared with.
extension JSONValue: Decodable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            let members = try container.decode([String: JSONValue].self)
            self = .object(JSONObject(members.map { JSONObject.Member(key: $0.key, value: $0.value) }))
        }
    }
}
