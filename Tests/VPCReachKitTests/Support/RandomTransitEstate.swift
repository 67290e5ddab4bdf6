import PacketSets

@testable import VPCReachKit

/// Random estates whose two VPCs are joined by a transit gateway instead of the peering: subnets
/// in two zones, attachments with a subnet in some zones, one or two gateway route tables with
/// random routes (blackholes, missing ones), a missing association now and then, and security
/// group referencing on or off.
enum RandomTransitEstate {
    static func make(seed: UInt64) -> Snapshot {
        var random = SeededGenerator(seed: seed &+ 0x7467_7700)
        var snapshot = RandomEstate.make(seed: seed)
        snapshot.peeringConnections = [:]
        // Half the estates admit everything at the groups and the network ACLs and route every
        // VPC route table to the gateway, so that the gateway's own rules decide.
        let open = Bool.random(using: &random)
        if open {
            for id in snapshot.securityGroups.keys.sorted() {
                snapshot.securityGroups[id]?.ingress = [RandomEstate.allRule()]
                snapshot.securityGroups[id]?.egress = [RandomEstate.allRule()]
            }
            for id in snapshot.networkACLs.keys.sorted() where snapshot.networkACLs[id]?.isDefault == false {
                snapshot.networkACLs[id]?.subnetIDs = []
            }
        }
        let location = RandomEstate.location
        let zones = ["eu-west-1a", "eu-west-1b"]
        for id in snapshot.subnets.keys.sorted() {
            snapshot.subnets[id]?.availabilityZone = zones.randomElement(using: &random)
        }
        // Every route to the peering goes to the transit gateway instead.
        for id in snapshot.routeTables.keys.sorted() {
            guard var table = snapshot.routeTables[id] else { continue }
            table.routes = table.routes.map { route in
                guard case .peeringConnection = route.target else { return route }
                var copy = route
                copy.target = .transitGateway("tgw-1")
                copy.state = Int.random(in: 0...5, using: &random) == 0 ? .blackhole : .active
                return copy
            }
            if open {
                let other = RandomEstate.vpcBlocks[table.vpcID == "vpc-0" ? 1 : 0]
                table.routes =
                    table.routes.filter { $0.target == .local } + [
                        Route(
                            destination: .cidr(RandomEstate.cidr(other)), target: .transitGateway("tgw-1"),
                            origin: "CreateRoute", state: .active, source: location)
                    ]
            }
            snapshot.routeTables[id] = table
        }
        snapshot.transitGateways["tgw-1"] = TransitGateway(
            id: "tgw-1", state: "available", securityGroupReferencing: Bool.random(using: &random), tags: Tags(),
            source: location)
        for v in 0..<2 {
            // At most one subnet per zone.
            var subnets: [String] = []
            for zone in zones {
                let candidates = (0..<2).map { "subnet-\(v)\($0)" }.filter {
                    snapshot.subnets[$0]?.availabilityZone == zone
                }
                if let pick = candidates.randomElement(using: &random), Int.random(in: 0...5, using: &random) > 0 {
                    subnets.append(pick)
                }
            }
            snapshot.transitGatewayAttachments["tgw-attach-\(v)"] = TransitGatewayAttachment(
                id: "tgw-attach-\(v)", transitGatewayID: "tgw-1", kind: .vpc, resourceID: "vpc-\(v)",
                state: Int.random(in: 0...15, using: &random) == 0 ? "pendingAcceptance" : "available",
                routeTableID: nil, associationState: "disassociated", subnetIDs: subnets,
                applianceMode: Int.random(in: 0...4, using: &random) == 0,
                securityGroupReferencing: Int.random(in: 0...3, using: &random) > 0, tags: Tags(), source: location)
        }
        let shared = Bool.random(using: &random)
        for v in 0..<2 {
            let tableID = shared ? "tgw-rtb-s" : "tgw-rtb-\(v)"
            if Int.random(in: 0...11, using: &random) > 0 {
                snapshot.transitGatewayAttachments["tgw-attach-\(v)"]?.routeTableID = tableID
                snapshot.transitGatewayAttachments["tgw-attach-\(v)"]?.associationState = "associated"
            }
        }
        func routes() -> [TransitGatewayRoute] {
            var list: [TransitGatewayRoute] = []
            for v in 0..<2 {
                switch Int.random(in: 0...7, using: &random) {
                case 0: break
                case 1:
                    list.append(route(RandomEstate.subnetBlocks[v][Int.random(in: 0...1, using: &random)], to: v))
                case 2:
                    list.append(route(RandomEstate.vpcBlocks[v], to: v))
                    list.append(route(RandomEstate.subnetBlocks[v][0], to: nil))
                default: list.append(route(RandomEstate.vpcBlocks[v], to: v))
                }
            }
            return list
        }
        for tableID in shared ? ["tgw-rtb-s"] : ["tgw-rtb-0", "tgw-rtb-1"] {
            snapshot.transitGatewayRouteTables[tableID] = TransitGatewayRouteTable(
                id: tableID, transitGatewayID: "tgw-1", state: "available", routes: routes(), truncated: false,
                tags: Tags(), source: location)
        }
        return snapshot
    }

    /// A route to VPC `v`'s attachment, or a blackhole for `nil`.
    static func route(_ block: String, to v: Int?) -> TransitGatewayRoute {
        TransitGatewayRoute(
            destination: .cidr(RandomEstate.cidr(block)), prefixListID: nil,
            attachmentIDs: v.map { ["tgw-attach-\($0)"] } ?? [], isStatic: true,
            state: v == nil ? .blackhole : .active, source: RandomEstate.location)
    }
}
