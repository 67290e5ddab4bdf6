/// A blocker as matrices, reachers and diffs compare it: `direction CODE component`, the sending
/// end written `source` so that alike sources share it.
enum BlockerText {
    static func forSources(_ direction: Direction, _ code: ExplanationCode, _ component: String, source: String)
        -> String
    {
        "\(direction.rawValue) \(code) \(component == source ? "source" : component)"
    }
}
