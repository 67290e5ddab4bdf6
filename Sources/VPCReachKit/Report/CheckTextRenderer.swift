import Foundation

/// Renders a ``CheckReport`` as text, or as Markdown for a pull-request comment.
public enum CheckTextRenderer {
    /// Plain text: one line per assertion, details indented under failures.
    public static func render(_ report: CheckReport) -> String {
        var lines = [
            "Policy \(report.policy) on \(report.snapshot)\(report.baseline.map { " (baseline \($0))" } ?? "")"
        ]
        for result in report.results {
            lines.append(
                "\(result.status.rawValue.uppercased()) \(result.id) [\(result.kind), line \(result.line)]: \(result.summary)"
            )
            guard result.status != .pass else { continue }
            lines += result.details.map { "    \($0)" }
            for blocker in result.blockers {
                lines.append(
                    "    blocked by \(blocker.code) at \(blocker.component)\(blocker.name.map { " (\($0))" } ?? ""): \(blocker.explanation); fix: \(blocker.fix)"
                )
            }
        }
        lines.append("\(report.passed) passed, \(report.failed) failed, \(report.errors) undecided")
        return lines.joined(separator: "\n") + "\n"
    }

    /// Markdown with a summary table and a section per assertion that does not hold.
    public static func markdown(_ report: CheckReport) -> String {
        func cell(_ text: String) -> String {
            text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
        }
        let icon: [AssertionResult.Status: String] = [.pass: "✅ pass", .fail: "❌ fail", .error: "⚠️ undecided"]
        var lines = [
            "### vpcreach policy check: \(report.holds ? "all assertions hold" : "\(report.failed) failed, \(report.errors) undecided")",
            "",
            "Policy `\(report.policy)` on snapshot `\(report.snapshot)`\(report.baseline.map { " against baseline `\($0)`" } ?? "").",
            "",
            "| | assertion | kind | result |", "|---|---|---|---|",
        ]
        for result in report.results {
            lines.append("| \(icon[result.status] ?? "") | `\(result.id)` | \(result.kind) | \(cell(result.summary)) |")
        }
        for result in report.results where result.status != .pass {
            lines.append("")
            lines.append("#### `\(result.id)` (line \(result.line))")
            lines.append("")
            lines.append(result.summary)
            if !result.details.isEmpty || !result.blockers.isEmpty {
                lines.append("")
                lines.append("```")
                lines += result.details
                lines += result.blockers.map { "\($0.code) at \($0.component): \($0.explanation); fix: \($0.fix)" }
                lines.append("```")
            }
        }
        lines.append("")
        lines.append("\(report.passed) passed, \(report.failed) failed, \(report.errors) undecided")
        return lines.joined(separator: "\n") + "\n"
    }
}
