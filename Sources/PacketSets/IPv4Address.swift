/// An IPv4 address as a 32-bit number.
///
///     IPv4Address("10.0.1.5")?.description  // "10.0.1.5"
public struct IPv4Address: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The address as a big-endian-ordered 32-bit number (`10.0.0.1` is `0x0A000001`).
    public let value: UInt32

    /// Creates an address from its 32-bit value.
    public init(_ value: UInt32) {
        self.value = value
    }

    /// Parses dotted-quad notation; returns `nil` for anything else (no leading zeros, no spaces).
    public init?(_ text: some StringProtocol) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var value: UInt32 = 0
        for part in parts {
            guard !part.isEmpty, part.count <= 3, part.allSatisfy(\.isASCII),
                part.allSatisfy(\.isNumber), let octet = UInt32(part), octet <= 255,
                part.count == 1 || part.first != "0"
            else { return nil }
            value = value << 8 | octet
        }
        self.value = value
    }

    public var description: String {
        "\(value >> 24).\(value >> 16 & 0xFF).\(value >> 8 & 0xFF).\(value & 0xFF)"
    }

    public static func < (lhs: IPv4Address, rhs: IPv4Address) -> Bool {
        lhs.value < rhs.value
    }
}
