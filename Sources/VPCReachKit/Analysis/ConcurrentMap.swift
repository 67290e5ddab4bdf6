import Dispatch
import Synchronization

extension Array where Element: Sendable {
    /// `transform` applied to every element on every core, results in the elements' order.
    ///
    /// Elements are dealt out in strides, one stride per worker, so that workers do not contend
    /// for a lock per element; the output is the same as `map`'s.
    func concurrentMap<T: Sendable>(_ transform: @Sendable (Element) -> T) -> [T] {
        guard count > 1 else { return map(transform) }
        let workers = Swift.min(count, 64)
        let results = Mutex<[[T]]>(Array<[T]>(repeating: [], count: workers))
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            let mine = stride(from: worker, to: count, by: workers).map { transform(self[$0]) }
            results.withLock { $0[worker] = mine }
        }
        let strides = results.withLock { $0 }
        return indices.map { strides[$0 % workers][$0 / workers] }
    }
}
