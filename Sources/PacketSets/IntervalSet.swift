/// A set of 32-bit values stored as sorted, disjoint, non-adjacent closed ranges.
///
///     var ports = IntervalSet(5432...5432)
///     ports.formUnion(IntervalSet(5433...5440))  // 5432...5440
public struct IntervalSet: Hashable, Sendable, CustomStringConvertible {
    /// The ranges, sorted, pairwise disjoint and never adjacent.
    public private(set) var ranges: [ClosedRange<UInt32>]

    /// The empty set.
    public init() {
        ranges = []
    }

    /// A set holding one range.
    public init(_ range: ClosedRange<UInt32>) {
        ranges = [range]
    }

    /// A set holding the union of `ranges`, in any order and possibly overlapping.
    public init(_ ranges: some Sequence<ClosedRange<UInt32>>) {
        self.ranges = IntervalSet.normalized(Array(ranges))
    }

    /// Whether the set is empty.
    public var isEmpty: Bool { ranges.isEmpty }

    /// The number of values in the set.
    public var count: UInt64 {
        ranges.reduce(0) { $0 + UInt64($1.upperBound - $1.lowerBound) + 1 }
    }

    /// Whether `value` is in the set.
    public func contains(_ value: UInt32) -> Bool {
        var low = 0
        var high = ranges.count - 1
        while low <= high {
            let middle = (low + high) / 2
            if ranges[middle].upperBound < value {
                low = middle + 1
            } else if ranges[middle].lowerBound > value {
                high = middle - 1
            } else {
                return true
            }
        }
        return false
    }

    /// The values in either set.
    ///
    /// - Complexity: O(*n* + *m*): a merge of the two sorted range lists.
    public func union(_ other: IntervalSet) -> IntervalSet {
        if other.ranges.isEmpty { return self }
        if ranges.isEmpty { return other }
        var result: [ClosedRange<UInt32>] = []
        result.reserveCapacity(ranges.count + other.ranges.count)
        var i = 0
        var j = 0
        while i < ranges.count || j < other.ranges.count {
            let next: ClosedRange<UInt32>
            if j == other.ranges.count || (i < ranges.count && ranges[i].lowerBound <= other.ranges[j].lowerBound) {
                next = ranges[i]
                i += 1
            } else {
                next = other.ranges[j]
                j += 1
            }
            if let last = result.last, last.upperBound == UInt32.max || next.lowerBound <= last.upperBound + 1 {
                result[result.count - 1] = last.lowerBound...max(last.upperBound, next.upperBound)
            } else {
                result.append(next)
            }
        }
        var set = IntervalSet()
        set.ranges = result
        return set
    }

    /// Adds the values of `other`.
    public mutating func formUnion(_ other: IntervalSet) {
        self = union(other)
    }

    /// The values in both sets.
    public func intersection(_ other: IntervalSet) -> IntervalSet {
        var result: [ClosedRange<UInt32>] = []
        var i = 0
        var j = 0
        while i < ranges.count && j < other.ranges.count {
            let a = ranges[i]
            let b = other.ranges[j]
            let low = max(a.lowerBound, b.lowerBound)
            let high = min(a.upperBound, b.upperBound)
            if low <= high { result.append(low...high) }
            if a.upperBound < b.upperBound { i += 1 } else { j += 1 }
        }
        var set = IntervalSet()
        set.ranges = result
        return set
    }

    /// The values of this set that are not in `other`.
    public func subtracting(_ other: IntervalSet) -> IntervalSet {
        var result: [ClosedRange<UInt32>] = []
        var j = 0
        for range in ranges {
            var low = range.lowerBound
            var exhausted = false
            while j < other.ranges.count && other.ranges[j].upperBound < low { j += 1 }
            var k = j
            while k < other.ranges.count && other.ranges[k].lowerBound <= range.upperBound {
                let cut = other.ranges[k]
                if cut.lowerBound > low { result.append(low...(cut.lowerBound - 1)) }
                if cut.upperBound >= range.upperBound {
                    exhausted = true
                    break
                }
                low = cut.upperBound + 1
                k += 1
            }
            if !exhausted { result.append(low...range.upperBound) }
        }
        var set = IntervalSet()
        set.ranges = result
        return set
    }

    /// Whether every value of this set is in `other`.
    public func isSubset(of other: IntervalSet) -> Bool {
        subtracting(other).isEmpty
    }

    public var description: String {
        ranges.map { $0.lowerBound == $0.upperBound ? "\($0.lowerBound)" : "\($0.lowerBound)-\($0.upperBound)" }
            .joined(separator: ",")
    }

    private static func normalized(_ input: [ClosedRange<UInt32>]) -> [ClosedRange<UInt32>] {
        let sorted = input.sorted { $0.lowerBound < $1.lowerBound }
        var result: [ClosedRange<UInt32>] = []
        for range in sorted {
            if let last = result.last, last.upperBound == UInt32.max || range.lowerBound <= last.upperBound + 1 {
                result[result.count - 1] = last.lowerBound...max(last.upperBound, range.upperBound)
            } else {
                result.append(range)
            }
        }
        return result
    }
}
