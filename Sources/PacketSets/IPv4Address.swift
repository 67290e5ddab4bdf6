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
        guard let value = Self.parse(utf8: text.utf8) else { return nil }
        self.value = value
    }

    /// The value of dotted-quad text given as UTF-8 bytes, or `nil` when malformed.
    static func parse(utf8 bytes: some Sequence<UInt8>) -> UInt32? {
        var value: UInt32 = 0
        var octet: UInt32 = 0
        var digits = 0
        var dots = 0
        var leadingZero = false
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                guard !leadingZero, digits < 3 else { return nil }
                if digits == 0 && byte == UInt8(ascii: "0") { leadingZero = true }
                octet = octet * 10 + UInt32(byte - UInt8(ascii: "0"))
                digits += 1
            case UInt8(ascii: "."):
                guard digits > 0, octet <= 255, dots < 3 else { return nil }
                value = value << 8 | octet
                octet = 0
                digits = 0
                dots += 1
                leadingZero = false
            default:
                return nil
            }
        }
        guard dots == 3, digits > 0, octet <= 255 else { return nil }
        return value << 8 | octet
    }

    public var description: String {
        "\(value >> 24).\(value >> 16 & 0xFF).\(value >> 8 & 0xFF).\(value & 0xFF)"
    }

    public static func < (lhs: IPv4Address, rhs: IPv4Address) -> Bool {
        lhs.value < rhs.value
    }
}
