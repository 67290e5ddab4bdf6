import PacketSets
import Testing

@testable import VPCReachKit

/// `diff` of two snapshots evaluates only the pairs a change may touch; it must say exactly what
/// comparing the two whole matrices says.
@Suite struct IncrementalDiffTests {
    static let scopes: [String?] = [nil, "ecs:prod/anisette", "ecs:app-prod/app"]

    @Test func fixtureDiffsEqualWholeMatrixDiffs() throws {
        let broken = ReachersTests.estates.filter { $0.hasPrefix("fixtures/broken-") }
        let pairs = [("fixtures/prod-before", "fixtures/prod-after")] + broken.map { ("fixtures/prod-after", $0) }
        var partial = 0
        for (first, second) in pairs {
            let base = try Fixtures.load(first)
            let candidate = try Fixtures.load(second)
            let changed = VPCContext.changed(
                base, NetworkIndex(base), scoped: [], candidate, NetworkIndex(candidate), scoped: [])
            if let changed, changed.count < Set(base.vpcs.keys).union(candidate.vpcs.keys).count { partial += 1 }
            for scope in Self.scopes {
                let incremental = Result { try DiffEngine.diff(base: base, candidate: candidate, scope: scope) }
                let whole = Result { try DiffEngine.wholeDiff(base: base, candidate: candidate, scope: scope) }
                #expect(
                    String(describing: incremental) == String(describing: whole),
                    "\(first) -> \(second), scope \(scope ?? "all")")
            }
        }
        // Snapshots in different directories compare by content: some VPCs stay alike.
        #expect(partial > 0)
    }

    @Test(arguments: 0..<3)
    func randomChangesEqualWholeMatrixDiffs(batch: Int) throws {
        var partial = 0
        for seed in UInt64(batch * 12)..<UInt64(batch * 12 + 12) {
            var base = RandomEstate.withTwins(RandomEstate.make(seed: seed))
            // Groups named alike in both VPCs: roles span VPCs, so a role pair a change touches
            // also has pairs between unchanged VPCs.
            for id in base.securityGroups.keys { base.securityGroups[id]?.name = "group-\(id.suffix(1))" }
            let candidate = Self.changed(base, how: Int(seed % 6))
            let changed = VPCContext.changed(
                base, NetworkIndex(base), scoped: [], candidate, NetworkIndex(candidate), scoped: [])
            if let changed, changed.count < base.vpcs.count { partial += 1 }
            // A hypothetical interface in scope is an end of pairs but not in the snapshot.
            for scope in [nil, "vpc-1", "new:subnet-11,sg-11"] as [String?] {
                let incremental = try DiffEngine.diff(base: base, candidate: candidate, scope: scope)
                let whole = try DiffEngine.wholeDiff(base: base, candidate: candidate, scope: scope)
                #expect(incremental == whole, "seed \(seed), change \(seed % 6), scope \(scope ?? "all")")
            }
        }
        // Most changes leave a VPC alike: the incremental path is exercised.
        #expect(partial >= 6)
    }

    /// An ECS task that moves to another interface changes two interfaces' roles
    /// (`ecs:CLUSTER/SERVICE` instead of their groups' names, and back) and nothing a pair's
    /// answer reads: the diff names both snapshots' interfaces by the candidate's roles, so no flow
    /// changes, but the routes each role uses (by each snapshot's own roles) may.
    @Test func rolesChangedByTasksAloneEqualWholeMatrixDiffs() throws {
        var routingChanged = 0
        for seed in UInt64(0)..<4 {
            var base = RandomEstate.withTwins(RandomEstate.make(seed: seed))
            for id in base.securityGroups.keys { base.securityGroups[id]?.name = "group-\(id.suffix(1))" }
            let interfaces = base.networkInterfaces.keys.sorted()
            let arn = "arn:aws:ecs:eu-west-1:111111111111:task/prod/0"
            func task(on interface: String) -> ECSTask {
                ECSTask(
                    arn: arn, clusterName: "prod", serviceName: "moved", lastStatus: "RUNNING", attachmentID: nil,
                    networkInterfaceID: interface,
                    privateAddress: nil, subnetID: nil, source: RandomEstate.location)
            }
            base.ecsTasks[arn] = task(on: interfaces[0])
            for interface in interfaces.dropFirst().prefix(5) {
                var candidate = base
                candidate.ecsTasks[arn] = task(on: interface)
                for scope in [nil, "vpc-1"] as [String?] {
                    let incremental = try DiffEngine.diff(base: base, candidate: candidate, scope: scope)
                    let whole = try DiffEngine.wholeDiff(base: base, candidate: candidate, scope: scope)
                    #expect(whole.flows.isEmpty)
                    if scope == nil && !whole.routing.isEmpty { routingChanged += 1 }
                    #expect(incremental == whole, "seed \(seed), \(interface), scope \(scope ?? "all")")
                }
            }
        }
        #expect(routingChanged >= 6)
    }

    /// A snapshot with a single interface has no pair, so its roles name nothing: the base's
    /// roles name the pairs the candidate lost, even for an interface in both.
    @Test func aSnapshotWithOneInterfaceNamesNoRole() throws {
        var namedByBase = 0
        for seed in UInt64(0)..<6 {
            var base = RandomEstate.make(seed: seed)
            let kept = Array(base.networkInterfaces.keys.sorted().prefix(2))
            base.networkInterfaces = base.networkInterfaces.filter { kept.contains($0.key) }
            let arn = "arn:aws:ecs:eu-west-1:111111111111:task/prod/0"
            base.ecsTasks[arn] = ECSTask(
                arn: arn, clusterName: "prod", serviceName: "stopped", lastStatus: "RUNNING", attachmentID: nil,
                networkInterfaceID: kept[0],
                privateAddress: nil, subnetID: nil, source: RandomEstate.location)
            var candidate = base
            candidate.ecsTasks = [:]
            candidate.networkInterfaces[kept[1]] = nil
            let whole = try DiffEngine.wholeDiff(base: base, candidate: candidate, scope: nil)
            #expect(try DiffEngine.diff(base: base, candidate: candidate, scope: nil) == whole, "seed \(seed)")
            if whole.flows.contains(where: {
                $0.sourceRole == "ecs:prod/stopped" || $0.destinationRole == "ecs:prod/stopped"
            }) {
                namedByBase += 1
            }
        }
        #expect(namedByBase > 0)
    }

    /// `snapshot` with one change of kind `how`.
    static func changed(_ snapshot: Snapshot, how: Int) -> Snapshot {
        var copy = snapshot
        switch how {
        case 0:
            if copy.securityGroups["sg-00"]?.ingress.isEmpty == false {
                copy.securityGroups["sg-00"]?.ingress.removeFirst()
            }
        case 1:
            for id in ["acl-1c", "acl-1d"] {
                copy.networkACLs[id]?.entries.insert(
                    RandomEstate.aclEntry(1, egress: false, allow: false, ports: 5432...5432), at: 0)
            }
        case 2:
            if (copy.routeTables["rtb-0m"]?.routes.count ?? 0) > 1 { copy.routeTables["rtb-0m"]?.routes.removeLast() }
        case 3:
            if let last = copy.networkInterfaces.keys.sorted().last { copy.networkInterfaces[last] = nil }
        case 4:
            let active = copy.peeringConnections["pcx-1"]?.isActive == true
            copy.peeringConnections["pcx-1"]?.status = active ? "deleted" : "active"
        default:
            copy.securityGroups["sg-11"]?.egress = [RandomEstate.allRule()]
            copy.securityGroups["sg-11"]?.ingress.append(
                SecurityGroupRule(
                    ipProtocol: .tcp, fromPort: 5432, toPort: 5432, peer: .cidr(RandomEstate.cidr("10.0.0.0/16")),
                    ruleDescription: nil, source: RandomEstate.location))
        }
        return copy
    }
}
