import PacketSets

/// Formats address sets as CIDR blocks where they align, else as ranges.
enum AddressText {
    static func blocks(_ range: ClosedRange<UInt32>) -> [CIDRBlock] {
        var result: [CIDRBlock] = []
        var start = UInt64(range.lowerBound)
        let end = UInt64(range.upperBound)
        while start <= end {
            var length = 32
            while length > 0 {
                let size = UInt64(1) << UInt64(32 - (length - 1))
                guard start % size == 0, start + size - 1 <= end else { break }
                length -= 1
            }
            result.append(CIDRBlock(network: IPv4Address(UInt32(start)), prefixLength: length))
            start += UInt64(1) << UInt64(32 - length)
        }
        return result
    }

    /// `10.0.1.0/24`, `10.0.1.5`, or `10.0.1.4-10.0.1.254` when a range needs more than four blocks.
    static func describe(_ set: IntervalSet) -> [String] {
        set.ranges.flatMap { range -> [String] in
            let pieces = blocks(range)
            if pieces.count <= 4 {
                return pieces.map { $0.prefixLength == 32 ? $0.network.description : $0.description }
            }
            return ["\(IPv4Address(range.lowerBound))-\(IPv4Address(range.upperBound))"]
        }
    }
}
