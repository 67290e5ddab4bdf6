/// The answer to a reachability question.
public enum Verdict: String, Sendable, Codable, Comparable {
    /// Every queried packet reaches the destination and every reply comes back.
    case reachable
    /// Some queried packet (or its reply) is definitely dropped.
    case unreachable
    /// Nothing is definitely dropped, but the snapshot cannot decide all of it.
    case unknown

    /// Severity order when combining pairs: unreachable, then unknown, then reachable.
    var rank: Int {
        switch self {
        case .reachable: 0
        case .unknown: 1
        case .unreachable: 2
        }
    }

    public static func < (lhs: Verdict, rhs: Verdict) -> Bool { lhs.rank < rhs.rank }
}

/// Which way a packet travels: the request, or the reply to it.
public enum Direction: String, Sendable, Codable {
    case forward
    case `return`
}

/// One component a packet crosses, with what it did.
/// The stage a hop reports: its raw value is what every output prints.
public enum HopKind: String, Sendable, Codable, Hashable, CustomStringConvertible {
    case routeTable = "route-table"
    case networkACLInbound = "network-acl-inbound"
    case networkACLOutbound = "network-acl-outbound"
    case securityGroupIngress = "security-group-ingress"
    case securityGroupEgress = "security-group-egress"
    case internetGateway = "internet-gateway"
    case transitGatewayRouteTable = "transit-gateway-route-table"
    case destination
    case awsService = "aws-service"

    public var description: String { rawValue }
}

public struct Hop: Sendable, Codable, Hashable {
    /// What happened to the queried traffic at this hop.
    public enum Status: String, Sendable, Codable {
        case passed, blocked, unknown
    }

    /// Request or reply.
    public var direction: Direction
    /// The stage: `security-group-egress`, `network-acl-outbound`, `route-table`, …
    public var kind: HopKind
    /// The component's id.
    public var component: String
    /// Its `Name` tag (or group name), if any.
    public var name: String?
    /// What happened.
    public var status: Status
    /// Evidence: the rules or routes that decided, one per line.
    public var details: [String]
}

/// A component that drops some of the queried traffic, with the reason and the fix.
public struct Blocker: Sendable, Codable, Hashable {
    /// Request or reply.
    public var direction: Direction
    /// An explanation code, after AWS Reachability Analyzer's where one fits.
    public var code: ExplanationCode
    /// The component whose configuration drops the traffic.
    public var component: String
    /// Its `Name` tag, if any.
    public var name: String?
    /// What is dropped and why, in one sentence.
    public var explanation: String
    /// The change that would let the traffic through.
    public var fix: String
    /// The traffic dropped here, e.g. `tcp 5432` or `replies to tcp 32768-60999`.
    public var traffic: String
    /// Where the deciding configuration is in the snapshot.
    public var sources: [SourceLocation]
    /// The fix as a change vpcreach can try (a route to add), when it is one.
    public var remediation: Remediation? = nil
}

/// A fix vpcreach can apply to a copy of the snapshot, to see what else it would open.
public enum Remediation: Sendable, Codable, Hashable {
    /// Add a route for `destination` (a CIDR block) to route table `table`, toward `target` (a peering connection).
    case addRoute(table: String, destination: String, target: String)
}

/// One end of an answered pair.
public struct EndpointSummary: Sendable, Codable, Hashable {
    /// `interface`, `hypothetical` or `external`.
    public var kind: String
    /// The ENI id, the selector text, or the address range.
    public var id: String
    /// A readable label with `Name` tags.
    public var label: String
    /// The addresses, as CIDR blocks or ranges.
    public var addresses: [String]
    /// The VPC, for internal ends.
    public var vpc: String?
    /// The subnet, for internal ends.
    public var subnet: String?
    /// The security groups.
    public var securityGroups: [String]
    /// Which of the interface's addresses the query named (`private` or `public`), when it named
    /// one; absent when the query named the interface itself.
    public var addressedAt: Addressing?
}

/// The answer for one source and one destination.
public struct PairAnswer: Sendable, Codable, Hashable {
    /// The source.
    public var source: EndpointSummary
    /// The destination.
    public var destination: EndpointSummary
    /// The verdict for this pair.
    public var verdict: Verdict
    /// One plain sentence that says why.
    public var summary: String
    /// How a DNS destination resolved from the source's VPC, step by step.
    public var dns: [String]
    /// The request's hops, in order.
    public var forward: [Hop]
    /// The reply's hops, in order.
    public var `return`: [Hop]
    /// Every component that drops some of the traffic.
    public var blockers: [Blocker]
    /// What the snapshot cannot decide.
    public var unknowns: [String]
    /// The queried traffic that does get through both ways, when only part of it does.
    public var reachableTraffic: String?
    /// What the verdict takes for granted that the snapshot cannot show (an appliance on the
    /// path forwarding the traffic, §14a); absent when nothing.
    public var assumptions: [String]?
    /// The source's ephemeral ports, which the replies had to reach (`A-B`).
    public var ephemeralPorts: String
    /// The exact packets that get through both ways, as boxes: with `--mode some` whenever some
    /// do, otherwise when only part of the queried traffic does.
    public var reachingTraffic: [TrafficBox]?
}

/// A box of packets: every combination of its protocols, addresses and ports.
public struct TrafficBox: Sendable, Codable, Hashable {
    /// IP protocols: `tcp`, `udp`, `icmp`, or numbers and ranges.
    public var protocols: String
    /// Source addresses (CIDR blocks or ranges).
    public var sources: [String]
    /// Destination addresses.
    public var destinations: [String]
    /// TCP/UDP destination ports (`N`, `N-M`, lists), or ICMP `type/code` values; absent for
    /// other protocols.
    public var ports: String?
}

/// The answer to a ``Query``.
public struct QueryAnswer: Sendable, Codable, Hashable {
    /// The JSON schema version (docs/json-schema.md).
    public var schemaVersion = 1
    /// The question, as asked.
    public var query: QueryDescription
    /// `true` exactly when the verdict is `reachable`.
    public var reachable: Bool
    /// The overall verdict: reachable only when every pair is.
    public var verdict: Verdict
    /// One plain sentence that says why.
    public var summary: String
    /// One answer per source/destination pair.
    public var pairs: [PairAnswer]
    /// Snapshot errors and warnings that may bear on the answer.
    public var diagnostics: [Diagnostic]
}

/// The question as it appears in an answer.
public struct QueryDescription: Sendable, Codable, Hashable {
    /// The source selector.
    public var from: String
    /// The destination selector.
    public var to: String
    /// `tcp`, `udp`, `icmp` or `all`.
    public var `protocol`: String
    /// `N`, `N-M`, or `all`.
    public var ports: String
    /// `A-B` as given, or `per source` (each source's own range, shown per pair).
    public var ephemeralPorts: String
    /// `every` or `some` (``QueryMode``).
    public var mode: String
    /// The snapshot's path.
    public var snapshot: String
}
