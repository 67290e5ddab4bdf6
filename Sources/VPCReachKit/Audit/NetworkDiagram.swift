import Foundation
import PacketSets

/// A diagram of VPCs, subnets, gateways and peering connections, as Graphviz DOT or as SVG laid out
/// by vpcreach itself (no external tool).
public struct NetworkDiagram: Sendable {
    struct Box {
        var vpc: VPC
        var subnets: [Subnet]
        var gateways: [String]
    }

    let index: NetworkIndex
    var snapshot: Snapshot { index.snapshot }

    /// Prepares a diagram of `snapshot`.
    public init(snapshot: Snapshot) {
        index = NetworkIndex(snapshot)
    }

    var boxes: [Box] {
        snapshot.vpcs.values.sorted { $0.id < $1.id }.map { vpc in
            let gateways =
                snapshot.internetGateways.values.filter { $0.attachedVPCIDs.contains(vpc.id) }.sorted { $0.id < $1.id }
                .map { index.label($0.id) }
                + snapshot.natGateways.values.filter { $0.vpcID == vpc.id && $0.state != "deleted" }.sorted {
                    $0.id < $1.id
                }.map { "NAT \($0.tags.name ?? $0.id) in \(snapshot.subnets[$0.subnetID]?.tags.name ?? $0.subnetID)" }
                + snapshot.transitGatewayAttachments.values.filter { $0.kind == .vpc && $0.resourceID == vpc.id }
                .sorted { $0.id < $1.id }.map { attachment in
                    let gateway =
                        snapshot.transitGateways[attachment.transitGatewayID]?.tags.name
                        ?? attachment.transitGatewayID
                    let table = attachment.routeTableID.map { index.name(of: $0) ?? $0 } ?? "no route table"
                    return "TGW \(gateway) (\(table))"
                }
            return Box(
                vpc: vpc,
                subnets: snapshot.subnets.values.filter { $0.vpcID == vpc.id }.sorted { $0.cidrBlock < $1.cidrBlock },
                gateways: gateways)
        }
    }

