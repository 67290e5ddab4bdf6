import PacketSets

/// A policy file: named selector groups and assertions that CI checks on every snapshot.
public struct Policy: Sendable {
    /// The policy file's path, for messages and SARIF locations.
    public var file: String
    /// Named groups of selectors, usable wherever a selector is.
    public var groups: [String: [String]]
    /// The assertions, in file order.
    public var assertions: [Assertion]
    /// `ephemeral_ports`: the client range every assertion's replies must reach; `nil`: each
    /// source's own (semantics §26).
    public var ephemeralPorts: ClosedRange<Int>? = nil

    /// The single TCP ports the assertions name, sorted: the report treats them as sensitive.
    public var namedPorts: [Int] {
        let traffic: [AssertionTraffic?] = assertions.map { assertion in
            switch assertion.kind {
            case .reach(_, let spec): spec.traffic
            case .only(_, _, _, let traffic): traffic
            case .parity(_, _, _, let traffic): traffic
            case .unchanged, .peering, .transit, .dns: nil
            }
        }
        let tcp = traffic.compactMap { $0 }.filter { $0.ipProtocol == .tcp || $0.ipProtocol == .all }
        return Array(Set(tcp.compactMap(\.ports).filter { $0.count == 1 }.map(\.lowerBound))).sorted()
    }
}

/// One assertion of a policy.
public struct Assertion: Sendable {
    /// Unique id.
    public var id: String
    /// Optional free text.
    public var description: String?
    /// The line of the assertion in the policy file.
    public var line: Int
    /// What it asserts.
    public var kind: AssertionKind

    /// The kind's name as written in the file.
    public var kindName: String {
        switch kind {
        case .reach(let allow, _): allow ? "allow" : "deny"
        case .only: "only"
        case .unchanged: "unchanged"
        case .parity: "parity"
        case .peering: "peering"
        case .transit: "transit"
        case .dns: "dns"
        }
    }
}

/// Traffic named by an assertion.
public struct AssertionTraffic: Sendable, Equatable {
    /// The protocol.
    public var ipProtocol: QueryProtocol
    /// Destination ports, or every port.
    public var ports: ClosedRange<Int>?
}

/// What an assertion asserts.
public enum AssertionKind: Sendable {
    /// `allow`/`deny`: every pair (`all`) or some pair (`any`) reaches / does not reach.
    case reach(allow: Bool, ReachSpec)
    /// Only the listed sources may reach the destination on the traffic.
    case only(to: [String], sources: [String], candidates: [String]?, traffic: AssertionTraffic)
    /// The scope's reachability equals the baseline's (and its blocking layers, with `layers`).
    case unchanged(scope: [String], layers: Bool)
    /// Two sources reach the same destinations with the same traffic.
    case parity(first: [String], second: [String], destinations: [String]?, traffic: AssertionTraffic?)
    /// A peering connection joins exactly these VPCs, and its routes stay inside these blocks.
    case peering(connection: String, vpcs: [String], routes: [CIDRBlock])
    /// A transit gateway route table sends only to attachments of these resources (VPCs, VPN
    /// connections, …), and, when blocks are given, only destinations inside them.
    case transit(routeTable: String, reaches: [String], routes: [CIDRBlock]?)
    /// A name resolves (or not) from a VPC, optionally to exactly these addresses.
    case dns(name: String, fromVPC: String, resolves: Bool, addresses: [IPv4Address]?)
}

/// `allow`/`deny` details.
public struct ReachSpec: Sendable {
    /// Source selectors or group names.
    public var from: [String]
    /// Destination selectors or group names.
    public var to: [String]
    /// The traffic.
    public var traffic: AssertionTraffic
    /// `true` for `all` (every pair), `false` for `any`.
    public var everyPair: Bool
}

/// A policy that cannot be used, with the line that is wrong.
public struct PolicyError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The policy file.
    public var file: String
    /// The line, when known.
    public var line: Int?
    /// What is wrong.
    public var message: String

    public var description: String { "\(file):\(line.map(String.init) ?? "?"): \(message)" }
}
