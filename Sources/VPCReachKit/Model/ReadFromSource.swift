/// A component without where it was read, to compare components by content wherever they were
/// read: the diff compares two snapshots' components, the loader two copies of one resource.
protocol ReadFromSource {
    var source: SourceLocation { get set }
    /// The component with an empty location, and so for the parts it holds.
    var sourceless: Self { get }
}

extension ReadFromSource {
    var sourceless: Self {
        var copy = self
        copy.source = SourceLocation(file: "")
        return copy
    }
}

extension VPC: ReadFromSource {}
extension Subnet: ReadFromSource {}
extension NetworkInterface: ReadFromSource {}
extension NATGateway: ReadFromSource {}
extension InternetGateway: ReadFromSource {}
extension PeeringConnection: ReadFromSource {}
extension PrefixList: ReadFromSource {}
extension Route: ReadFromSource {}
extension SecurityGroupRule: ReadFromSource {}
extension NetworkACLEntry: ReadFromSource {}
extension LoadBalancer: ReadFromSource {}
extension Listener: ReadFromSource {}
extension TransitGateway: ReadFromSource {}
extension VPNGateway: ReadFromSource {}
extension VPNConnection: ReadFromSource {}
extension TransitGatewayAttachment: ReadFromSource {}
extension TransitGatewayRoute: ReadFromSource {}

extension TransitGatewayRouteTable: ReadFromSource {
    var sourceless: Self {
        var copy = self
        copy.source = SourceLocation(file: "")
        copy.routes = routes?.map(\.sourceless)
        return copy
    }
}

extension RouteTable: ReadFromSource {
    var sourceless: RouteTable {
        var copy = self
        copy.source = SourceLocation(file: "")
        copy.routes = routes.map(\.sourceless)
        return copy
    }
}

extension SecurityGroup: ReadFromSource {
    var sourceless: SecurityGroup {
        var copy = self
        copy.source = SourceLocation(file: "")
        copy.ingress = ingress.map(\.sourceless)
        copy.egress = egress.map(\.sourceless)
        return copy
    }
}

extension NetworkACL: ReadFromSource {
    var sourceless: NetworkACL {
        var copy = self
        copy.source = SourceLocation(file: "")
        copy.entries = entries.map(\.sourceless)
        return copy
    }
}
