/// The distinct answers (traffic, undecided traffic, blockers) of the cells holding each role
/// pair's pairs, numbered alike across the matrices compared: two matrices whose cells give a
/// role pair the same answers give it the same view (``RoleViews``), which is computed only where
/// they do not.
struct RoleAnswers: Sendable {
    /// A cell's answer.
    private struct Answer: Hashable {
        var reachable: TrafficMap
        var unknown: TrafficMap
        var blockers: [BlockerKey]
    }

    /// Answer numbers, sorted, without repeats: most role pairs have one.
    struct Numbers: Equatable, Sendable {
        private var least: Int
        private var others: [Int] = []

        init(_ number: Int) {
            least = number
        }

        mutating func insert(_ number: Int) {
            if number == least || others.contains(number) { return }
            if number < least {
                others.insert(least, at: 0)
                least = number
            } else {
                others.insert(number, at: others.firstIndex { $0 > number } ?? others.count)
            }
        }
    }

    private(set) var answers: [RoleViews.Key: Numbers] = [:]

    /// The answers of each role pair of each of `matrices`, computed on every core.
    static func of(_ matrices: [ReachabilityMatrix], roles: RoleNumbers) -> [RoleAnswers] {
        var numbers: [Answer: Int] = [:]
        let cellAnswers = matrices.map { matrix in
            matrix.cells.map { cell in
                let answer = Answer(reachable: cell.reachable, unknown: cell.unknown, blockers: cell.blockers)
                if let number = numbers[answer] { return number }
                numbers[answer] = numbers.count
                return numbers.count - 1
            }
        }
        return Array(zip(matrices, cellAnswers)).concurrentMap { matrix, cellAnswers in
            var result = RoleAnswers()
            let membership = RoleViews.membership(of: matrix, roles)
            for (cell, answer) in zip(matrix.cells, cellAnswers) {
                RoleViews.forEachRolePair(of: cell, membership) { key in
                    if let index = result.answers.index(forKey: key) {
                        result.answers.values[index].insert(answer)
                    } else {
                        result.answers[key] = Numbers(answer)
                    }
                }
            }
            return result
        }
    }

    /// The role pairs whose answers differ between the two (or that only one has): the only
    /// ones whose views may differ.
    func differingKeys(from other: RoleAnswers) -> Set<RoleViews.Key> {
        var result = Set(other.answers.keys.filter { answers[$0] == nil })
        for (key, numbers) in answers where other.answers[key] != numbers { result.insert(key) }
        return result
    }
}
