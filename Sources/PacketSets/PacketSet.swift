/// A set of packet headers, stored as a union of pairwise-disjoint ``PacketCube``s.
///
///     let web = PacketSet.all.restricting(.ipProtocol, to: 6...6)
///         .restricting(.destinationPort, to: 80...443)
///     web.intersection(.all.restricting(.sourceAddress, to: CIDRBlock("10.0.0.0/8")!.range))
///
/// Equality is structural; use ``isEquivalent(to:)`` to compare the packets two sets contain.
public struct PacketSet: Hashable, Sendable {
    /// The cubes, pairwise disjoint.
    public private(set) var cubes: [PacketCube]

    /// The empty set.
    public static let empty = PacketSet(cubes: [])
    /// The set of every packet.
    public static let all = PacketSet(cubes: [.all])

    private init(cubes: [PacketCube]) {
        self.cubes = cubes
    }

    /// A set holding exactly one cube.
    public init(_ cube: PacketCube) {
        cubes = [cube]
    }

    /// A set built from ranges per field; fields not named are unconstrained.
    ///
    /// A field given an empty interval set makes the whole set empty.
    public init(_ constraints: [PacketField: IntervalSet]) {
        var result = [PacketCube.all]
        for field in PacketField.allCases {
            guard let values = constraints[field] else { continue }
            result = result.flatMap { cube in
                values.ranges.map { range in
                    var copy = cube
                    copy[field] = range
                    return copy
                }
            }
        }
        cubes = result
    }

    /// Whether the set holds no packet.
    public var isEmpty: Bool { cubes.isEmpty }

    /// Whether the set holds `packet`.
    public func contains(_ packet: Packet) -> Bool {
        cubes.contains { $0.contains(packet) }
    }

    /// This set with `field` restricted to `range`.
    public func restricting(_ field: PacketField, to range: ClosedRange<UInt32>) -> PacketSet {
        restricting(field, to: IntervalSet(range))
    }

    /// This set with `field` restricted to `values`.
    public func restricting(_ field: PacketField, to values: IntervalSet) -> PacketSet {
        var result: [PacketCube] = []
        for cube in cubes {
            let range = cube[field]
            for value in values.ranges
            where value.upperBound >= range.lowerBound && value.lowerBound <= range.upperBound {
                var copy = cube
                copy[field] = max(value.lowerBound, range.lowerBound)...min(value.upperBound, range.upperBound)
                result.append(copy)
            }
        }
        return PacketSet(cubes: result).coalesced()
    }

    /// The packets in both sets.
    ///
    /// - Complexity: O(*n*·*m*) cube intersections.
    public func intersection(_ other: PacketSet) -> PacketSet {
        if isEmpty || other.isEmpty { return .empty }
        var result: [PacketCube] = []
        for a in cubes {
            for b in other.cubes {
                if let overlap = a.intersection(b) { result.append(overlap) }
            }
        }
        return PacketSet(cubes: result).coalesced()
    }

    /// The packets of this set that are not in `other`.
    public func subtracting(_ other: PacketSet) -> PacketSet {
        if isEmpty || other.isEmpty { return self }
        var remaining = cubes
        for cut in other.cubes {
            remaining = remaining.flatMap { $0.subtracting(cut) }
            if remaining.isEmpty { break }
        }
        return PacketSet(cubes: remaining).coalesced()
    }

    /// The packets in either set.
    public func union(_ other: PacketSet) -> PacketSet {
        if other.isEmpty { return self }
        if isEmpty { return other }
        return PacketSet(cubes: cubes + other.subtracting(self).cubes).coalesced()
    }

    /// Adds the packets of `other`.
    public mutating func formUnion(_ other: PacketSet) {
        self = union(other)
    }

    /// Whether every packet of this set is in `other`.
    public func isSubset(of other: PacketSet) -> Bool {
        subtracting(other).isEmpty
    }

    /// Whether both sets hold the same packets.
    public func isEquivalent(to other: PacketSet) -> Bool {
        isSubset(of: other) && other.isSubset(of: self)
    }

    /// The values `field` takes across the set.
    public func values(of field: PacketField) -> IntervalSet {
        IntervalSet(cubes.map { $0[field] })
    }

    /// The set with the two addresses swapped and the two ports swapped: the replies' headers.
    public func swappingEndpoints() -> PacketSet {
        PacketSet(
            cubes: cubes.map { cube in
                var swapped = cube
                swapped[.sourceAddress] = cube[.destinationAddress]
                swapped[.destinationAddress] = cube[.sourceAddress]
                swapped[.sourcePort] = cube[.destinationPort]
                swapped[.destinationPort] = cube[.sourcePort]
                return swapped
            })
    }

    /// Merges cubes that differ in one field only and touch there, until none do.
    ///
    /// Keeps sets small; never changes which packets the set holds.
    private func coalesced() -> PacketSet {
        var result = cubes
        var merged = true
        while merged && result.count > 1 {
            merged = false
            outer: for i in result.indices {
                for j in result.indices where j > i {
                    if let union = PacketSet.merge(result[i], result[j]) {
                        result[i] = union
                        result.remove(at: j)
                        merged = true
                        break outer
                    }
                }
            }
        }
        return PacketSet(cubes: result)
    }

    private static func merge(_ a: PacketCube, _ b: PacketCube) -> PacketCube? {
        var differing: PacketField?
        for field in PacketField.allCases where a[field] != b[field] {
            guard differing == nil else { return nil }
            differing = field
        }
        guard let field = differing else { return a }
        let (low, high) = a[field].lowerBound <= b[field].lowerBound ? (a[field], b[field]) : (b[field], a[field])
        guard low.upperBound == UInt32.max || high.lowerBound <= low.upperBound + 1 else { return nil }
        var result = a
        result[field] = low.lowerBound...max(low.upperBound, high.upperBound)
        return result
    }
}

extension PacketSet {
    /// Applies `transform` to every cube and returns the union of the results.
    ///
    /// The transform may map cubes onto overlapping cubes; the result is normalised.
    public func transformed(_ transform: (inout PacketCube) -> Void) -> PacketSet {
        cubes.reduce(PacketSet.empty) { result, cube in
            var copy = cube
            transform(&copy)
            return result.union(PacketSet(copy))
        }
    }

    /// The set with `fields` unconstrained: every packet that agrees with a member on the other fields.
    public func widening(_ fields: [PacketField]) -> PacketSet {
        transformed { cube in
            for field in fields { cube[field] = field.universe }
        }
    }
}
