import ArgumentParser
import VPCReachKit

/// `vpcreach reachers`: every source that reaches one destination.
struct ReachersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reachers",
        abstract: "Who reaches DESTINATION? Every source that gets through, and what blocks the rest.",
        discussion: """
            Sources that get through, partly get through or cannot be decided are listed one by one; \
            blocked sources are grouped by their blockers. Interfaces that behave alike (same subnet, \
            groups and kind of address) are evaluated once, on every core.
            Exit codes: 0 every source decided, 3 some source undecided, 2 input error, 64 usage error.
            """
    )

    @Argument(help: "The snapshot directory (AWS CLI JSON exports).")
    var snapshot: String

    @Option(name: .long, help: "The sources: any source selector of `query`, every interface by default.")
    var from: String = "all"

    @Option(name: .long, help: "The destination: one interface (eni-…, i-…, an address of an interface).")
    var to: String

    @OptionGroup var traffic: TrafficOptions

    @Option(help: "Output format: text or json.")
    var format: OutputFormat = .text

    @Flag(help: "Print the time spent loading, indexing and answering, to standard error.")
    var timings = false

    func run() throws {
        let query = traffic.query(from: from, to: to)
        let reachers = try timedAnswer(
            snapshot, timings: timings, index: ReachersAnalyzer.init(snapshot:), answer: { try $0.analyze(query) },
            size: { "\($0.sourceCount) source(s)" })
        switch format {
        case .text: print(ReachersTextRenderer.render(reachers), terminator: "")
        case .json: print(try JSONRendering.render(reachers), terminator: "")
        }
        if !reachers.undecided.isEmpty { throw ExitStatus.unknown }
    }
}
