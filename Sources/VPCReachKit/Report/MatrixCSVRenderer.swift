import Foundation

/// Renders a ``ReachabilityMatrix`` as CSV: one row per pair and protocol run.
public enum MatrixCSVRenderer {
    /// CSV with a header row; fields quoted where needed.
    public static func render(_ matrix: ReachabilityMatrix) -> String {
        let members = Dictionary(matrix.members.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var rows = [["source", "source_role", "destination", "destination_role", "status", "protocols", "values", "blockers"]]
        for cell in matrix.cells {
            let prefix = [cell.source, members[cell.source]?.role ?? "", cell.destination, members[cell.destination]?.role ?? ""]
            let blockers = cell.blockers.joined(separator: "; ")
            var wrote = false
            for (status, map) in [("reachable", cell.reachable), ("unknown", cell.unknown)] {
                for entry in map.entries {
                    rows.append(prefix + [status, entry.protocols, entry.values, blockers])
                    wrote = true
                }
            }
            if !wrote { rows.append(prefix + ["unreachable", "", "", blockers]) }
        }
        return rows.map { $0.map(quote).joined(separator: ",") }.joined(separator: "\n") + "\n"
    }

    static func quote(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
