import Dispatch
import Foundation
import Synchronization

extension Array where Element: Sendable {
    /// `transform` applied to every element on every core, results in the elements' order.
    ///
    /// Elements are dealt out in strides, one stride per worker, so that workers do not contend
    /// for a lock per element; the output is the same as `map`'s.
    func concurrentMap<T: Sendable>(_ transform: @Sendable (Element) -> T) -> [T] {
        guard count > 1 else { return map(transform) }
        let workers = Swift.min(count, 64)
        let results = Mutex<[[T]]>([[T]](repeating: [], count: workers))
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            let mine = stride(from: worker, to: count, by: workers).map { transform(self[$0]) }
            results.withLock { $0[worker] = mine }
        }
        let strides = results.withLock { $0 }
        return indices.map { strides[$0 % workers][$0 / workers] }
    }
}

extension Array where Element: Sendable {
    /// `transform` applied to every element on every core, its results handed to `consume` in the
    /// elements' order, each as soon as it and every result before it are ready; returns the state
    /// `consume` leaves. `consume` runs on one thread at a time, so ordered work (storing results
    /// in a dictionary, say) overlaps with the transforms of later elements.
    ///
    /// Workers take the next element as they become free, so results arrive nearly in order and
    /// few wait to be consumed.
    func concurrentReduceInOrder<T: Sendable, State: Sendable>(
        into initial: State, _ transform: @Sendable (Element) -> T, consume: @Sendable (inout State, T) -> Void
    ) -> State {
        let sink = OrderedSink<T, State>(initial)
        let taken = Atomic<Int>(0)
        let workers = Swift.max(1, Swift.min(count, ProcessInfo.processInfo.activeProcessorCount))
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while true {
                let index = taken.wrappingAdd(1, ordering: .relaxed).oldValue
                guard index < count else { return }
                sink.deliver(index, transform(self[index]), consume)
            }
        }
        return sink.finish(consume)
    }
}

/// Results that arrive in any order and are consumed in index order, by one thread at a time.
private final class OrderedSink<T: Sendable, State: Sendable>: Sendable {
    private let arrived = Mutex<[Int: T]>([:])
    private let consumer: Mutex<(state: State, next: Int)>

    init(_ initial: State) {
        consumer = Mutex((initial, 0))
    }

    func deliver(_ index: Int, _ result: T, _ consume: (inout State, T) -> Void) {
        arrived.withLock { $0[index] = result }
        // If another thread is consuming, it takes this result too, unless it has just looked:
        // then the next delivery, or `finish`, does.
        _ = consumer.withLockIfAvailable { drain(&$0, consume) }
    }

    func finish(_ consume: (inout State, T) -> Void) -> State {
        consumer.withLock {
            drain(&$0, consume)
            return $0.state
        }
    }

    private func drain(_ consumer: inout (state: State, next: Int), _ consume: (inout State, T) -> Void) {
        while let result = arrived.withLock({ $0.removeValue(forKey: consumer.next) }) {
            consume(&consumer.state, result)
            consumer.next += 1
        }
    }
}
