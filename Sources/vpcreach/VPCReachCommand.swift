import ArgumentParser

/// The `vpcreach` command: subcommands over a snapshot of AWS CLI exports.
@main
struct VPCReachCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vpcreach",
        abstract: "Offline network reachability analysis for AWS, from exported AWS CLI JSON.",
        version: "0.1.0",
        subcommands: [
            QueryCommand.self, ReachersCommand.self, CheckCommand.self, DiffCommand.self, MatrixCommand.self,
            ReportCommand.self, GraphCommand.self, InventoryCommand.self,
        ]
    )
}
