import Testing

@testable import VPCReachKit

/// Results computed on every core are consumed in the elements' order, each exactly once.
@Suite struct ConcurrentReduceTests {
    @Test(arguments: [0, 1, 2, 7, 1_000])
    func resultsAreConsumedInOrderExactlyOnce(_ count: Int) {
        // Uneven work, so results arrive out of order.
        let elements = (0..<count).map { ($0 * 7_919) % 13 }
        let consumed = elements.concurrentReduceInOrder(into: [Int]()) { work in
            var spin = work
            for step in 0..<(work * 2_000) { spin = spin &* 31 &+ step }
            return spin == Int.min ? -1 : work
        } consume: { seen, result in
            seen.append(result)
        }
        #expect(consumed == elements)
    }
}
