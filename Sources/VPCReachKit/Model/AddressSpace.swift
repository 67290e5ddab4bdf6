import PacketSets

/// IPv4 address blocks with a meaning of their own on the internet (IANA special-purpose registry,
/// RFC 6890).
public enum AddressSpace {
    /// Private addresses (RFC 1918): never routed on the internet, so an internet gateway neither
    /// sends traffic to them nor accepts traffic from them.
    public static let rfc1918 = IntervalSet(
        ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"].compactMap { CIDRBlock($0)?.range })
    /// The shared address space of carrier-grade NAT (RFC 6598), treated by an internet gateway as
    /// private addresses are.
    public static let rfc6598 = IntervalSet(CIDRBlock("100.64.0.0/10")!.range)
    /// A block an internet gateway refuses (never routed on the internet), with Reachability
    /// Analyzer's codes for a destination on the way out and a source on the way in.
    public struct IGWRefusal: Sendable {
        public var block: IntervalSet
        public var name: String
        public var egressCode: ExplanationCode
        public var ingressCode: ExplanationCode
    }

    /// The blocks an internet gateway refuses.
    public static let refusedByInternetGateways = [
        IGWRefusal(
            block: rfc1918, name: "private (RFC 1918)", egressCode: .igwDestinationAddressNotInRFC1918Egress,
            ingressCode: .igwSourceAddressNotInRFC1918Ingress),
        IGWRefusal(
            block: rfc6598, name: "shared (RFC 6598)", egressCode: .igwDestinationAddressNotInRFC6598Egress,
            ingressCode: .igwSourceAddressNotInRFC6598Ingress),
    ]

    /// Every IPv4 address routed on the internet: all but the private, shared, loopback, link-local,
    /// documentation, benchmarking, multicast and other special-purpose blocks.
    public static let internet = IntervalSet(0...UInt32.max).subtracting(
        IntervalSet(
            [
                "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
                "192.0.0.0/24",
                "192.0.2.0/24", "192.88.99.0/24", "192.168.0.0/16", "198.18.0.0/15", "198.51.100.0/24",
                "203.0.113.0/24",
                "224.0.0.0/4", "240.0.0.0/4",
            ].compactMap { CIDRBlock($0)?.range }))
}
