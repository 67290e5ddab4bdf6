import Foundation
import PacketSets
import Yams

/// Reads a YAML (or JSON) policy strictly: unknown keys, duplicate ids and wrong types are errors
/// naming the line.
///
///     version: 1
///     groups:
///       ecs-app: [ecs:app-prod/app]
///     assertions:
///       - id: ecs-reaches-patroni
///         kind: allow
///         from: ecs-app
///         to: primary.db.prod.internal
///         port: 5432
public struct PolicyLoader: Sendable {
    /// Creates a loader.
    public init() {}

    /// Reads the policy at `path`.
    public func load(_ path: String) throws -> Policy {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw PolicyError(file: path, line: nil, message: "cannot be read (\(error.localizedDescription))")
        }
        return try parse(text, file: path)
    }

    /// Parses policy text; `file` names it in errors.
    public func parse(_ text: String, file: String) throws -> Policy {
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: text) else {
                throw PolicyError(file: file, line: 1, message: "the policy is empty")
            }
            root = node
        } catch let error as PolicyError {
            throw error
        } catch let error as YamlError {
            throw PolicyError(file: file, line: Self.line(of: error), message: "is not valid YAML: \(error)")
        }
        let reader = PolicyNode(root, file: file, path: "policy")
        try reader.allowKeys(["version", "groups", "assertions", "ephemeral_ports"])
        let version = try reader.required("version").int()
        guard version == 1 else {
            throw reader.fail("unsupported policy version \(version); this vpcreach reads version 1")
        }
        var groups: [String: [String]] = [:]
        if let groupNode = try reader.optional("groups") {
            for (name, value) in try groupNode.mapping() {
                guard !name.isEmpty, !name.contains(":"), !name.hasPrefix("-") else {
                    throw value.fail("group name '\(name)' must be a plain word (no ':')")
                }
                groups[name] = try value.strings()
            }
        }
        var assertions: [Assertion] = []
        var seen: [String: Int] = [:]
        for item in try reader.required("assertions").sequence() {
            let assertion = try readAssertion(item)
            if let first = seen[assertion.id] {
                throw item.fail("duplicate assertion id '\(assertion.id)' (first at line \(first))")
            }
            seen[assertion.id] = assertion.line
            assertions.append(assertion)
        }
        guard !assertions.isEmpty else { throw reader.fail("the policy has no assertions") }
        var ephemeralPorts: ClosedRange<Int>?
        if let node = try reader.optional("ephemeral_ports") {
            let text = try node.string()
            guard let range = Query.parsePorts(text) else {
                throw node.fail("ephemeral_ports '\(text)' is not a range A-B within 0-65535")
            }
            ephemeralPorts = range
        }
        return Policy(file: file, groups: groups, assertions: assertions, ephemeralPorts: ephemeralPorts)
    }

    static let trafficKeys = ["protocol", "port"]

    func readAssertion(_ node: PolicyNode) throws -> Assertion {
        let kindName = try node.required("kind").string()
        let common = ["id", "kind", "description"]
        let kind: AssertionKind
        switch kindName {
        case "allow", "deny":
            try node.allowKeys(common + ["from", "to", "mode"] + Self.trafficKeys)
            let mode = try node.optional("mode")?.string() ?? "all"
            guard mode == "all" || mode == "any" else {
                throw try node.required("mode").fail("mode must be 'all' or 'any', not '\(mode)'")
            }
            kind = .reach(
                allow: kindName == "allow",
                ReachSpec(
                    from: try node.required("from").strings(), to: try node.required("to").strings(),
                    traffic: try traffic(node), everyPair: mode == "all"))
        case "only":
            try node.allowKeys(common + ["to", "sources", "candidates"] + Self.trafficKeys)
            kind = .only(
                to: try node.required("to").strings(), sources: try node.required("sources").strings(),
                candidates: try node.optional("candidates")?.strings(), traffic: try traffic(node))
        case "unchanged":
            try node.allowKeys(common + ["scope", "layers"])
            kind = .unchanged(
                scope: try node.required("scope").strings(), layers: try node.optional("layers")?.bool() ?? false)
        case "parity":
            try node.allowKeys(common + ["first", "second", "destinations"] + Self.trafficKeys)
            let hasTraffic = try node.optional("protocol") != nil || node.optional("port") != nil
            kind = .parity(
                first: try node.required("first").strings(), second: try node.required("second").strings(),
                destinations: try node.optional("destinations")?.strings(),
                traffic: hasTraffic ? try traffic(node) : nil)
        case "peering":
            try node.allowKeys(common + ["connection", "vpcs", "routes"])
            let vpcs = try node.required("vpcs").strings()
            guard vpcs.count == 2 else {
                throw try node.required("vpcs").fail("a peering connection joins exactly two VPCs; list both")
            }
            let routesNode = try node.required("routes")
            let routes = try routesNode.strings().map { text -> CIDRBlock in
                guard let block = CIDRBlock(text), CIDRBlock.isCanonical(text) else {
                    throw routesNode.fail("'\(text)' is not a canonical IPv4 CIDR block")
                }
                return block
            }
            kind = .peering(connection: try node.required("connection").string(), vpcs: vpcs, routes: routes)
        case "transit":
            try node.allowKeys(common + ["route_table", "reaches", "routes"])
            let routesNode = try node.optional("routes")
            let routes = try routesNode?.strings().map { text -> CIDRBlock in
                guard let block = CIDRBlock(text), CIDRBlock.isCanonical(text) else {
                    throw routesNode?.fail("'\(text)' is not a canonical IPv4 CIDR block") ?? node.fail("bad block")
                }
                return block
            }
            kind = .transit(
                routeTable: try node.required("route_table").string(), reaches: try node.required("reaches").strings(),
                routes: routes)
        case "dns":
            try node.allowKeys(common + ["name", "from", "resolves", "addresses"])
            let addressNode = try node.optional("addresses")
            let addresses = try addressNode?.strings().map { text -> IPv4Address in
                guard let address = IPv4Address(text) else {
                    throw addressNode?.fail("'\(text)' is not an IPv4 address") ?? node.fail("bad address")
                }
                return address
            }
            kind = .dns(
                name: try node.required("name").string(), fromVPC: try node.required("from").string(),
                resolves: try node.optional("resolves")?.bool() ?? true, addresses: addresses)
        default:
            throw try node.required("kind").fail(
                "unknown assertion kind '\(kindName)' (allow, deny, only, unchanged, parity, peering, transit, dns)")
        }
        let id = try node.required("id").string()
        guard !id.isEmpty else { throw try node.required("id").fail("the assertion id is empty") }
        return Assertion(
            id: id, description: try node.optional("description")?.string(), line: node.line ?? 0, kind: kind)
    }

    func traffic(_ node: PolicyNode) throws -> AssertionTraffic {
        let protocolName = try node.optional("protocol")?.string() ?? "tcp"
        guard let ipProtocol = QueryProtocol(rawValue: protocolName) else {
            throw try node.required("protocol").fail("protocol must be tcp, udp, icmp or all, not '\(protocolName)'")
        }
        var ports: ClosedRange<Int>?
        if let portNode = try node.optional("port") {
            let text = try portNode.scalarText()
            guard let parsed = Query.parsePorts(text) else {
                throw portNode.fail("port must be N or N-M within 0-65535, not '\(text)'")
            }
            guard ipProtocol == .tcp || ipProtocol == .udp || ipProtocol == .all else {
                throw portNode.fail("a port does not apply to protocol \(protocolName)")
            }
            ports = parsed
        }
        return AssertionTraffic(ipProtocol: ipProtocol, ports: ports)
    }

    static func line(of error: YamlError) -> Int? {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _): mark.line
        default: nil
        }
    }
}

