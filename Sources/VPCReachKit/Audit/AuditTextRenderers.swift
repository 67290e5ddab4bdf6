import Foundation

/// Renders an ``AuditReport`` as Markdown (for tickets) and CSV (for spreadsheets).
public enum AuditTextRenderers {
    /// Markdown with one section per part of the report.
    public static func markdown(_ report: AuditReport) -> String {
        func cell(_ text: String) -> String {
            text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
                .replacingOccurrences(of: "<", with: "&lt;")
        }
        func table(_ headers: [String], _ rows: [[String]]) -> [String] {
            guard !rows.isEmpty else { return ["None.", ""] }
            let header = "| " + headers.joined(separator: " | ") + " |"
            let rule = "|" + String(repeating: "---|", count: headers.count)
            let body: [String] = rows.map { row in "| " + row.map(cell).joined(separator: " | ") + " |" }
            return [header, rule] + body + [""]
        }
        var lines = [
            "# Network reachability report", "",
            "Snapshot `\(report.snapshot)`, generated \(report.generatedAt) by vpcreach.", "",
        ]
        lines.append(
            Finding.Severity.allCases.map { severity in
                "\(report.findings.filter { $0.severity == severity }.count) \(severity.rawValue)"
            }.joined(separator: ", ") + " finding(s).")
        lines += ["", "## Findings", ""]
        lines += table(
            ["severity", "rule", "finding", "evidence", "remediation"],
            report.findings.map {
                [$0.severity.rawValue, $0.rule, $0.title, $0.evidence.joined(separator: "; "), $0.remediation]
            })
        lines += ["## Sensitive services", ""]
        for port in report.sensitivePorts {
            lines += ["### \(port.service) (tcp \(port.port))", ""]
            lines += table(
                ["destination", "sources", "undecided", "matching inbound rules"],
                port.destinations.map { destination in
                    [
                        destination.label,
                        destination.sources.map { "\($0.group): \($0.members.joined(separator: ", "))" }.joined(
                            separator: "; "),
                        destination.undecided.joined(separator: ", "), destination.rules.joined(separator: "; "),
                    ]
                })
        }
        lines += ["## Internet exposure", ""]
        lines += table(
            ["interface", "public address", "traffic", "from"],
            report.internetExposure.map {
                [$0.label, $0.publicAddresses.joined(separator: ", "), $0.trafficText, $0.from.joined(separator: ", ")]
            })
        lines += ["## Connectivity between VPCs", ""]
        lines += table(
            ["peering", "status", "requester", "accepter", "routes", "narrow"],
            report.peerings.map {
                [
                    $0.id + ($0.name.map { " (\($0))" } ?? ""), $0.status.description, $0.requesterVPC, $0.accepterVPC,
                    $0.routes.joined(separator: "; "), $0.narrow ? "yes" : "no",
                ]
            })
        if let gateways = report.transitGateways {
            lines += ["## Transit gateways", ""]
            lines += table(
                ["transit gateway", "route table", "associated attachments", "routes"],
                gateways.flatMap { gateway in
                    gateway.routeTables.map { table in
                        [
                            gateway.id + (gateway.name.map { " (\($0))" } ?? ""),
                            table.id + (table.name.map { " (\($0))" } ?? ""),
                            table.associations.joined(separator: "; "),
                            (table.routes + (table.complete ? [] : ["(routes not all exported)"])).joined(
                                separator: "; "),
                        ]
                    }
                })
        }
        lines += ["## DNS", ""]
        lines += table(
            ["zone", "name", "private", "associated VPCs"],
            report.dns.zones.map {
                [$0.id, $0.name, $0.isPrivate ? "yes" : "no", $0.vpcs?.joined(separator: ", ") ?? "(not exported)"]
            })
        lines +=
            ["Names that do not resolve from VPCs that use them:", ""]
            + (report.dns.unresolved.isEmpty ? ["None."] : report.dns.unresolved.map { "- \(cell($0))" }) + [""]
        if let policy = report.policy {
            lines += ["## Policy `\(policy.policy)`", ""]
            lines += table(
                ["result", "assertion", "kind", "summary"],
                policy.results.map { [$0.status.rawValue, $0.id, $0.kind, $0.summary] })
        }
        if let diff = report.diff {
            lines += ["## Changes since `\(diff.base)`", ""]
            lines += table(
                ["change", "source role", "destination role", "traffic", "causes"],
                diff.flows.map {
                    [$0.change, $0.sourceRole, $0.destinationRole, $0.trafficText, $0.causes.joined(separator: "; ")]
                }
                    + diff.routing.map {
                        [
                            "routes changed", $0.role, "", "",
                            ($0.added.map { "+ \($0)" } + $0.removed.map { "- \($0)" }).joined(separator: "; "),
                        ]
                    }
                    + diff.layers.map {
                        [
                            "layers changed", $0.sourceRole, $0.destinationRole, "",
                            "before: \($0.before.joined(separator: ", ")); now: \($0.after.joined(separator: ", "))",
                        ]
                    }
                    + diff.dns.map { change in
                        [
                            "DNS changed", "clients in \(change.vpc)", change.name,
                            "\(change.before) → \(change.after)",
                            (change.destinationsAdded.map { "now reach \($0)" }
                                + change.destinationsRemoved.map { "no longer reach \($0)" }).joined(separator: "; "),
                        ]
                    })
        }
        lines += ["## Inventory", ""]
        lines += table(
            ["VPC", "CIDR blocks", "DNS support / hostnames", "subnets"],
            report.inventory.vpcs.map { vpc in
                [
                    vpc.id + (vpc.name.map { " (\($0))" } ?? ""), vpc.cidrBlocks.joined(separator: ", "),
                    "\(vpc.dnsSupport.map(String.init) ?? "?") / \(vpc.dnsHostnames.map(String.init) ?? "?")",
                    String(vpc.subnets.count),
                ]
            })
        lines += table(
            ["interface kind", "count"],
            report.inventory.interfaceKinds.keys.sorted().map {
                [$0, String(report.inventory.interfaceKinds[$0] ?? 0)]
            })
        return lines.joined(separator: "\n") + "\n"
    }

