/// Renders a ``QueryAnswer`` for people: the verdict, one sentence, then each pair's hops and blockers.
public enum QueryTextRenderer {
    /// The answer as plain text.
    public static func render(_ answer: QueryAnswer) -> String {
        var lines: [String] = []
        lines.append("\(answer.verdict.rawValue.uppercased()): \(answer.summary)")
        if answer.query.mode == QueryMode.some.rawValue {
            lines.append(
                "(mode some: reachable when some queried packet gets through both ways; each pair shows the packets that do)"
            )
        }
        for (number, pair) in answer.pairs.enumerated() {
            lines.append("")
            lines.append("Pair \(number + 1) of \(answer.pairs.count): \(pair.verdict.rawValue.uppercased())")
            lines.append("  from \(pair.source.label)")
            lines.append("  to   \(pair.destination.label)")
            lines.append("  client ports \(pair.ephemeralPorts) (the replies must reach them)")
            if answer.pairs.count > 1 { lines.append("  \(pair.summary)") }
            if !pair.dns.isEmpty {
                lines.append("  DNS:")
                lines += pair.dns.map { "    \($0)" }
            }
            for (title, hops) in [("Forward", pair.forward), ("Return", pair.return)] where !hops.isEmpty {
                lines.append("  \(title) path:")
                for (step, hop) in hops.enumerated() {
                    let name = hop.name.map { " (\($0))" } ?? ""
                    lines.append("    \(step + 1). [\(hop.status.rawValue)] \(hop.kind) \(hop.component)\(name)")
                    lines += hop.details.map { "         \($0)" }
                }
            }
            if !pair.blockers.isEmpty {
                lines.append("  Blocked by:")
                for blocker in pair.blockers {
                    let name = blocker.name.map { " (\($0))" } ?? ""
                    lines.append(
                        "    - \(blocker.code) at \(blocker.component)\(name), \(blocker.direction == .forward ? "forward" : "return") path"
                    )
                    lines.append("      \(blocker.explanation)")
                    lines.append("      traffic: \(blocker.traffic)")
                    lines.append("      fix: \(blocker.fix)")
                    for source in blocker.sources { lines.append("      evidence: \(source)") }
                }
            }
            if let partial = pair.reachableTraffic {
                lines.append("  Gets through both ways: \(partial)")
            } else if answer.query.mode == QueryMode.some.rawValue, let boxes = pair.reachingTraffic {
                lines.append(
                    "  Gets through both ways: all of it (\(boxes.count) box\(boxes.count == 1 ? "" : "es") in the JSON answer)"
                )
            }
            if let assumptions = pair.assumptions {
                lines.append("  Assumes:")
                lines += assumptions.map { "    - \($0)" }
            }
            if !pair.unknowns.isEmpty {
                lines.append("  Cannot be decided:")
                lines += pair.unknowns.map { "    - \($0)" }
            }
        }
        if !answer.diagnostics.isEmpty {
            lines.append("")
            lines.append("Snapshot diagnostics that bear on this answer:")
            for diagnostic in answer.diagnostics {
                lines.append("  \(diagnostic.line)")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
