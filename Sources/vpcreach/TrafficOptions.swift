import ArgumentParser
import VPCReachKit

/// `--ephemeral-ports A-B`, shared by every command that evaluates paths.
enum EphemeralPortsOption {
    static let help: ArgumentHelp =
        "The client's ephemeral port range that replies must reach (default: each source's own: 32768-60999 Linux and ECS tasks, 49152-65535 Windows, 1024-65535 load balancers, NAT gateways and Lambda)."

    static func validate(_ text: String?) throws {
        if let text, Query.parsePorts(text) == nil {
            throw ValidationError("'--ephemeral-ports \(text)' is not a range A-B within 0-65535")
        }
    }
}

/// The traffic a path question is about, shared by `query` and `reachers`.
struct TrafficOptions: ParsableArguments {
    @Option(name: .customLong("protocol"), help: "tcp, udp, icmp (echo) or all.")
    var ipProtocol: QueryProtocol = .tcp

    @Option(help: "Destination port N or range N-M (TCP/UDP); all ports when omitted.")
    var port: String?

    @Option(help: EphemeralPortsOption.help)
    var ephemeralPorts: String?

    func validate() throws {
        if let port, Query.parsePorts(port) == nil {
            throw ValidationError("'--port \(port)' is not a port N or a range N-M within 0-65535")
        }
        try EphemeralPortsOption.validate(ephemeralPorts)
        if port != nil && ipProtocol == .icmp {
            throw ValidationError("'--port' does not apply to '--protocol icmp' (the query is an echo request)")
        }
    }

    /// The query from `from` to `to` with this traffic.
    func query(from: String, to: String) -> Query {
        Query(
            from: from, to: to, ipProtocol: ipProtocol, ports: port.flatMap(Query.parsePorts),
            ephemeralPorts: ephemeralPorts.flatMap(Query.parsePorts))
    }
}