    /// CSV: one row per (section, source group, destination, protocol, ports), then one per finding.
    public static func csv(_ report: AuditReport) -> String {
        var rows = [
            ["section", "severity", "source_group", "destination", "destination_role", "protocol", "ports", "detail"]
        ]
        for port in report.sensitivePorts {
            for destination in port.destinations {
                for group in destination.sources {
                    rows.append([
                        "sensitive-port", "", group.group, destination.id, destination.role, "tcp", String(port.port),
                        destination.rules.joined(separator: "; "),
                    ])
                }
                if !destination.undecided.isEmpty {
                    rows.append([
                        "sensitive-port", "", "undecided", destination.id, destination.role, "tcp", String(port.port),
                        destination.undecided.joined(separator: "; "),
                    ])
                }
            }
        }
        for item in report.internetExposure {
            for entry in item.traffic.entries {
                rows.append([
                    "internet-exposure", "", "internet", item.id, "", protocolName(entry.protocols), entry.values,
                    item.rules.joined(separator: "; "),
                ])
            }
        }
        for finding in report.findings {
            rows.append([
                "finding", finding.severity.rawValue, "", finding.rule, "", "", "",
                ([finding.title] + finding.evidence).joined(separator: "; "),
            ])
        }
        return rows.map { $0.map { CSV.quote(inert($0)) }.joined(separator: ",") }.joined(separator: "\n") + "\n"
    }

    static func protocolName(_ protocols: String) -> String {
        ["6": "tcp", "17": "udp", "1": "icmp", "0-255": "all"][protocols] ?? protocols
    }

    /// A cell a spreadsheet will not run as a formula: a leading `=`, `+`, `-`, `@`, tab or carriage return gets a `'`.
    static func inert(_ field: String) -> String {
        guard let first = field.first, "=+-@\t\r".contains(first) else { return field }
        return "'" + field
    }
}
