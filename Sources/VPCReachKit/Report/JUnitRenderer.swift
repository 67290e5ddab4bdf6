/// Renders a ``CheckReport`` as JUnit XML: one test case per assertion; a failed assertion is a
/// `<failure>`, an undecided one an `<error>`.
///
/// Written directly rather than through FoundationXML: freeing a libxml2 tree from Swift on Linux
/// can spin forever (seen in `xmlFreeProp` under `XMLNode.deinit`), and the document is small and
/// flat.
public enum JUnitRenderer {
    /// The XML document as text.
    public static func render(_ report: CheckReport) -> String {
        var lines = [#"<?xml version="1.0" encoding="utf-8" standalone="no"?>"#]
        let counts = [
            ("tests", "\(report.results.count)"), ("failures", "\(report.failed)"), ("errors", "\(report.errors)"),
        ]
        lines.append("<testsuites\(attributes(counts + [("name", "vpcreach")]))>")
        lines.append(
            "  <testsuite\(attributes(counts + [("name", "vpcreach check \(report.policy)"), ("skipped", "0")]))>")
        for result in report.results {
            let testCase = attributes([
                ("name", result.id), ("classname", "vpcreach.\(result.kind)"), ("file", report.policy),
                ("line", "\(result.line)"),
            ])
            guard result.status != .pass else {
                lines.append("    <testcase\(testCase)></testcase>")
                continue
            }
            let element = result.status == .fail ? "failure" : "error"
            let body =
                result.details
                + result.blockers.map { "\($0.code) at \($0.component): \($0.explanation); fix: \($0.fix)" }
            lines.append("    <testcase\(testCase)>")
            lines.append(
                "      <\(element)\(attributes([("message", result.summary), ("type", result.kind)]))>\(escape(body.joined(separator: "\n"), inAttribute: false))</\(element)>"
            )
            lines.append("    </testcase>")
        }
        lines.append("  </testsuite>")
        lines.append("</testsuites>")
        // The document ends with a newline, as libxml2 writes it, and the output with one more.
        return lines.joined(separator: "\n") + "\n\n"
    }

    static func attributes(_ pairs: [(String, String)]) -> String {
        pairs.map { " \($0.0)=\"\(escape($0.1, inAttribute: true))\"" }.joined()
    }

    /// XML escaping as libxml2 writes it: markup characters always, and in attribute values
    /// quotes and the whitespace that attribute normalisation would otherwise lose.
    static func escape(_ text: String, inAttribute: Bool) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for character in text.unicodeScalars {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\r": result += "&#13;"
            case "\"" where inAttribute: result += "&quot;"
            case "\n" where inAttribute: result += "&#10;"
            case "\t" where inAttribute: result += "&#9;"
            default: result.unicodeScalars.append(character)
            }
        }
        return result
    }
}
