import PacketSets
import Testing

@testable import VPCReachKit

/// The diff re-evaluates only VPCs whose context differs (semantics §37): a change to any field a
/// path stage reads must make its VPC's context differ (or everything's, for what concerns every
/// VPC), or the diff would miss a change in reachability.
@Suite struct ChangeDetectionTests {
    static let prod = "vpc-0a100000000000001"

    /// One model change each, and the VPC whose context it must change (`nil`: every VPC's).
    static let changes: [(String, String?, @Sendable (inout Snapshot) -> Void)] = [
        ("VPC block", prod, { $0.vpcs[prod]?.cidrBlocks.append(RandomEstate.cidr("10.99.0.0/16")) }),
        ("VPC DHCP options", prod, { $0.vpcs[prod]?.dhcpOptionsID = "dopt-0ffffffffffffffff" }),
        ("VPC DNS attribute", prod, { $0.vpcs[prod]?.dnsHostnames = false }),
        (
            "subnet block", prod,
            { snapshot in
                let id = snapshot.subnets.values.filter { $0.vpcID == prod }.map(\.id).min()!
                snapshot.subnets[id]?.cidrBlock = RandomEstate.cidr("10.10.250.0/24")
            }
        ),
        (
            "route state", prod,
            { snapshot in
                let id = snapshot.routeTables.values.filter { $0.vpcID == prod && !$0.routes.isEmpty }.map(\.id).min()!
                snapshot.routeTables[id]?.routes[0].state = .blackhole
            }
        ),
        (
            "route target", prod,
            { snapshot in
                let id = snapshot.routeTables.values.filter { $0.vpcID == prod && !$0.routes.isEmpty }.map(\.id).min()!
                snapshot.routeTables[id]?.routes[0].target = .natGateway("nat-0ffffffffffffffff")
            }
        ),
        (
            "NACL entry", prod,
            { snapshot in
                let id = snapshot.networkACLs.values.filter { $0.vpcID == prod && !$0.entries.isEmpty }.map(\.id).min()!
                snapshot.networkACLs[id]?.entries[0].allows.toggle()
            }
        ),
        (
            "security group rule", prod,
            { snapshot in
                let id = snapshot.securityGroups.values.filter { $0.vpcID == prod && !$0.ingress.isEmpty }.map(\.id)
                    .min()!
                snapshot.securityGroups[id]?.ingress.removeFirst()
            }
        ),
        (
            "interface address", prod,
            { snapshot in
                let id = snapshot.networkInterfaces.values.filter { $0.vpcID == prod }.map(\.id).min()!
                snapshot.networkInterfaces[id]?.privateAddresses.append(IPv4Address("10.10.255.200")!)
            }
        ),
        (
            "interface public address pairing", prod,
            { snapshot in
                let id = snapshot.networkInterfaces.values.filter { $0.vpcID == prod }.map(\.id).min()!
                snapshot.networkInterfaces[id]?.publicAddressPairs[IPv4Address("10.10.255.201")!] = IPv4Address(
                    "54.0.0.99")!
            }
        ),
        (
            "interface source/destination check", prod,
            { snapshot in
                let id = snapshot.networkInterfaces.values.filter { $0.vpcID == prod }.map(\.id).min()!
                let check = snapshot.networkInterfaces[id]?.sourceDestCheck ?? true
                snapshot.networkInterfaces[id]?.sourceDestCheck = !check
            }
        ),
        (
            "NAT gateway state", prod,
            { snapshot in
                let id = snapshot.natGateways.values.filter { $0.vpcID == prod }.map(\.id).min()!
                snapshot.natGateways[id]?.state = "failed"
            }
        ),
        (
            "internet gateway detached", prod,
            { snapshot in
                let id = snapshot.internetGateways.values.filter { $0.attachedVPCIDs.contains(prod) }.map(\.id).min()!
                snapshot.internetGateways[id]?.attachedVPCIDs = []
            }
        ),
        (
            "peering status", prod,
            { snapshot in
                let id = snapshot.peeringConnections.keys.min()!
                snapshot.peeringConnections[id]?.status = "deleted"
            }
        ),
        (
            "prefix list entries", nil,
            { snapshot in
                let id = snapshot.prefixLists.keys.min()!
                snapshot.prefixLists[id]?.cidrBlocks = []
            }
        ),
    ]

    @Test func everyFieldAPathReadsChangesItsVPCsContext() throws {
        let base = try Fixtures.load("fixtures/prod-after")
        let baseIndex = NetworkIndex(base)
        for (name, vpc, change) in Self.changes {
            var candidate = base
            change(&candidate)
            let changed = VPCContext.changed(
                base, baseIndex, scoped: [], candidate, NetworkIndex(candidate), scoped: [])
            if let vpc {
                #expect(changed?.contains(vpc) ?? true, "\(name): \(String(describing: changed))")
            } else {
                #expect(changed == nil, "\(name) concerns every VPC: \(String(describing: changed))")
            }
        }
        // And no change, no difference.
        #expect(VPCContext.changed(base, baseIndex, scoped: [], base, baseIndex, scoped: []) == [])
    }
}
