/// Renders an ``AuditReport`` as one self-contained HTML page: inline CSS and script, an inline SVG
/// diagram, collapsible sections, a filter box; every value from the snapshot escaped.
public enum AuditHTMLRenderer {
    /// The page.
    ///
    /// - Parameter diagram: the inline SVG of the network (``NetworkDiagram/svg()``).
    public static func render(_ report: AuditReport, diagram: String) -> String {
        var page = Page()
        page.raw(
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        )
        page.raw("<title>vpcreach report: \(e(report.snapshot))</title>\n<style>\(css)</style>\n</head>\n<body>\n")
        page.raw("<header><h1>Network reachability report</h1>")
        page.raw(
            "<p class=\"meta\">Snapshot <code>\(e(report.snapshot))</code>, generated \(e(report.generatedAt)) by vpcreach, offline from AWS CLI exports.</p>"
        )
        let counts = Finding.Severity.allCases.map { severity in
            (severity, report.findings.filter { $0.severity == severity }.count)
        }
        page.raw(
            "<p class=\"summary\">"
                + counts.map { "<span class=\"badge \($0.0.rawValue)\">\($0.1) \($0.0.rawValue)</span>" }.joined(
                    separator: " ") + "</p>")
        page.raw(
            "<p class=\"filter\"><label>Filter every table: <input id=\"filter\" type=\"search\" placeholder=\"id, name, port, rule…\" autocomplete=\"off\"></label></p></header>\n<main>\n"
        )

        page.section("Findings", open: true) { page in
            page.table(
                ["severity", "rule", "finding", "evidence", "remediation"],
                report.findings.map { finding in
                    [
                        Cell(
                            html:
                                "<span class=\"badge \(finding.severity.rawValue)\">\(finding.severity.rawValue)</span>"
                        ), Cell(html: "<code>\(e(finding.rule))</code>"), Cell(finding.title),
                        Cell(lines: finding.evidence + finding.sources.map(\.description)), Cell(finding.remediation),
                    ]
                })
        }
        page.section("Network diagram", open: true) { page in
            page.raw("<div class=\"diagram\">\(diagram)</div>")
        }
        page.section("Sensitive services", open: true) { page in
            for port in report.sensitivePorts {
                page.raw(
                    "<h3>\(e(port.service)) (tcp \(port.port)): \(port.destinations.count) reachable destination(s)</h3>"
                )
                page.table(
                    ["destination", "role", "sources (role in subnet: members)", "matching inbound rules"],
                    port.destinations.map { destination in
                        [
                            Cell(destination.label), Cell(destination.role),
                            Cell(
                                lines: destination.sources.map { "\($0.group): \($0.members.joined(separator: ", "))" }
                                    + (destination.undecided.isEmpty
                                        ? []
                                        : [
                                            "undecided (the snapshot cannot tell): \(destination.undecided.joined(separator: ", "))"
                                        ])),
                            Cell(lines: destination.rules),
                        ]
                    })
            }
        }
        page.section("Internet exposure", open: true) { page in
            page.table(
                ["interface", "public address", "traffic from the internet", "from", "admitted by"],
                report.internetExposure.map { item in
                    [
                        Cell(item.label), Cell(item.publicAddresses.joined(separator: ", ")), Cell(item.trafficText),
                        Cell(lines: item.from), Cell(lines: item.rules),
                    ]
                })
        }
        page.section("Connectivity between VPCs", open: true) { page in
            page.table(
                ["peering", "status", "requester", "accepter", "remote DNS", "routes", "narrow"],
                report.peerings.map { peering in
                    [
                        Cell(peering.id + (peering.name.map { " (\($0))" } ?? "")), Cell(peering.status.description),
                        Cell(lines: [peering.requesterVPC] + peering.requesterCIDRs),
                        Cell(lines: [peering.accepterVPC] + peering.accepterCIDRs),
                        Cell(
                            "requester \(flag(peering.requesterRemoteDNS)), accepter \(flag(peering.accepterRemoteDNS))"
                        ), Cell(lines: peering.routes),
                        Cell(peering.narrow ? "yes" : "no: whole-VPC or 0.0.0.0/0 routes"),
                    ]
                })
        }
        if let gateways = report.transitGateways {
            page.section("Transit gateways", open: true) { page in
                page.table(
                    ["transit gateway", "route table", "associated attachments", "routes"],
                    gateways.flatMap { gateway in
                        let title = gateway.id + (gateway.name.map { " (\($0))" } ?? "")
                        let header = [
                            Cell(
                                lines: [title, gateway.state]
                                    + (gateway.securityGroupReferencing ? ["SG referencing"] : [])),
                            Cell("(attachments)"), Cell(lines: gateway.attachments), Cell(""),
                        ]
                        return [header]
                            + gateway.routeTables.map { table in
                                [
                                    Cell(title), Cell(table.id + (table.name.map { " (\($0))" } ?? "")),
                                    Cell(lines: table.associations),
                                    Cell(lines: table.routes + (table.complete ? [] : ["(routes not all exported)"])),
                                ]
                            }
                    })
            }
        }
        page.section("DNS", open: true) { page in
            page.table(
                ["zone", "name", "private", "associated VPCs", "records"],
                report.dns.zones.map { zone in
                    [
                        Cell(zone.id), Cell(zone.name), Cell(zone.isPrivate ? "yes" : "no"),
                        Cell(lines: zone.vpcs ?? ["(not exported)"]),
                        Cell(zone.records.map(String.init) ?? "(not exported)"),
                    ]
                })
            page.list("Names that do not resolve from VPCs that use them", report.dns.unresolved)
            page.list(
                "VPCs with private zones but DNS attributes off or not exported", report.dns.vpcsMissingAttributes)
        }
        if let policy = report.policy {
            page.section(
                "Policy \(policy.policy): \(policy.passed) passed, \(policy.failed) failed, \(policy.errors) undecided",
                open: true
            ) { page in
                page.table(
                    ["result", "assertion", "kind", "line", "summary", "details"],
                    policy.results.map { result in
                        [
                            Cell(
                                html:
                                    "<span class=\"badge \(result.status == .pass ? "pass" : (result.status == .fail ? "high" : "medium"))\">\(result.status.rawValue)</span>"
                            ),
                            Cell(result.id), Cell(result.kind), Cell(String(result.line)), Cell(result.summary),
                            Cell(lines: result.details),
                        ]
                    })
            }
        }
        if let diff = report.diff {
            page.section("Changes since \(diff.base)", open: true) { page in
                page.table(
                    ["change", "source role", "destination role", "traffic", "pairs", "causes"],
                    diff.flows.map { flow in
                        [
                            Cell(flow.change), Cell(flow.sourceRole), Cell(flow.destinationRole),
                            Cell(flow.trafficText), Cell(lines: flow.pairs), Cell(lines: flow.causes),
                        ]
                    }
                        + diff.routing.map { change in
                            [
                                Cell("routes changed"), Cell(change.role), Cell(""), Cell(""), Cell(""),
                                Cell(lines: change.added.map { "+ \($0)" } + change.removed.map { "- \($0)" }),
                            ]
                        }
                        + diff.layers.map { layer in
                            [
                                Cell("layers changed"), Cell(layer.sourceRole), Cell(layer.destinationRole),
                                Cell("(same reachability)"), Cell(lines: layer.pairs),
                                Cell(lines: [
                                    "before: " + layer.before.joined(separator: ", "),
                                    "now: " + layer.after.joined(separator: ", "),
                                ]),
                            ]
                        }
                        + diff.dns.map { change in
                            [
                                Cell("DNS changed"), Cell("clients in \(change.vpc)"), Cell(change.name),
                                Cell("\(change.before) → \(change.after)"), Cell(""),
                                Cell(
                                    lines: change.destinationsAdded.map { "now reach \($0)" }
                                        + change.destinationsRemoved.map { "no longer reach \($0)" }),
                            ]
                        })
            }
        }
        page.section("Inventory", open: false) { page in
            let inventory = report.inventory
            page.raw(
                "<p>Accounts: \(e(inventory.accounts.joined(separator: ", "))); regions: \(e(inventory.regions.joined(separator: ", "))).</p>"
            )
            page.table(
                ["resource", "count"],
                inventory.counts.keys.sorted().map { [Cell($0), Cell(String(inventory.counts[$0] ?? 0))] })
            page.table(
                [
                    "VPC", "account / region", "CIDR blocks", "DNS support / hostnames",
                    "subnets (route table, network ACL, interfaces)",
                ],
                inventory.vpcs.map { vpc in
                    [
                        Cell(vpc.id + (vpc.name.map { " (\($0))" } ?? "")),
                        Cell("\(vpc.account ?? "?") / \(vpc.region ?? "?")"), Cell(lines: vpc.cidrBlocks),
                        Cell("\(flag(vpc.dnsSupport)) / \(flag(vpc.dnsHostnames))"),
                        Cell(
                            lines: vpc.subnets.map {
                                "\($0.name ?? $0.id) \($0.cidrBlock) \($0.availabilityZone ?? ""): \($0.routeTable ?? "?") (\($0.routeTableAssociation)), \($0.networkACL ?? "?"), \($0.interfaces) interface(s)"
                            }),
                    ]
                })
            page.table(
                ["interface kind", "count"],
                inventory.interfaceKinds.keys.sorted().map {
                    [Cell($0), Cell(String(inventory.interfaceKinds[$0] ?? 0))]
                })
            page.table(
                ["interface", "kind", "owner", "subnet", "addresses", "security groups"],
                inventory.interfaces.map { row in
                    [
                        Cell(row.id + (row.name.map { " (\($0))" } ?? "")), Cell(row.kind), Cell(row.owner ?? ""),
                        Cell(row.subnet),
                        Cell(lines: row.privateAddresses + row.publicAddresses.map { "public \($0)" }),
                        Cell(lines: row.securityGroups),
                    ]
                })
            page.table(
                ["ECS service", "subnets", "security groups", "running tasks"],
                inventory.ecsServices.map { service in
                    [
                        Cell("\(service.cluster)/\(service.name)"), Cell(lines: service.subnets),
                        Cell(lines: service.securityGroups), Cell(String(service.runningTasks)),
                    ]
                })
            page.list(
                "Snapshot diagnostics",
                inventory.diagnostics.map {
                    "\($0.severity.rawValue): \($0.location.map { "\($0): " } ?? "")\($0.message)"
                })
        }
        page.raw("</main>\n<script>\(script)</script>\n</body>\n</html>\n")
        return page.text
    }

