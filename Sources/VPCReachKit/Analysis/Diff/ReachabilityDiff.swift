import PacketSets

/// Every flow whose reachability differs between two matrices, aggregated by role, with causes.
public struct ReachabilityDiff: Sendable, Codable, Equatable {
    /// Traffic that one role gained or lost toward another.
    public struct FlowChange: Sendable, Codable, Hashable {
        /// `gained`, `lost`, or `unknown` (traffic whose fate the candidate cannot decide any more).
        public var change: String
        /// Source role (`ecs:CLUSTER/SERVICE` or security group names).
        public var sourceRole: String
        /// Destination role.
        public var destinationRole: String
        /// The traffic, exactly.
        public var traffic: TrafficMap
        /// The traffic in words.
        public var trafficText: String
        /// Every interface pair concerned, as `source -> destination`.
        public var pairs: [String]
        /// Blocking layers that appeared (lost) or disappeared (gained), and components changed on the way.
        public var causes: [String]
    }

    /// A name whose answer from one VPC changed (semantics §36a).
    public struct DNSChange: Sendable, Codable, Hashable {
        /// The name, absolute.
        public var name: String
        /// The VPC it is resolved from.
        public var vpc: String
        /// The answer in the base: addresses, `NXDOMAIN`, or `unknown (why)`.
        public var before: String
        /// The answer in the candidate.
        public var after: String
        /// Where clients of the VPC that use the name now go and did not before (interfaces, or addresses).
        public var destinationsAdded: [String]
        /// Where they went and no longer go.
        public var destinationsRemoved: [String]
    }

    /// A flow whose reachability stayed the same but whose blocking layers changed.
    public struct LayerChange: Sendable, Codable, Hashable {
        /// Source role.
        public var sourceRole: String
        /// Destination role.
        public var destinationRole: String
        /// Every interface pair concerned.
        public var pairs: [String]
        /// Blocking layers in the base.
        public var before: [BlockerKey]
        /// Blocking layers in the candidate.
        public var after: [BlockerKey]
        /// The layers that block now and did not before.
        public var added: [BlockerKey]
        /// The layers that blocked before and no longer do.
        public var removed: [BlockerKey]
    }

    /// Routes that a role in scope gained or lost: a change of its routing layer, whatever the verdicts.
    public struct RoutingChange: Sendable, Codable, Hashable {
        /// The role whose subnets' routes changed.
        public var role: String
        /// Routes its subnets now use that they did not.
        public var added: [String]
        /// Routes its subnets used that they no longer do.
        public var removed: [String]
    }

    /// An interface present in only one of the two (informational: tasks are replaced all the time).
    public struct MemberChange: Sendable, Codable, Hashable {
        /// `added` or `removed`.
        public var change: String
        /// The interface.
        public var member: ReachabilityMatrix.Member
    }

    /// The JSON schema version.
    public var schemaVersion = 1
    /// The base snapshot or matrix.
    public var base: String
    /// The candidate snapshot.
    public var candidate: String
    /// The scope, if any.
    public var scope: String?
    /// Flows gained, lost or become unknown.
    public var flows: [FlowChange]
    /// Defense-in-depth changes: same reachability, different blocking layers.
    public var layers: [LayerChange]
    /// Defense-in-depth changes: the routes used by roles in scope.
    public var routing: [RoutingChange]
    /// Interfaces in only one of the two.
    public var members: [MemberChange]
    /// Configuration changes between the snapshots (empty when the base is a matrix file).
    public var components: [ComponentChange]
    /// Names answered differently from a VPC (empty when the base is a matrix file).
    public var dns: [DNSChange] = []

    /// The diff with flow changes cut down to `ipProtocol` and `ports` (layer and member changes kept).
    public func restricted(to ipProtocol: QueryProtocol, ports: ClosedRange<Int>?) -> ReachabilityDiff {
        let everywhere = IntervalSet(0...UInt32.max)
        let wanted = TrafficMap(
            projecting: TrafficSets.flow(
                Traffic(ipProtocol: ipProtocol, ports: ports), ephemeral: 0...65535, from: everywhere,
                to: everywhere))
        var copy = self
        copy.flows = flows.compactMap { flow in
            var cut = flow
            cut.traffic = flow.traffic.intersection(wanted)
            cut.trafficText = cut.traffic.description
            return cut.traffic.isEmpty ? nil : cut
        }
        return copy
    }

