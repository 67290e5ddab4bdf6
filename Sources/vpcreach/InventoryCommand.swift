import ArgumentParser
import VPCReachKit

/// `vpcreach inventory SNAPSHOT`: what was loaded, and every warning.
struct InventoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inventory",
        abstract: "Show what a snapshot holds (counts per resource type and account/region) and every warning."
    )

    @Argument(help: "The snapshot directory (or one JSON file).")
    var snapshot: String

    @Option(help: "Output format: text or json.")
    var format: OutputFormat = .text

    func run() throws {
        let loaded = try loadSnapshot(snapshot)
        let inventory = Inventory(loaded)
        switch format {
        case .text: print(InventoryTextRenderer.render(inventory), terminator: "")
        case .json: print(try JSONRendering.render(inventory), terminator: "")
        }
    }
}

/// Text for people, JSON for programs.
enum OutputFormat: String, CaseIterable, ExpressibleByArgument {
    case text, json
}
