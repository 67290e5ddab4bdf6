/// Renders a ``ReachabilityDiff`` for people and for pull-request comments.
public enum DiffTextRenderer {
    /// Plain text.
    public static func render(_ diff: ReachabilityDiff) -> String {
        var lines = ["Reachability diff: \(diff.base) -> \(diff.candidate)\(diff.scope.map { " (scope \($0))" } ?? "")"]
        let gained = diff.flows.filter { $0.change == "gained" }.count
        let lost = diff.flows.filter { $0.change == "lost" }.count
        lines.append(
            "\(gained) flow group(s) gained, \(lost) lost, \(diff.flows.count - gained - lost) become unknown; \(diff.layers.count + diff.routing.count) defense-in-depth change(s); \(diff.dns.count) DNS answer(s) changed; \(diff.members.count) interface(s) added or removed"
        )
        for flow in diff.flows {
            lines.append("")
            lines.append(
                "\(flow.change.uppercased()): \(flow.sourceRole) -> \(flow.destinationRole): \(flow.trafficText) (\(flow.pairs.count) pair(s))"
            )
            lines += flow.pairs.map { "    \($0)" }
            lines += flow.causes.map { "  cause: \($0)" }
        }
        for layer in diff.layers {
            lines.append("")
            lines.append(
                "LAYERS CHANGED: \(layer.sourceRole) -> \(layer.destinationRole), reachability unchanged (\(layer.pairs.count) pair(s))"
            )
            lines += layer.pairs.map { "    \($0)" }
            lines.append(
                "  blocked before by: \(layer.before.isEmpty ? "nothing" : layer.before.joined(separator: ", "))")
            lines.append(
                "  blocked now by:    \(layer.after.isEmpty ? "nothing" : layer.after.joined(separator: ", "))")
            lines += layer.added.map { "  + now also blocked by \($0)" }
            lines += layer.removed.map { "  - no longer blocked by \($0)" }
            if layer.after.count < layer.before.count {
                lines.append("  fewer layers now stand between them")
            }
        }
        for change in diff.routing {
            lines.append("")
            lines.append("ROUTES CHANGED for \(change.role)")
            lines += change.added.map { "  + \($0)" }
            lines += change.removed.map { "  - \($0)" }
        }
        for change in diff.dns {
            lines.append("")
            lines += Self.lines(change)
        }
        if !diff.members.isEmpty {
            lines.append("")
            lines.append("Interfaces in only one snapshot:")
            lines += diff.members.map { "  \($0.change) \($0.member.label) [\($0.member.role)]" }
        }
        if !diff.components.isEmpty {
            lines.append("")
            lines.append("Configuration changes:")
            for change in diff.components {
                lines.append("  \(change.kind) \(change.component)\(change.name.map { " (\($0))" } ?? "")")
                lines += change.added.map { "    + \($0)" }
                lines += change.removed.map { "    - \($0)" }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A DNS change in words: the name, from where, before and after, and where its clients now go.
    static func lines(_ change: ReachabilityDiff.DNSChange) -> [String] {
        ["DNS CHANGED: \(change.name) from \(change.vpc)", "  before: \(change.before)", "  now:    \(change.after)"]
            + change.destinationsAdded.map { "  clients in \(change.vpc) using the name now go to \($0)" }
            + change.destinationsRemoved.map { "  clients in \(change.vpc) using the name no longer go to \($0)" }
    }
}
