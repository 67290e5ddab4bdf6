import ArgumentParser
import VPCReachKit

/// `vpcreach query`: can a source reach a destination, and if not, what blocks it?
struct QueryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "Can SOURCE reach DESTINATION? Explains the forward and return path and names every blocker.",
        discussion: """
            Selectors: eni-…, i-…, an IPv4 address, a CIDR block, subnet-…, sg-…, vpc-…, tag:Key=Value, \
            ecs:CLUSTER/SERVICE, new:subnet-…,sg-…[,sg-…] (a hypothetical interface), internet (every public address), \
            all, and as a destination a DNS name.
            Exit codes: 0 reachable, 1 unreachable, 3 unknown, 2 input error, 64 usage error.
            """
    )

    @Argument(help: "The snapshot directory (AWS CLI JSON exports).")
    var snapshot: String

    @Option(name: .long, help: "The source selector.")
    var from: String

    @Option(name: .long, help: "The destination selector.")
    var to: String

    @OptionGroup var traffic: TrafficOptions

    @Option(
        help:
            "every: reachable when every queried packet gets through both ways (the default); some: when some packet does, with the exact set that does."
    )
    var mode: QueryMode = .every

    @Option(help: "Output format: text or json.")
    var format: OutputFormat = .text

    @Flag(help: "Print the time spent loading the snapshot, indexing it and answering, to standard error.")
    var timings = false

    func run() throws {
        var query = traffic.query(from: from, to: to)
        query.mode = mode
        let answer = try timedAnswer(
            snapshot, timings: timings, index: QueryEngine.init(snapshot:), answer: { try $0.answer(query) },
            size: { "\($0.pairs.count) pair(s)" })
        switch format {
        case .text: print(QueryTextRenderer.render(answer), terminator: "")
        case .json: print(try JSONRendering.render(answer), terminator: "")
        }
        switch answer.verdict {
        case .reachable: return
        case .unreachable: throw ExitStatus.no
        case .unknown: throw ExitStatus.unknown
        }
    }
}

extension QueryProtocol: ExpressibleByArgument {}
extension QueryMode: ExpressibleByArgument {}
