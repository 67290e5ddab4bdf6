/// Renders ``Reachers`` for people: who gets through, who may, and what blocks everyone else.
public enum ReachersTextRenderer {
    /// The answer as plain text.
    public static func render(_ reachers: Reachers) -> String {
        let query = reachers.query
        let traffic =
            query.protocol == "icmp"
            ? "icmp echo" : "\(query.protocol) \(query.ports == "all" ? "all ports" : query.ports)"
        let blockedCount = reachers.blocked.reduce(0) { $0 + $1.count }
        var lines = [
            "Who reaches \(reachers.destination.label) on \(traffic): \(reachers.reaching.count) of \(reachers.sourceCount) sources (\(query.from)) get through, \(reachers.partial.count) partly, \(reachers.undecided.count) undecided, \(blockedCount) blocked."
        ]
        func section(_ title: String, _ sources: [Reachers.Source], _ note: (Reachers.Source) -> String?) {
            guard !sources.isEmpty else { return }
            lines.append("")
            lines.append("\(title) (\(sources.count)):")
            for source in sources {
                let place = [source.vpc, source.subnet].compactMap { $0 }.joined(separator: " / ")
                lines.append("  \(source.label)  \(source.role)  \(place)")
                if let text = note(source) { lines.append("    \(text)") }
            }
        }
        section("Reaching", reachers.reaching) { _ in nil }
        section("Partly reaching", reachers.partial) { $0.traffic.map { "only \($0) gets through both ways" } }
        section("Undecided", reachers.undecided) { $0.reason }
        if !reachers.blocked.isEmpty {
            lines.append("")
            lines.append("Blocked (\(blockedCount), \(reachers.blocked.count) group(s)):")
            var causes: [String: Int] = [:]
            for group in reachers.blocked {
                for code in Set(
                    group.blockers.map(\.code.rawValue))
                {
                    causes[code, default: 0] += group.count
                }
            }
            let ranked = causes.sorted { ($1.value, $0.key) < ($0.value, $1.key) }
            lines.append("  by cause: " + ranked.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
            for group in reachers.blocked {
                let more = group.count > group.examples.count ? ", …" : ""
                lines.append("  \(group.count) source(s): \(group.examples.joined(separator: ", "))\(more)")
                lines += group.blockers.map { "    \($0)" }
                if group.decidedByRoute {
                    lines.append("    (no route leads to the destination; other layers not evaluated)")
                }
            }
        }
        if !reachers.diagnostics.isEmpty {
            lines.append("")
            lines.append("Snapshot errors that bear on this answer:")
            for diagnostic in reachers.diagnostics {
                lines.append("  \(diagnostic.line)")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