    static func e(_ text: String) -> String { HTMLEscaping.escape(text) }

    static func flag(_ value: Bool?) -> String {
        value.map { $0 ? "on" : "off" } ?? "not exported"
    }

    struct Cell {
        var html: String

        init(_ text: String) { html = HTMLEscaping.escape(text) }
        init(lines: [String]) { html = lines.map(HTMLEscaping.escape).joined(separator: "<br>") }
        init(html: String) { self.html = html }
    }

    struct Page {
        var text = ""

        mutating func raw(_ html: String) { text += html }

        mutating func section(_ title: String, open: Bool, _ body: (inout Page) -> Void) {
            text +=
                "<details class=\"section\"\(open ? " open" : "")><summary><h2>\(HTMLEscaping.escape(title))</h2></summary>\n"
            body(&self)
            text += "</details>\n"
        }

        mutating func table(_ headers: [String], _ rows: [[Cell]]) {
            guard !rows.isEmpty else {
                text += "<p class=\"empty\">None.</p>\n"
                return
            }
            text +=
                "<table><thead><tr>" + headers.map { "<th>\(HTMLEscaping.escape($0))</th>" }.joined()
                + "</tr></thead><tbody>\n"
            for row in rows {
                text += "<tr data-row>" + row.map { "<td>\($0.html)</td>" }.joined() + "</tr>\n"
            }
            text += "</tbody></table>\n"
        }

