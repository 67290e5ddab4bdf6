/// A blocker as matrices, reachers and diffs compare it: the direction, the code and the
/// component, where a component that is an end of the pair is written by its role so that alike
/// pairs share it. Outputs print it (and JSON holds it) as `direction CODE component`.
public struct BlockerKey: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// The blocking component, or which end of the pair it is.
    public enum Component: Sendable, Hashable {
        /// The sending end's own interface.
        case source
        /// The receiving end's own interface.
        case destination
        /// A component by id (or, in views by role, the role an end has).
        case named(String)

        public var text: String {
            switch self {
            case .source: "source"
            case .destination: "destination"
            case .named(let name): name
            }
        }

        init(text: String) {
            switch text {
            case "source": self = .source
            case "destination": self = .destination
            default: self = .named(text)
            }
        }
    }

    public var direction: Direction
    public var code: ExplanationCode
    public var component: Component

    public init(_ direction: Direction, _ code: ExplanationCode, _ component: Component) {
        self.direction = direction
        self.code = code
        self.component = component
    }

    /// The blocker `code` at `component`, the component written by the end it is when it is one
    /// (`ends` gives that end for a component id, `nil` for any other component).
    init(_ direction: Direction, _ code: ExplanationCode, at component: String, ends: (String) -> Component?) {
        self.init(direction, code, ends(component) ?? .named(component))
    }

    /// `direction CODE component`.
    public var description: String { "\(direction.rawValue) \(code.rawValue) \(component.text)" }

    /// Whether its component is an end of the pair.
    public var namesAnEnd: Bool { component == .source || component == .destination }

    /// The blocker with an end of the pair written as `source` / `destination` instead.
    public func naming(source: String, destination: String) -> BlockerKey {
        switch component {
        case .source: BlockerKey(direction, code, .named(source))
        case .destination: BlockerKey(direction, code, .named(destination))
        case .named: self
        }
    }

    /// The component's id, when it is not an end of the pair.
    public var componentID: String? {
        if case .named(let id) = component { return id }
        return nil
    }

    /// Ordered as their text is, which is the order outputs list them in.
    public static func < (lhs: BlockerKey, rhs: BlockerKey) -> Bool { lhs.description < rhs.description }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        let parts = text.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, let direction = Direction(rawValue: String(parts[0])),
            let code = ExplanationCode(rawValue: String(parts[1])), !parts[2].isEmpty
        else {
            throw DecodingError.dataCorrupted(
                .init(
                    codingPath: decoder.codingPath,
                    debugDescription: "'\(text)' is not a blocker (`forward|return CODE component`)"))
        }
        self.init(direction, code, Component(text: String(parts[2])))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

extension Sequence where Element == BlockerKey {
    /// The blockers' texts joined by `separator`.
    public func joined(separator: String) -> String { map(\.description).joined(separator: separator) }
}
