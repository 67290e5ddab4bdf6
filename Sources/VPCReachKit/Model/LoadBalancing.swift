/// An Elastic Load Balancing load balancer: an Application, Network or Gateway Load Balancer
/// (elbv2) or a Classic Load Balancer (elb).
public struct LoadBalancer: Hashable, Sendable {
    /// Its generation and type.
    public enum Kind: String, Hashable, Sendable, Codable {
        case application, network, gateway, classic
    }

    /// `app/NAME/ID`, `net/NAME/ID`, `gwy/NAME/ID` (the end of an elbv2 ARN, as its interfaces'
    /// descriptions spell it after `ELB `), or the Classic Load Balancer's name.
    public var id: String
    /// `LoadBalancerArn` (elbv2 only).
    public var arn: String?
    /// `LoadBalancerName`.
    public var name: String
    /// Its type.
    public var kind: Kind
    /// `VpcId` (`VPCId` for classic).
    public var vpcID: String?
    /// `internet-facing` or `internal`.
    public var scheme: String?
    /// Where it was read.
    public var source: SourceLocation

    /// The id of the load balancer an elbv2 ARN names (`…:loadbalancer/app/NAME/ID` or
    /// `…:listener/app/NAME/ID/LISTENER`), or `nil`.
    public static func id(fromARN arn: String) -> String? {
        let fields = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard fields.count == 6, fields[0] == "arn", fields[2] == "elasticloadbalancing" else { return nil }
        let parts = fields[5].split(separator: "/")
        guard parts.count >= 4, parts[0] == "loadbalancer" || parts[0] == "listener" else { return nil }
        return parts[1...3].joined(separator: "/")
    }

    /// The id of the load balancer an interface's `Description` names (`ELB app/NAME/ID`,
    /// `ELB net/NAME/ID`, `ELB NAME` for a Classic Load Balancer), or `nil`.
    public static func id(fromInterfaceDescription description: String) -> String? {
        guard description.hasPrefix("ELB ") else { return nil }
        let rest = description.dropFirst("ELB ".count)
        return rest.isEmpty ? nil : String(rest)
    }
}

/// A listener: the protocol and port on which a load balancer's nodes accept connections.
public struct Listener: Hashable, Sendable {
    /// `HTTP`, `HTTPS`, `TCP`, `TLS`, `UDP`, `TCP_UDP`, `QUIC`, `TCP_QUIC` (elbv2) or `HTTP`, `HTTPS`, `TCP`,
    /// `SSL` (classic), as printed.
    public var protocolName: String
    /// `Port` (`LoadBalancerPort` for classic).
    public var port: Int
    /// Where it was read.
    public var source: SourceLocation

    /// The IP protocol numbers a listener protocol accepts (6 TCP, 17 UDP); empty for one this
    /// engine does not know.
    public var ipProtocols: [UInt32] {
        switch protocolName.uppercased() {
        case "HTTP", "HTTPS", "TCP", "TLS", "SSL": [6]
        case "UDP", "QUIC": [17]
        case "TCP_UDP", "TCP_QUIC": [6, 17]
        default: []
        }
    }
}
