import Foundation

/// Renders a ``ReachabilityMatrix`` as CSV: one row per pair and protocol run, pairs sorted.
///
/// Every pair is written out, so the CSV grows with the square of the scope; the JSON matrix keeps
/// pairs that answer alike in one cell.
public enum MatrixCSVRenderer {
    /// CSV with a header row; fields quoted where needed.
    public static func render(_ matrix: ReachabilityMatrix) -> String {
        let members = Dictionary(matrix.members.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var pairs: [(source: String, destination: String, cell: ReachabilityMatrix.Cell)] = []
        matrix.forEachPair { pairs.append(($0, $1, $2)) }
        pairs.sort { ($0.source, $0.destination) < ($1.source, $1.destination) }
        var rows = [
            ["source", "source_role", "destination", "destination_role", "status", "protocols", "values", "blockers"]
        ]
        for (source, destination, cell) in pairs {
            let prefix = [source, members[source]?.role ?? "", destination, members[destination]?.role ?? ""]
            let blockers = cell.blockers(source: source, destination: destination).joined(separator: "; ")
            var wrote = false
            for (status, map) in [("reachable", cell.reachable), ("unknown", cell.unknown)] {
                for entry in map.entries {
                    rows.append(prefix + [status, entry.protocols, entry.values, blockers])
                    wrote = true
                }
            }
            if !wrote { rows.append(prefix + ["unreachable", "", "", blockers]) }
        }
        return rows.map { $0.map(CSV.quote).joined(separator: ",") }.joined(separator: "\n") + "\n"
    }

}
