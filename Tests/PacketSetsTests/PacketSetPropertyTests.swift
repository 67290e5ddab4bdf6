import PacketSets
import PropertyBased
import Testing

/// Property tests: the symbolic operations agree with brute-force membership over a small universe.
@Suite struct PacketSetPropertyTests {
    /// Every field takes values 0...3 in the test universe (1,024 packets).
    static let side: UInt32 = 3

    static let universe: [Packet] = {
        var packets: [Packet] = []
        for a in 0...side {
            for b in 0...side {
                for p in 0...side {
                    for s in 0...side {
                        for d in 0...side {
                            packets.append(
                                Packet(
                                    source: IPv4Address(a), destination: IPv4Address(b), ipProtocol: UInt8(p),
                                    sourcePort: UInt16(s), destinationPort: UInt16(d)))
                        }
                    }
                }
            }
        }
        return packets
    }()

    static let range = zip(Gen<UInt32>.value(in: 0...3), Gen<UInt32>.value(in: 0...3)).map { (a: UInt32, b: UInt32) in
        min(a, b)...max(a, b)
    }
    static let cube = range.array(of: 5).map { (ranges: [ClosedRange<UInt32>]) in
        PacketSet(Dictionary(uniqueKeysWithValues: zip(PacketField.allCases, ranges.map { IntervalSet($0) })))
    }
    /// A random set: the union of up to four random cubes inside the universe.
    static let set = cube.array(of: 0...4).map { (parts: [PacketSet]) in
        parts.reduce(PacketSet.empty) { $0.union($1) }
    }

    static func members(_ set: PacketSet) -> Set<Packet> {
        Set(universe.filter(set.contains))
    }

    @Test func unionIntersectionAndDifferenceMatchBruteForce() async {
        await propertyCheck(count: 200, input: Self.set, Self.set) { a, b in
            #expect(Self.members(a.union(b)) == Self.members(a).union(Self.members(b)))
            #expect(Self.members(a.intersection(b)) == Self.members(a).intersection(Self.members(b)))
            #expect(Self.members(a.subtracting(b)) == Self.members(a).subtracting(Self.members(b)))
        }
    }

    @Test func differenceIsDisjointFromSubtrahend() async {
        await propertyCheck(count: 200, input: Self.set, Self.set) { a, b in
            #expect(a.subtracting(b).intersection(b).isEmpty)
        }
    }

    @Test func operationsAreCommutativeAndDistributive() async {
        await propertyCheck(count: 150, input: Self.set, Self.set, Self.set) { a, b, c in
            #expect(a.union(b).isEquivalent(to: b.union(a)))
            #expect(a.intersection(b).isEquivalent(to: b.intersection(a)))
            #expect(a.intersection(b.union(c)).isEquivalent(to: a.intersection(b).union(a.intersection(c))))
        }
    }

    @Test func subsetAgreesWithMembership() async {
        await propertyCheck(count: 200, input: Self.set, Self.set) { a, b in
            #expect(a.isSubset(of: b) == Self.members(a).isSubset(of: Self.members(b)))
            #expect(a.intersection(b).isSubset(of: a))
        }
    }

    @Test func cubesStayPairwiseDisjoint() async {
        await propertyCheck(count: 200, input: Self.set, Self.set) { a, b in
            for combined in [a.union(b), a.subtracting(b), a.intersection(b)] {
                let cubes = combined.cubes
                for i in cubes.indices {
                    for j in cubes.indices where j > i {
                        #expect(cubes[i].intersection(cubes[j]) == nil)
                    }
                }
            }
        }
    }

    @Test func swappingEndpointsTwiceIsIdentity() async {
        await propertyCheck(count: 100, input: Self.set) { a in
            #expect(a.swappingEndpoints().swappingEndpoints().isEquivalent(to: a))
            let swapped = Self.members(a.swappingEndpoints())
            for packet in Self.members(a) {
                let reply = Packet(
                    source: IPv4Address(packet[.destinationAddress]), destination: IPv4Address(packet[.sourceAddress]),
                    ipProtocol: UInt8(packet[.ipProtocol]), sourcePort: UInt16(packet[.destinationPort]),
                    destinationPort: UInt16(packet[.sourcePort]))
                #expect(swapped.contains(reply))
            }
        }
    }

    @Test func intervalSetOperationsMatchBruteForce() async {
        let intervals = zip(Gen<UInt32>.value(in: 0...20), Gen<UInt32>.value(in: 0...20)).map {
            (a: UInt32, b: UInt32) in min(a, b)...max(a, b)
        }
        .array(of: 0...4).map { (ranges: [ClosedRange<UInt32>]) in IntervalSet(ranges) }
        await propertyCheck(count: 300, input: intervals, intervals) { a, b in
            let values = Array(UInt32(0)...21)
            let inA = Set(values.filter(a.contains))
            let inB = Set(values.filter(b.contains))
            #expect(Set(values.filter(a.union(b).contains)) == inA.union(inB))
            #expect(Set(values.filter(a.intersection(b).contains)) == inA.intersection(inB))
            #expect(Set(values.filter(a.subtracting(b).contains)) == inA.subtracting(inB))
            #expect(a.count == UInt64(inA.count))
        }
    }
}