        mutating func list(_ title: String, _ items: [String]) {
            text += "<h3>\(HTMLEscaping.escape(title))</h3>"
            guard !items.isEmpty else {
                text += "<p class=\"empty\">None.</p>\n"
                return
            }
            text += "<ul>" + items.map { "<li data-row>\(HTMLEscaping.escape($0))</li>" }.joined() + "</ul>\n"
        }
    }

    static let css = """
        body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;color:#1b1b1b;margin:0;background:#fff}\
        header{padding:16px 24px;border-bottom:1px solid #d8dee6;background:#f6f8fa}main{padding:8px 24px 32px}\
        h1{margin:0 0 4px;font-size:22px}h2{display:inline;font-size:18px;margin:0}h3{font-size:15px;margin:18px 0 6px}\
        .meta{margin:0;color:#555}.summary{margin:8px 0}details.section{margin:14px 0;border:1px solid #d8dee6;border-radius:6px;padding:8px 12px}\
        summary{cursor:pointer}table{border-collapse:collapse;width:100%;margin:8px 0;font-size:13px}\
        th,td{border:1px solid #d8dee6;padding:4px 6px;text-align:left;vertical-align:top;overflow-wrap:break-word}th{background:#eef2f6}\
        tr:nth-child(even) td{background:#fafbfc}code{font-size:13px}.empty{color:#777;font-style:italic}\
        .badge{display:inline-block;white-space:nowrap;padding:1px 7px;border-radius:9px;font-size:12px;font-weight:600;background:#e6e6e6}\
        .badge.high{background:#fbd5d5;color:#8a1010}.badge.medium{background:#fde9c8;color:#7a4b00}.badge.low{background:#e3eefc;color:#124a8a}\
        .badge.info{background:#ececec;color:#444}.badge.pass{background:#d6f3dc;color:#12602a}\
        .diagram{overflow-x:auto}input[type=search]{font:inherit;padding:3px 6px;width:320px}\
        @media print{.filter{display:none}details.section{border:none;padding:0}details>summary{list-style:none}tr{break-inside:avoid}}
        """

    static let script = """
        (function(){var box=document.getElementById('filter');if(!box){return;}\
        box.addEventListener('input',function(){var q=box.value.toLowerCase();\
        document.querySelectorAll('[data-row]').forEach(function(row){row.style.display=row.textContent.toLowerCase().indexOf(q)>=0?'':'none';});});\
        window.addEventListener('beforeprint',function(){document.querySelectorAll('details').forEach(function(d){d.open=true;});});})();
        """
}
