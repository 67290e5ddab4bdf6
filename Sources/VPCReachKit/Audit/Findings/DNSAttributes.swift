import PacketSets

/// VPCs associated with private zones whose DNS attributes are off or not exported.
struct DNSAttributes: FindingCheck {
    static let rules = ["VPC_DNS_ATTRIBUTES"]

    func evaluate(_ context: FindingContext) -> [Finding] {
        let (index, snapshot) = (context.index, context.snapshot)
        let associated = Set(
            snapshot.hostedZones.values.flatMap { $0.isPrivate ? ($0.vpcAssociations ?? []).map(\.vpcID) : [] })
        return associated.sorted().compactMap { id in
            guard let vpc = snapshot.vpcs[id], vpc.dnsSupport != true || vpc.dnsHostnames != true else { return nil }
            let off = vpc.dnsSupport == false || vpc.dnsHostnames == false
            return Finding(
                rule: "VPC_DNS_ATTRIBUTES", severity: off ? .medium : .info,
                title:
                    "\(index.label(id)) is associated with a private zone but enableDnsSupport/enableDnsHostnames are \(off ? "not both on" : "not exported")",
                evidence: [
                    "enableDnsSupport \(vpc.dnsSupport.map(String.init) ?? "?")",
                    "enableDnsHostnames \(vpc.dnsHostnames.map(String.init) ?? "?")",
                ],
                sources: [vpc.source],
                remediation: off
                    ? "turn both attributes on (ec2 modify-vpc-attribute)"
                    : "export describe-vpc-attribute for both attributes")
        }
    }
}
