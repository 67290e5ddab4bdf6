/// A box of packets: one closed range per ``PacketField``.
///
/// The building block of ``PacketSet``, after header space analysis (Kazemian et al., NSDI '12).
public struct PacketCube: Hashable, Sendable {
    /// The ranges in ``PacketField`` order.
    public private(set) var ranges: [ClosedRange<UInt32>]

    /// The cube of every packet.
    public static let all = PacketCube(ranges: PacketField.allCases.map(\.universe))

    /// Creates a cube from one range per field, in ``PacketField`` order.
    init(ranges: [ClosedRange<UInt32>]) {
        precondition(ranges.count == PacketField.allCases.count)
        self.ranges = ranges
    }

    /// The range of one field.
    public subscript(field: PacketField) -> ClosedRange<UInt32> {
        get { ranges[field.rawValue] }
        set { ranges[field.rawValue] = newValue }
    }

    /// Whether the cube holds `packet`.
    public func contains(_ packet: Packet) -> Bool {
        zip(ranges, packet.fields).allSatisfy { $0.contains($1) }
    }

    /// The packets in both cubes, or `nil` when none.
    public func intersection(_ other: PacketCube) -> PacketCube? {
        var result = ranges
        for index in result.indices {
            let low = max(ranges[index].lowerBound, other.ranges[index].lowerBound)
            let high = min(ranges[index].upperBound, other.ranges[index].upperBound)
            guard low <= high else { return nil }
            result[index] = low...high
        }
        return PacketCube(ranges: result)
    }

    /// Whether every packet of this cube is in `other`.
    public func isSubset(of other: PacketCube) -> Bool {
        zip(ranges, other.ranges).allSatisfy { $1.lowerBound <= $0.lowerBound && $0.upperBound <= $1.upperBound }
    }

    /// The packets of this cube that are not in `other`, as disjoint cubes (at most two per field).
    public func subtracting(_ other: PacketCube) -> [PacketCube] {
        guard let overlap = intersection(other) else { return [self] }
        var pieces: [PacketCube] = []
        var rest = self
        for index in ranges.indices {
            let range = rest.ranges[index]
            let cut = overlap.ranges[index]
            if range.lowerBound < cut.lowerBound {
                var below = rest
                below.ranges[index] = range.lowerBound...(cut.lowerBound - 1)
                pieces.append(below)
            }
            if cut.upperBound < range.upperBound {
                var above = rest
                above.ranges[index] = (cut.upperBound + 1)...range.upperBound
                pieces.append(above)
            }
            rest.ranges[index] = cut
        }
        return pieces
    }
}
