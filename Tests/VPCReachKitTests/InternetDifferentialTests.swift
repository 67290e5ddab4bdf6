import PacketSets
import Testing

@testable import VPCReachKit

/// The engine and `InternetSimulator` agree on random estates with internet gateways, a NAT
/// gateway and public addresses: internet sources in, interfaces out (through an internet or NAT
/// gateway), and public addresses reached from inside, for TCP, UDP and ICMP echo.
@Suite struct InternetDifferentialTests {
    static let internet = IPv4Address("203.0.113.10")!
    static let clientPorts = Array(DifferentialTests.ephemeral)
    static let traffic: [(QueryProtocol, InternetSimulator.Traffic)] = [
        (.tcp, .init(ipProtocol: 6, port: 443)), (.tcp, .init(ipProtocol: 6, port: 5432)),
        (.udp, .init(ipProtocol: 17, port: 443)),
        (.icmp, .init(ipProtocol: 1, port: 0)),
    ]

    static func verdict(_ outcome: InternetSimulator.Outcome) -> Verdict {
        switch outcome {
        case .pass: .reachable
        case .drop: .unreachable
        case .unknown: .unknown
        }
    }

    @Test(arguments: 0..<6)
    func engineAgreesWithTheInternetSimulator(batch: Int) throws {
        var seen: [Verdict: Int] = [:]
        for seed in UInt64(batch * 20)..<UInt64(batch * 20 + 20) {
            let snapshot = RandomEstate.withInternet(seed: seed)
            let engine = QueryEngine(snapshot: snapshot)
            let simulator = InternetSimulator(snapshot: snapshot)
            let interfaces = snapshot.networkInterfaces.values.sorted { $0.id < $1.id }
            for (queryProtocol, traffic) in Self.traffic {
                let ports = queryProtocol == .icmp ? nil : traffic.port...traffic.port
                func check(_ from: String, _ to: String, expected: InternetSimulator.Outcome) throws {
                    let answer = try engine.answer(
                        Query(
                            from: from, to: to, ipProtocol: queryProtocol, ports: ports,
                            ephemeralPorts: DifferentialTests.ephemeral))
                    #expect(
                        answer.verdict == Self.verdict(expected),
                        "seed \(seed): \(from) -> \(to) \(queryProtocol) \(traffic.port): engine \(answer.verdict), simulator \(expected)\n\(answer.summary)"
                    )
                    seen[answer.verdict, default: 0] += 1
                }
                for interface in interfaces {
                    try check(
                        Self.internet.description, interface.id,
                        expected: simulator.inbound(
                            from: Self.internet.value, to: interface, traffic, clientPorts: Self.clientPorts))
                    try check(
                        interface.id, Self.internet.description,
                        expected: simulator.outbound(
                            from: interface, to: Self.internet.value, traffic, clientPorts: Self.clientPorts
                        ).0)
                    for destination in interfaces where destination.id != interface.id {
                        guard let address = destination.publicAddresses.first else { continue }
                        try check(
                            interface.id, address.description,
                            expected: simulator.throughInternet(
                                from: interface, to: destination, traffic, clientPorts: Self.clientPorts))
                    }
                }
            }
        }
        // Every answer must occur, or the comparison proves little.
        #expect((seen[.reachable] ?? 0) > 20, "\(seen)")
        #expect((seen[.unreachable] ?? 0) > 20, "\(seen)")
        // Mutation-checked: carrying NAT replies on 32768-65535 only, dropping the public-address
        // check at the internet gateway either way, each fail this test (30, 2001 and 109 checks).
    }
}
