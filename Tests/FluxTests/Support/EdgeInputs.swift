import Flux
import Testing

// The edge inputs of the sweep tests (EdgeInput*SweepTests): shapes at the edges, the
// special values of floating point, and the check that a stop names its operation.

/// Whether the child process stopped with Flux's message for `operation` (`fail` prints
/// `File.swift:line: Fatal error: ` and then the message, which starts with the operation).
func stopped(_ result: ExitTest.Result?, naming operation: String) -> Bool {
    result.standardError.contains("Fatal error: \(operation)")
}

/// Shapes for elementwise sweeps: rank 0, one element at ranks 1 and 3, empty along the
/// first or the last axis, a size-1 axis among others, and a huge extent without elements.
let edgeInputShapes: [[Int]] = [[], [1], [1, 1, 1], [0], [0, 3], [3, 0], [2, 1, 3], [1 << 40, 0]]

/// NaN, both infinities, both zeros, ones, and numbers large and small enough to overflow or
/// underflow the functions that grow fast.
let specialValues: [Double] = [.nan, .infinity, -.infinity, 0, -0.0, 1, -1, 0.5, -2.5, 100, -100, 1e-30]

/// A tensor of `shape` holding `specialValues` in turn, from the one at `offset`.
func specialTensor<T: TensorFloatingPoint>(_ shape: [Int], offset: Int = 0) -> Tensor<T> {
    let count = shape.contains(0) ? 0 : shape.reduce(1, *)
    return Tensor(shape: shape, scalars: (0..<count).map { T(specialValues[($0 + offset) % specialValues.count]) })
}

/// Every special value once, as a vector.
func specialVector<T: TensorFloatingPoint>() -> Tensor<T> { specialTensor([specialValues.count]) }

/// Whether `value` is `expected` rounded to `T` (so that an overflow to infinity counts as
/// agreeing), within `tolerance` relative (absolute near zero); NaN agrees only with NaN.
func agrees<T: TensorFloatingPoint>(_ value: T, _ expected: Double, tolerance: Double) -> Bool {
    close(Double(value), Double(T(expected)), tolerance: tolerance)
}

/// Checks `f` on `x` against `reference` of each element in `Double`: the shape is kept
/// and every element agrees (NaN where the reference is NaN).
func expectElementwise<T: TensorFloatingPoint>(
    _ name: String, _ x: Tensor<T>, _ f: (Tensor<T>) -> Tensor<T>, _ reference: (Double) -> Double,
    tolerance: Double, sourceLocation: SourceLocation = #_sourceLocation
) {
    let y = f(x)
    #expect(y.shape == x.shape, "\(name) on \(x.shape) gave \(y.shape)", sourceLocation: sourceLocation)
    guard y.shape == x.shape else { return }
    for (input, output) in zip(x.scalars, y.scalars)
    where !agrees(output, reference(Double(input)), tolerance: tolerance) {
        Issue.record(
            "\(name)(\(input)) = \(output), not \(T(reference(Double(input)))) (shape \(x.shape))",
            sourceLocation: sourceLocation)
    }
}

/// Checks each of `functions` against its reference on every edge shape (filled with special
/// values from a different start each) and on every special value.
func expectElementwiseSweep<T: TensorFloatingPoint>(
    _ functions: [(String, (Tensor<T>) -> Tensor<T>, (Double) -> Double)], tolerance: Double,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    for (name, f, reference) in functions {
        for (k, shape) in edgeInputShapes.enumerated() {
            let x: Tensor<T> = specialTensor(shape, offset: k)
            expectElementwise(name, x, f, reference, tolerance: tolerance, sourceLocation: sourceLocation)
        }
        expectElementwise(name, specialVector(), f, reference, tolerance: tolerance, sourceLocation: sourceLocation)
    }
}
