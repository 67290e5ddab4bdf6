/// An IPv4 CIDR block such as `10.0.0.0/16`, always stored in canonical form (host bits zero).
///
///     CIDRBlock("10.0.1.0/24")?.contains(IPv4Address("10.0.1.7")!)  // true
public struct CIDRBlock: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The first address of the block.
    public let network: IPv4Address
    /// The number of leading bits that are fixed, 0...32.
    public let prefixLength: Int

    /// Creates a block from any address inside it; host bits are cleared.
    public init(network: IPv4Address, prefixLength: Int) {
        precondition((0...32).contains(prefixLength), "prefix length out of range")
        self.prefixLength = prefixLength
        self.network = IPv4Address(network.value & CIDRBlock.mask(prefixLength))
    }

    /// Parses `a.b.c.d/n` (or a bare address, as a /32). Returns `nil` when malformed.
    ///
    /// Host bits that are set are cleared, as AWS does when it stores a block; use
    /// ``isCanonical(_:)`` to tell whether the text was canonical.
    ///
    /// Native strings, the common case, are parsed from their bytes without generic dispatch.
    public init?(_ text: String) {
        var text = text
        let parsed = text.withUTF8 { CIDRBlock.parse(bytes: $0) }
        guard let parsed else { return nil }
        self = parsed
    }

    /// Parses `a.b.c.d` or `a.b.c.d/n` from UTF-8 bytes: no leading zeros, a prefix of one or two digits.
    private static func parse(bytes: UnsafeBufferPointer<UInt8>) -> CIDRBlock? {
        let slash = bytes.firstIndex(of: UInt8(ascii: "/"))
        guard let value = IPv4Address.parse(utf8: bytes[..<(slash ?? bytes.count)]) else { return nil }
        let address = IPv4Address(value)
        guard let slash else { return CIDRBlock(network: address, prefixLength: 32) }
        let length = bytes[(slash + 1)...]
        guard (1...2).contains(length.count),
            length.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) })
        else { return nil }
        let prefix = length.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
        guard prefix <= 32 else { return nil }
        return CIDRBlock(network: address, prefixLength: prefix)
    }

    /// Parses `a.b.c.d/n` (or a bare address) from any string-like text, like ``init(_:)-(String)``.
    public init?(_ text: some StringProtocol) {
        guard let slash = text.firstIndex(of: "/") else {
            guard let address = IPv4Address(text) else { return nil }
            self.init(network: address, prefixLength: 32)
            return
        }
        guard let address = IPv4Address(text[..<slash]) else { return nil }
        let lengthText = text[text.index(after: slash)...]
        guard !lengthText.isEmpty, lengthText.utf8.count <= 2,
            lengthText.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
            let length = Int(lengthText), (0...32).contains(length)
        else { return nil }
        self.init(network: address, prefixLength: length)
    }

    /// Whether `text` names a block with its host bits already zero.
    public static func isCanonical(_ text: some StringProtocol) -> Bool {
        guard let block = CIDRBlock(text) else { return false }
        let address = text.split(separator: "/")[0]
        return IPv4Address(address) == block.network
    }

    /// The netmask for a prefix length, e.g. `0xFFFFFF00` for 24.
    static func mask(_ prefixLength: Int) -> UInt32 {
        prefixLength == 0 ? 0 : UInt32.max << UInt32(32 - prefixLength)
    }

    /// The first address of the block.
    public var first: UInt32 { network.value }
    /// The last address of the block.
    public var last: UInt32 { network.value | ~CIDRBlock.mask(prefixLength) }
    /// The block as a closed range of 32-bit addresses.
    public var range: ClosedRange<UInt32> { first...last }

    /// Whether `address` lies inside the block.
    public func contains(_ address: IPv4Address) -> Bool {
        range.contains(address.value)
    }

    /// Whether `other` lies entirely inside this block.
    public func contains(_ other: CIDRBlock) -> Bool {
        first <= other.first && other.last <= last
    }

    /// Whether the two blocks share at least one address.
    public func overlaps(_ other: CIDRBlock) -> Bool {
        first <= other.last && other.first <= last
    }

    public var description: String { "\(network)/\(prefixLength)" }

    public static func < (lhs: CIDRBlock, rhs: CIDRBlock) -> Bool {
        (lhs.first, lhs.prefixLength) < (rhs.first, rhs.prefixLength)
    }

    /// The whole IPv4 space, `0.0.0.0/0`.
    public static let all = CIDRBlock(network: IPv4Address(0), prefixLength: 0)
}
