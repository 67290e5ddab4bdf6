import ArgumentParser
import VPCReachKit

/// The traffic a path question is about, shared by `query` and `reachers`.
struct TrafficOptions: ParsableArguments {
    @Option(name: .customLong("protocol"), help: "tcp, udp, icmp (echo) or all.")
    var ipProtocol: QueryProtocol = .tcp

    @Option(help: "Destination port N or range N-M (TCP/UDP); all ports when omitted.")
    var port: String?

    @Option(help: "The client's ephemeral port range that replies must reach.")
    var ephemeralPorts: String = "32768-60999"

    func validate() throws {
        if let port, Query.parsePorts(port) == nil {
            throw ValidationError("'--port \(port)' is not a port N or a range N-M within 0-65535")
        }
        if Query.parsePorts(ephemeralPorts) == nil {
            throw ValidationError("'--ephemeral-ports \(ephemeralPorts)' is not a range A-B within 0-65535")
        }
        if port != nil && ipProtocol == .icmp {
            throw ValidationError("'--port' does not apply to '--protocol icmp' (the query is an echo request)")
        }
    }

    /// The query from `from` to `to` with this traffic.
    func query(from: String, to: String) -> Query {
        Query(
            from: from, to: to, ipProtocol: ipProtocol, ports: port.flatMap(Query.parsePorts),
            ephemeralPorts: Query.parsePorts(ephemeralPorts) ?? Query.defaultEphemeralPorts)
    }
}
