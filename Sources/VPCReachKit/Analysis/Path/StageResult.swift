import PacketSets

/// What one component does to a pair's traffic, in request coordinates.
struct StageResult {
    /// A part of the traffic that the component drops.
    struct Denial {
        var packets: PacketSet
        var code: ExplanationCode
        var component: String
        var explanation: String
        var fix: String
        var sources: [SourceLocation]
        var remediation: Remediation?
    }

    var hop: Hop
    var denials: [Denial] = []
    var unknowns: [(packets: PacketSet, reason: String)] = []
    /// What the stage's passing traffic takes for granted (an appliance forwarding it).
    var assumptions: [String] = []

    /// The traffic this stage drops.
    var denied: PacketSet { denials.reduce(PacketSet.empty) { $0.union($1.packets) } }
    /// The traffic this stage cannot decide.
    var undecided: PacketSet { unknowns.reduce(PacketSet.empty) { $0.union($1.packets) } }

    /// Whether the stage writes the details it is made with, its denials' explanations and fixes,
    /// and its unknowns' reasons: a matrix reads only packets, codes and components, and writing
    /// them was much of a route decision's time.
    let explains: Bool

    init(
        _ direction: Direction, kind: HopKind, component: String, name: String?,
        details: @autoclosure () -> [String] = [], explains: Bool = true
    ) {
        self.explains = explains
        hop = Hop(
            direction: direction, kind: kind, component: component, name: name, status: .passed,
            details: explains ? details() : [])
    }

    mutating func deny(
        _ packets: PacketSet, code: ExplanationCode, component: String? = nil, _ explanation: @autoclosure () -> String,
        fix: @autoclosure () -> String,
        sources: [SourceLocation] = [], remediation: @autoclosure () -> Remediation? = nil
    ) {
        guard !packets.isEmpty else { return }
        denials.append(
            Denial(
                packets: packets, code: code, component: component ?? hop.component,
                explanation: explains ? explanation() : "", fix: explains ? fix() : "",
                sources: sources, remediation: explains ? remediation() : nil))
        hop.status = .blocked
    }

    mutating func markUnknown(_ packets: PacketSet, _ reason: @autoclosure () -> String) {
        guard !packets.isEmpty else { return }
        unknowns.append((packets, explains ? reason() : ""))
        if hop.status == .passed { hop.status = .unknown }
    }

    /// Maps every packet set of a stage evaluated on replies back to the requests they answer.
    func mappedToRequests(within flow: PacketSet, _ map: (PacketSet) -> PacketSet) -> StageResult {
        var copy = self
        copy.denials = denials.map { denial in
            var mapped = denial
            mapped.packets = map(denial.packets).intersection(flow)
            return mapped
        }.filter { !$0.packets.isEmpty }
        copy.unknowns = unknowns.map { (map($0.packets).intersection(flow), $0.reason) }.filter { !$0.packets.isEmpty }
        return copy
    }

    /// The stage as it applies to `flow`, a part of the traffic it was evaluated on: every stage
    /// decides each packet on its own, so this is what evaluating it on `flow` alone gives.
    func restricted(to flow: PacketSet) -> StageResult {
        mappedToRequests(within: flow) { $0 }.withStatusFromSets()
    }

    private func withStatusFromSets() -> StageResult {
        var copy = self
        copy.hop.status = !denials.isEmpty ? .blocked : !unknowns.isEmpty ? .unknown : .passed
        return copy
    }
}
