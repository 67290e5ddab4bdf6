import Foundation

/// Renders an ``Inventory`` for a terminal.
public enum InventoryTextRenderer {
    /// The inventory as plain text lines.
    public static func render(_ inventory: Inventory) -> String {
        var lines = ["Snapshot \(inventory.snapshot)", "", "Resources:"]
        let width = inventory.counts.keys.map(\.count).max() ?? 0
        for key in inventory.counts.keys.sorted() {
            lines.append(
                "  \(key.padding(toLength: width, withPad: " ", startingAt: 0))  \(inventory.counts[key] ?? 0)")
        }
        lines.append("")
        lines.append("By account and region:")
        for placement in inventory.placements {
            let counts = placement.counts.keys.sorted().map { "\($0) \(placement.counts[$0] ?? 0)" }.joined(
                separator: ", ")
            lines.append(
                "  \(placement.account ?? "(account unknown)") \(placement.region ?? "(no region)"): \(counts)")
        }
        let errors = inventory.diagnostics.filter { $0.severity == .error }.count
        let warnings = inventory.diagnostics.count - errors
        lines.append("")
        lines.append("\(errors) error(s), \(warnings) warning(s)")
        for diagnostic in inventory.diagnostics {
            let place = diagnostic.location.map { "\($0.file): \($0.jsonPath): " } ?? ""
            lines.append("  \(place)\(diagnostic.severity.rawValue): \(diagnostic.message)")
        }
        if !inventory.incomplete.isEmpty {
            lines.append("")
            lines.append("Incomplete (answers touching these are unknown):")
            for item in inventory.incomplete { lines.append("  \(item.reason)") }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