/// A YAML node with its file and a readable path, for strict reads with line numbers.
struct PolicyNode {
    let node: Node
    let file: String
    let path: String

    init(_ node: Node, file: String, path: String) {
        self.node = node
        self.file = file
        self.path = path
    }

    var line: Int? { node.mark?.line }

    func fail(_ message: String) -> PolicyError {
        PolicyError(file: file, line: line, message: "\(path): \(message)")
    }

    func mapping() throws -> [(String, PolicyNode)] {
        guard let mapping = node.mapping else { throw fail("expected a mapping") }
        return try mapping.map { key, value in
            guard let name = key.string else {
                throw PolicyNode(key, file: file, path: path).fail("keys must be strings")
            }
            return (name, PolicyNode(value, file: file, path: "\(path).\(name)"))
        }
    }

    func optional(_ key: String) throws -> PolicyNode? {
        try mapping().first { $0.0 == key }?.1
    }

    func required(_ key: String) throws -> PolicyNode {
        guard let value = try optional(key) else { throw fail("'\(key)' is required") }
        return value
    }

    func allowKeys(_ allowed: [String]) throws {
        for (key, value) in try mapping() where !allowed.contains(key) {
            throw value.fail("unknown key '\(key)' (allowed here: \(allowed.joined(separator: ", ")))").relocated(
                to: line(ofKey: key) ?? value.line)
        }
    }

    func line(ofKey key: String) -> Int? {
        node.mapping?.first { $0.key.string == key }?.key.mark?.line
    }

    func sequence() throws -> [PolicyNode] {
        guard let sequence = node.sequence else { throw fail("expected a list") }
        return sequence.enumerated().map { PolicyNode($1, file: file, path: "\(path)[\($0)]") }
    }

    func scalarText() throws -> String {
        guard let scalar = node.scalar else { throw fail("expected a single value") }
        return scalar.string
    }

    func string() throws -> String {
        guard let scalar = node.scalar else { throw fail("expected a string") }
        return scalar.string
    }

    /// A string, or a list of strings.
    func strings() throws -> [String] {
        if node.scalar != nil { return [try string()] }
        let items = try sequence().map { try $0.string() }
        guard !items.isEmpty else { throw fail("the list is empty") }
        return items
    }

    func int() throws -> Int {
        guard let text = node.scalar?.string, let value = Int(text) else { throw fail("expected an integer") }
        return value
    }

    func bool() throws -> Bool {
        switch node.scalar?.string.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw fail("expected true or false")
        }
    }
}

extension PolicyError {
    func relocated(to line: Int?) -> PolicyError {
        var copy = self
        copy.line = line ?? self.line
        return copy
    }
}