    /// Whether anything the `failOn` policy counts changed: flows for `gained`/`lost`, flows,
    /// blocking layers or routes in scope for `any`.
    public func hasChanges(failOn: DiffFailOn) -> Bool {
        switch failOn {
        case .gained: flows.contains { $0.change == "gained" }
        case .lost: flows.contains { $0.change == "lost" }
        case .dns: !dns.isEmpty
        case .any: !flows.isEmpty || !layers.isEmpty || !routing.isEmpty || !dns.isEmpty
        }
    }
}

/// Which differences make `diff` fail.
public enum DiffFailOn: String, Sendable, Codable, CaseIterable {
    case gained, lost, dns, any
}

/// Compares two reachability matrices.
public enum DiffEngine {
    /// The differences from `base` to `candidate`; `components` are the configuration changes when both are snapshots.
    ///
    /// Flows are compared per pair of roles (an ECS service, a set of security groups), not per
    /// interface, so that tasks replaced between the snapshots do not read as lost and gained. A role
    /// pair gains traffic when what any member pair reaches grows, or what every member pair reaches
    /// grows; it loses traffic in the opposite cases.
    public static func diff(
        base: ReachabilityMatrix, candidate: ReachabilityMatrix, components: [ComponentChange]
    ) -> ReachabilityDiff {
        diff(base: base, candidate: candidate, components: components, allLayers: nil)
    }