    /// Graphviz DOT source: one cluster per VPC, a node per subnet and gateway, an edge per peering.
    public func dot() -> String {
        func quoted(_ text: String) -> String {
            "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        }
        var lines = [
            "graph vpcreach {", "  compound=true;", "  rankdir=LR;",
            "  node [shape=box, style=rounded, fontname=\"Helvetica\"];",
        ]
        for box in boxes {
            lines.append("  subgraph \(quoted("cluster_" + box.vpc.id)) {")
            lines.append(
                "    label=\(quoted("\(index.label(box.vpc.id))\n\(box.vpc.cidrBlocks.map(\.description).joined(separator: ", "))"));"
            )
            lines.append("    \(quoted(box.vpc.id)) [shape=point, style=invis];")
            for subnet in box.subnets {
                lines.append(
                    "    \(quoted(subnet.id)) [label=\(quoted("\(subnet.tags.name ?? subnet.id)\n\(subnet.cidrBlock)"))];"
                )
            }
            for (number, gateway) in box.gateways.enumerated() {
                lines.append("    \(quoted("\(box.vpc.id)-gw-\(number)")) [shape=ellipse, label=\(quoted(gateway))];")
            }
            lines.append("  }")
        }
        for peering in snapshot.peeringConnections.values.sorted(by: { $0.id < $1.id }) {
            let style = peering.isActive ? "solid" : "dashed"
            lines.append(
                "  \(quoted(peering.requester.vpcID)) -- \(quoted(peering.accepter.vpcID)) [label=\(quoted("\(index.label(peering.id)) (\(peering.status))")), style=\(style)];"
            )
        }
        for gateway in snapshot.transitGateways.values.sorted(by: { $0.id < $1.id }) {
            lines.append("  \(quoted(gateway.id)) [shape=hexagon, label=\(quoted(index.label(gateway.id)))];")
            for attachment in snapshot.transitGatewayAttachments.values.sorted(by: { $0.id < $1.id })
            where attachment.transitGatewayID == gateway.id && attachment.kind == .vpc {
                let style = attachment.isAvailable ? "solid" : "dashed"
                let table = attachment.routeTableID.map { index.label($0) } ?? "no route table"
                lines.append(
                    "  \(quoted(attachment.resourceID)) -- \(quoted(gateway.id)) [label=\(quoted(table)), style=\(style)];"
                )
            }
        }
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }

    /// A self-contained SVG: VPCs side by side with their subnets and gateways, peering connections
    /// as lines between them (dashed when not active).
    public func svg() -> String {
        let width = 300
        let gap = 170
        let top = 40
        let rowHeight = 34
        let placed = boxes
        var bodies: [String] = []
        var heights: [Int] = []
        for (column, box) in placed.enumerated() {
            let x = 20 + column * (width + gap)
            let height = 60 + (box.subnets.count + box.gateways.count) * rowHeight + 10
            heights.append(height)
            bodies.append(#"<rect x="\#(x)" y="\#(top)" width="\#(width)" height="\#(height)" rx="8" class="vpc"/>"#)
            bodies.append(
                #"<text x="\#(x + 12)" y="\#(top + 22)" class="title">\#(HTMLEscaping.escape(index.label(box.vpc.id)))</text>"#
            )
            bodies.append(
                #"<text x="\#(x + 12)" y="\#(top + 40)" class="note">\#(HTMLEscaping.escape(box.vpc.cidrBlocks.map(\.description).joined(separator: ", ")))</text>"#
            )
            for (row, subnet) in box.subnets.enumerated() {
                let y = top + 52 + row * rowHeight
                bodies.append(
                    #"<rect x="\#(x + 10)" y="\#(y)" width="\#(width - 20)" height="\#(rowHeight - 6)" rx="5" class="subnet"/>"#
                )
                bodies.append(
                    #"<text x="\#(x + 18)" y="\#(y + 18)">\#(HTMLEscaping.escape("\(subnet.tags.name ?? subnet.id)  \(subnet.cidrBlock)"))</text>"#
                )
            }
            for (row, gateway) in box.gateways.enumerated() {
                let y = top + 52 + (box.subnets.count + row) * rowHeight
                bodies.append(
                    #"<rect x="\#(x + 10)" y="\#(y)" width="\#(width - 20)" height="\#(rowHeight - 6)" rx="14" class="gateway"/>"#
                )
                bodies.append(#"<text x="\#(x + 18)" y="\#(y + 18)">\#(HTMLEscaping.escape(gateway))</text>"#)
            }
        }
        let columns = Dictionary(placed.enumerated().map { ($1.vpc.id, $0) }, uniquingKeysWith: { a, _ in a })
        var links: [String] = []
        for (number, peering) in snapshot.peeringConnections.values.sorted(by: { $0.id < $1.id }).enumerated() {
            guard let a = columns[peering.requester.vpcID], let b = columns[peering.accepter.vpcID] else { continue }
            let (left, right) = (min(a, b), max(a, b))
            let y = top + 62 + number * 18
            let x1 = 20 + left * (width + gap) + width
            let x2 = 20 + right * (width + gap)
            let path =
                right - left == 1
                ? "M \(x1) \(y) L \(x2) \(y)"
                : "M \(x1 - width / 2) \(top) C \(x1 - width / 2) \(top - 30 - number * 6), \(x2 + width / 2) \(top - 30 - number * 6), \(x2 + width / 2) \(top)"
            links.append(#"<path d="\#(path)" class="\#(peering.isActive ? "peering" : "peering inactive")"/>"#)
            links.append(
                #"<text x="\#((x1 + x2) / 2)" y="\#(y - 5)" text-anchor="middle" class="note">\#(HTMLEscaping.escape(peering.tags.name ?? peering.id))</text>"#
            )
            links.append(
                #"<text x="\#((x1 + x2) / 2)" y="\#(y + 13)" text-anchor="middle" class="note">\#(HTMLEscaping.escape(peering.status.description))</text>"#
            )
        }
        let totalWidth = max(width + 40, 20 + placed.count * (width + gap))
        let totalHeight = top + (heights.max() ?? 60) + 20
        let style = """
            <style>.vpc{fill:#f4f7fb;stroke:#3b6ea5;stroke-width:1.5}.subnet{fill:#fff;stroke:#8aa9c9}.gateway{fill:#fff7e6;stroke:#c98a1a}\
            .peering{stroke:#2f8f46;stroke-width:2.5;fill:none}.inactive{stroke:#b33;stroke-dasharray:6 4}\
            text{font:12px sans-serif;fill:#1b1b1b}.title{font-weight:bold;font-size:13px}.note{fill:#555;font-size:11px}</style>
            """
        return
            #"<svg xmlns="http://www.w3.org/2000/svg" width="\#(totalWidth)" height="\#(totalHeight)" viewBox="0 0 \#(totalWidth) \#(totalHeight)" role="img" aria-label="VPCs, subnets, gateways and peering connections">"#
            + style + (bodies + links).joined() + "</svg>"
    }
}

/// Escaping for HTML and XML text and attribute values.
public enum HTMLEscaping {
    /// `&`, `<`, `>`, `"` and `'` as entities.
    public static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.count)
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.append(character)
            }
        }
        return result
    }
}
