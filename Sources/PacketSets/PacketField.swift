/// The header fields a packet set constrains.
///
/// For ICMP, ``sourcePort`` carries nothing and ``destinationPort`` carries `type << 8 | code`, so
/// that ICMP type and code ranges are intervals like ports.
public enum PacketField: Int, CaseIterable, Sendable {
    case sourceAddress, destinationAddress, ipProtocol, sourcePort, destinationPort

    /// The full range of values the field can take.
    public var universe: ClosedRange<UInt32> {
        switch self {
        case .sourceAddress, .destinationAddress: 0...UInt32.max
        case .ipProtocol: 0...255
        case .sourcePort, .destinationPort: 0...65535
        }
    }
}

/// One concrete packet header: the point a ``PacketSet`` contains or not.
public struct Packet: Hashable, Sendable {
    /// The values in ``PacketField`` order.
    public var fields: [UInt32]

    /// Creates a packet from its five fields.
    public init(
        source: IPv4Address, destination: IPv4Address, ipProtocol: UInt8, sourcePort: UInt16,
        destinationPort: UInt16
    ) {
        fields = [source.value, destination.value, UInt32(ipProtocol), UInt32(sourcePort), UInt32(destinationPort)]
    }

    /// The value of one field.
    public subscript(field: PacketField) -> UInt32 { fields[field.rawValue] }
}
