/// A box of packets: one closed range per ``PacketField``.
///
/// The building block of ``PacketSet``, after header space analysis (Kazemian et al., NSDI '12).
/// The five ranges are stored inline, so cubes are plain values that never touch the heap.
public struct PacketCube: Hashable, Sendable {
    private var sourceAddress: ClosedRange<UInt32>
    private var destinationAddress: ClosedRange<UInt32>
    private var ipProtocol: ClosedRange<UInt32>
    private var sourcePort: ClosedRange<UInt32>
    private var destinationPort: ClosedRange<UInt32>

    /// The cube of every packet.
    public static let all = PacketCube(
        sourceAddress: PacketField.sourceAddress.universe, destinationAddress: PacketField.destinationAddress.universe,
        ipProtocol: PacketField.ipProtocol.universe, sourcePort: PacketField.sourcePort.universe,
        destinationPort: PacketField.destinationPort.universe)

    /// The range of one field.
    public subscript(field: PacketField) -> ClosedRange<UInt32> {
        get {
            switch field {
            case .sourceAddress: sourceAddress
            case .destinationAddress: destinationAddress
            case .ipProtocol: ipProtocol
            case .sourcePort: sourcePort
            case .destinationPort: destinationPort
            }
        }
        set {
            switch field {
            case .sourceAddress: sourceAddress = newValue
            case .destinationAddress: destinationAddress = newValue
            case .ipProtocol: ipProtocol = newValue
            case .sourcePort: sourcePort = newValue
            case .destinationPort: destinationPort = newValue
            }
        }
    }

    /// Whether the cube holds `packet`.
    public func contains(_ packet: Packet) -> Bool {
        PacketField.allCases.allSatisfy { self[$0].contains(packet[$0]) }
    }

    /// The packets in both cubes, or `nil` when none.
    public func intersection(_ other: PacketCube) -> PacketCube? {
        guard let sourceAddress = Self.overlap(sourceAddress, other.sourceAddress),
            let destinationAddress = Self.overlap(destinationAddress, other.destinationAddress),
            let ipProtocol = Self.overlap(ipProtocol, other.ipProtocol),
            let sourcePort = Self.overlap(sourcePort, other.sourcePort),
            let destinationPort = Self.overlap(destinationPort, other.destinationPort)
        else { return nil }
        return PacketCube(
            sourceAddress: sourceAddress, destinationAddress: destinationAddress, ipProtocol: ipProtocol,
            sourcePort: sourcePort,
            destinationPort: destinationPort)
    }

    private static func overlap(_ a: ClosedRange<UInt32>, _ b: ClosedRange<UInt32>) -> ClosedRange<UInt32>? {
        let low = max(a.lowerBound, b.lowerBound)
        let high = min(a.upperBound, b.upperBound)
        return low <= high ? low...high : nil
    }

    /// Whether every packet of this cube is in `other`.
    public func isSubset(of other: PacketCube) -> Bool {
        PacketField.allCases.allSatisfy {
            other[$0].lowerBound <= self[$0].lowerBound && self[$0].upperBound <= other[$0].upperBound
        }
    }

    /// The packets of this cube that are not in `other`, as disjoint cubes (at most two per field).
    public func subtracting(_ other: PacketCube) -> [PacketCube] {
        guard let overlap = intersection(other) else { return [self] }
        var pieces: [PacketCube] = []
        var rest = self
        for field in PacketField.allCases {
            let range = rest[field]
            let cut = overlap[field]
            if range.lowerBound < cut.lowerBound {
                var below = rest
                below[field] = range.lowerBound...(cut.lowerBound - 1)
                pieces.append(below)
            }
            if cut.upperBound < range.upperBound {
                var above = rest
                above[field] = (cut.upperBound + 1)...range.upperBound
                pieces.append(above)
            }
            rest[field] = cut
        }
        return pieces
    }
}