    /// The diff, with `allLayers` giving role pairs' blockers with every layer evaluated in both
    /// snapshots (when both are at hand; see ``flowChanges(before:after:keys:components:securityGroups:allLayers:)``).
    static func diff(
        base: ReachabilityMatrix, candidate: ReachabilityMatrix, components: [ComponentChange],
        allLayers: (
            ([RoleViews.Key], RoleNumbers) -> (
                before: [RoleViews.Key: Set<BlockerKey>], after: [RoleViews.Key: Set<BlockerKey>]
            )
        )?
    ) -> ReachabilityDiff {
        let baseMembers = Dictionary(base.members.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let candidateMembers = Dictionary(candidate.members.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let role: (String) -> String = { candidateMembers[$0]?.role ?? baseMembers[$0]?.role ?? $0 }
        let roles = RoleNumbers(members: [base, candidate].lazy.flatMap { $0.groups.joined() }, role: role)
        let before = RoleViews(base, roles: roles)
        let after = RoleViews(candidate, roles: roles)
        let (flows, layers) = flowChanges(
            before: before, after: after, keys: before.differingKeys(from: after), components: components,
            securityGroups: (
                before: { baseMembers[$0]?.securityGroups ?? [] }, after: { candidateMembers[$0]?.securityGroups ?? [] }
            ),
            allLayers: allLayers.map { every in { keys in every(keys, roles) } })
        return ReachabilityDiff(
            base: base.snapshot, candidate: candidate.snapshot, scope: candidate.scope ?? base.scope, flows: flows,
            layers: layers,
            routing: routingChanges(before: routesByRole(base.members), after: routesByRole(candidate.members)),
            members: memberChanges(
                added: candidate.members.filter { baseMembers[$0.id] == nil },
                removed: base.members.filter { candidateMembers[$0.id] == nil }),
            components: components)
    }

    /// The flow and layer changes of the role pairs `keys` between two views, sorted; the
    /// security groups of an interface on each side serve to name the components that changed.
    ///
    /// Layers are compared like with like: where a route table decided some pairs of a role pair
    /// alone (listing only its own blockers), `allLayers` gives the role pair's blockers with every
    /// layer evaluated on both sides; without it (a matrix file as the base) such a role pair's
    /// layers are not compared, since the other layers of those pairs are not known.
    static func flowChanges(
        before: RoleViews, after: RoleViews, keys: [RoleViews.Key], components: [ComponentChange],
        securityGroups: (before: (String) -> [String], after: (String) -> [String]),
        allLayers: (
            ([RoleViews.Key]) -> (before: [RoleViews.Key: Set<BlockerKey>], after: [RoleViews.Key: Set<BlockerKey>])
        )? =
            nil
    ) -> (flows: [ReachabilityDiff.FlowChange], layers: [ReachabilityDiff.LayerChange]) {
        // The role pairs whose layers are compared with a side decided by a route table alone.
        let partial = keys.filter { key in
            guard let old = before.views[key], let new = after.views[key], old.blockers != new.blockers,
                old.routeDecided || new.routeDecided
            else {
                return false
            }
            return old.any == new.any && old.every == new.every && old.unknown == new.unknown
        }
        let full = partial.isEmpty ? nil : allLayers?(partial)
        let partialKeys = Set(partial)
        var flows: [ReachabilityDiff.FlowChange] = []
        var layers: [ReachabilityDiff.LayerChange] = []
        let names = before.roles.names
        for key in keys {
            // Role numbers follow the names' order, so sorted keys are sorted by name.
            let (sourceRole, destinationRole) = (names[key.source], names[key.destination])
            let old = before.views[key] ?? RoleViews.View()
            let new = after.views[key] ?? RoleViews.View()
            let oldEvery = old.every ?? .empty
            let newEvery = new.every ?? .empty
            let changes: [(String, TrafficMap, [String])] = [
                (
                    "gained", new.any.subtracting(old.any).union(newEvery.subtracting(oldEvery)),
                    old.blockers.subtracting(new.blockers).sorted().map { "no longer blocked: \($0)" }
                ),
                (
                    "lost", old.any.subtracting(new.any).union(oldEvery.subtracting(newEvery)),
                    new.blockers.subtracting(old.blockers).sorted().map { "newly blocked: \($0)" }
                ),
                ("unknown", new.unknown.subtracting(old.unknown), []),
            ].filter { !$0.1.isEmpty }
            var (oldLayers, newLayers) = (old.blockers, new.blockers)
            if partialKeys.contains(key) {
                guard let full, let everyBefore = full.before[key], let everyAfter = full.after[key] else { continue }
                (oldLayers, newLayers) = (everyBefore, everyAfter)
            }
            let layerChanged =
                changes.isEmpty && before.views[key] != nil && after.views[key] != nil && oldLayers != newLayers
            guard !changes.isEmpty || layerChanged else { continue }
            // Spelled out only for the role pairs that changed: a pair of roles may hold millions of pairs.
            let pairs = Array(Set(before.pairs(key) + after.pairs(key))).sorted()
            let touched = before.touched(key, securityGroups: securityGroups.before).union(
                after.touched(key, securityGroups: securityGroups.after))
            let related = components.filter { touched.contains($0.component) }
                .map { "\($0.kind) \($0.component)\($0.name.map { " (\($0))" } ?? "") changed" }.sorted()
            for (change, traffic, causes) in changes {
                flows.append(
                    ReachabilityDiff.FlowChange(
                        change: change, sourceRole: sourceRole, destinationRole: destinationRole, traffic: traffic,
                        trafficText: traffic.description,
                        pairs: pairs, causes: causes + related))
            }
            if layerChanged {
                layers.append(
                    ReachabilityDiff.LayerChange(
                        sourceRole: sourceRole, destinationRole: destinationRole, pairs: pairs,
                        before: oldLayers.sorted(), after: newLayers.sorted(),
                        added: newLayers.subtracting(oldLayers).sorted(),
                        removed: oldLayers.subtracting(newLayers).sorted()))
            }
        }
        return (
            flows.sorted {
                ($0.change, $0.sourceRole, $0.destinationRole) < ($1.change, $1.sourceRole, $1.destinationRole)
            }, layers
        )
    }

    /// The routes the members in scope of each role use.
    static func routesByRole(_ members: [ReachabilityMatrix.Member]) -> [String: Set<String>] {
        var result: [String: Set<String>] = [:]
        for member in members where member.inScope { result[member.role, default: []].formUnion(member.routes) }
        return result
    }

    /// The roles whose routes changed, sorted; a role with no routes on one side (not there, or
    /// no subnet) is left out.
    static func routingChanges(before: [String: Set<String>], after: [String: Set<String>]) -> [ReachabilityDiff
        .RoutingChange]
    {
        Set(before.keys).union(after.keys).sorted().compactMap { role in
            guard let old = before[role], let new = after[role], !old.isEmpty, !new.isEmpty, old != new else {
                return nil
            }
            return ReachabilityDiff.RoutingChange(
                role: role, added: new.subtracting(old).sorted(), removed: old.subtracting(new).sorted())
        }
    }

    /// The interfaces in only one of the two, sorted by id.
    static func memberChanges(added: [ReachabilityMatrix.Member], removed: [ReachabilityMatrix.Member])
        -> [ReachabilityDiff.MemberChange]
    {
        (added.map { ReachabilityDiff.MemberChange(change: "added", member: $0) }
            + removed.map { ReachabilityDiff.MemberChange(change: "removed", member: $0) })
            .sorted { ($0.member.id, $0.change) < ($1.member.id, $1.change) }
    }
}
