import FluxDistributed
import Foundation

/// The checks of one process: each prints `rank R: ok name` or `rank R: FAIL name: detail`.
final class Expectations {
    let rank: Int
    private(set) var failures = 0

    init(_ world: Communicator) { rank = world.rank }

    func check(_ condition: Bool, _ name: String, _ detail: @autoclosure () -> String = "") {
        if condition {
            print("rank \(rank): ok \(name)")
        } else {
            failures += 1
            print("rank \(rank): FAIL \(name): \(detail())")
        }
    }

    /// Ends the scenario: exit status 1 on this process if any check failed.
    func finish() {
        print("rank \(rank): done, \(failures) failed")
        if failures > 0 { exit(1) }
    }
}

/// The largest difference between two lists of tensors, relative to the largest magnitude.
func relativeDifference<S: TensorFloatingPointLike>(_ a: [[S]], _ b: [[S]]) -> Double {
    var (difference, magnitude) = (0.0, 1e-30)
    for (x, y) in zip(a, b) {
        for (u, v) in zip(x, y) {
            difference = max(difference, abs(u.double - v.double))
            magnitude = max(magnitude, abs(u.double))
        }
    }
    return a.count == b.count ? difference / magnitude : .infinity
}

/// Float and Double as Double, for comparisons.
protocol TensorFloatingPointLike { var double: Double { get } }
extension Float: TensorFloatingPointLike { var double: Double { Double(self) } }
extension Double: TensorFloatingPointLike { var double: Double { self } }
