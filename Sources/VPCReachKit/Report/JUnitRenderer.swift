import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Renders a ``CheckReport`` as JUnit XML: one test case per assertion; a failed assertion is a
/// `<failure>`, an undecided one an `<error>`.
public enum JUnitRenderer {
    /// The XML document as text.
    public static func render(_ report: CheckReport) -> String {
        let suites = XMLElement(name: "testsuites")
        let suite = XMLElement(name: "testsuite")
        for element in [suites, suite] {
            element.addAttribute(attribute("tests", "\(report.results.count)"))
            element.addAttribute(attribute("failures", "\(report.failed)"))
            element.addAttribute(attribute("errors", "\(report.errors)"))
        }
        suites.addAttribute(attribute("name", "vpcreach"))
        suite.addAttribute(attribute("name", "vpcreach check \(report.policy)"))
        suite.addAttribute(attribute("skipped", "0"))
        for result in report.results {
            let testCase = XMLElement(name: "testcase")
            testCase.addAttribute(attribute("name", result.id))
            testCase.addAttribute(attribute("classname", "vpcreach.\(result.kind)"))
            testCase.addAttribute(attribute("file", report.policy))
            testCase.addAttribute(attribute("line", "\(result.line)"))
            if result.status != .pass {
                let problem = XMLElement(name: result.status == .fail ? "failure" : "error")
                problem.addAttribute(attribute("message", result.summary))
                problem.addAttribute(attribute("type", result.kind))
                let body = result.details + result.blockers.map { "\($0.code) at \($0.component): \($0.explanation); fix: \($0.fix)" }
                problem.stringValue = body.joined(separator: "\n")
                testCase.addChild(problem)
            }
            suite.addChild(testCase)
        }
        suites.addChild(suite)
        let document = XMLDocument(rootElement: suites)
        document.version = "1.0"
        document.characterEncoding = "UTF-8"
        return document.xmlString(options: [.nodePrettyPrint]) + "\n"
    }

    static func attribute(_ name: String, _ value: String) -> XMLNode {
        let node = XMLNode(kind: .attribute)
        node.name = name
        node.stringValue = value
        return node
    }
}
