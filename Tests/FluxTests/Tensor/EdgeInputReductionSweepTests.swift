import Flux
import Foundation
import Testing

// Reductions, softmax, running sums, top-k, padding and gathering on edge inputs. The
// empty-input semantics are NumPy's and PyTorch's: a sum over no elements is 0, a mean 0/0
// = NaN (a variance too), a log-sum-exp log 0 = −∞; a maximum, minimum or arg-extremum of no
// elements has no value and stops with a message naming the operation. NaN propagates
// through every reduction, and the arg-extrema choose the first NaN.

/// A reduction of each row of `x` ([rows, n]) in `Double`, for the naive references.
private func rowwise(_ x: Tensor<Double>, _ f: ([Double]) -> Double) -> [Double] {
    let n = x.shape[1]
    return (0..<x.shape[0]).map { r in f(Array(x.scalars[(r * n)..<((r + 1) * n)])) }
}

/// The naive maximum: NaN if any element is NaN.
private func naiveMax(_ v: [Double]) -> Double { v.contains { $0.isNaN } ? .nan : v.max()! }

/// The naive log-sum-exp, in long arithmetic where it cannot overflow: −∞ for no elements.
private func naiveLogSumExp(_ v: [Double]) -> Double {
    if v.contains(where: \.isNaN) { return .nan }
    if v.contains(.infinity) { return .infinity }
    let m = v.max() ?? -.infinity
    guard m.isFinite else { return m }
    return m + Foundation.log(v.map { Foundation.exp($0 - m) }.reduce(0, +))
}

/// The order `topK` returns: NaN first, then larger first, ties by index.
private func naiveTopKOrder(_ v: [Double]) -> [Int] {
    v.indices.sorted { a, b in
        if v[a].isNaN || v[b].isNaN { return v[a].isNaN && (!v[b].isNaN || a < b) }
        return v[a] > v[b] || (v[a] == v[b] && a < b)
    }
}

@Suite struct EdgeInputReductionSweepTests {
    @Test func reductionsOverEmptyAxes() {
        for e in [Tensor<Double>(zeros: [0, 3]), Tensor<Double>(zeros: [3, 0]).transposed()] {
            #expect(e.sum().scalar == 0 && e.sum(alongAxes: 0) == Tensor(zeros: [3]))
            #expect(e.sum(alongAxes: [0], keepingDimensions: true) == Tensor(zeros: [1, 3]))
            #expect(e.sum(alongAxes: 1).shape == [0] && e.sum(alongAxes: [1], keepingDimensions: true).shape == [0, 1])
            #expect(e.sum(toShape: [3]) == Tensor(zeros: [3]) && e.sum(toShape: [1, 1]) == Tensor(zeros: [1, 1]))
            #expect(e.mean().scalar.isNaN && e.mean(alongAxes: 0).isNaN.all() && e.mean(alongAxes: 0).shape == [3])
            #expect(e.mean(alongAxes: 1).shape == [0] && e.variance().scalar.isNaN)
            #expect(e.variance(alongAxes: [0], correction: 1).isNaN.all() && e.variance(alongAxes: [1]).shape == [0])
            #expect(e.standardDeviation(alongAxes: [0]).isNaN.all() && e.standardDeviation(alongAxes: [0]).shape == [3])
            #expect(
                e.logSumExp().scalar == -.infinity
                    && e.logSumExp(alongAxes: [0]) == Tensor(shape: [3], repeating: -.infinity))
            #expect(e.logSumExp(alongAxes: [0, 1], keepingDimensions: true).shape == [1, 1])
            #expect(
                e.logSumExp(alongAxes: [1]).shape == [0]
                    && e.logSumExp(alongAxes: [-2], keepingDimensions: true).shape == [1, 3])
            #expect(e.max(alongAxes: 1).shape == [0] && e.min(alongAxes: [1], keepingDimensions: true).shape == [0, 1])
            #expect(e.argmax(alongAxis: 1).shape == [0] && e.argmin(alongAxis: -1).shape == [0])
        }
        let columns = Tensor<Float>(zeros: [3, 0])
        #expect(columns.max(alongAxes: 0).shape == [0] && columns.argmax(alongAxis: 0).shape == [0])
        #expect(columns.mean(alongAxes: 1).isNaN.scalars == [true, true, true])
        #expect(columns.logSumExp(alongAxes: [1]).scalars == [-.infinity, -.infinity, -.infinity])
        #expect(
            Tensor<Int>(zeros: [0, 3]).sum().scalar == 0 && Tensor<Int32>(zeros: [0, 3]).max(alongAxes: 1).shape == [0])
        let huge = Tensor<Float>(zeros: [1 << 40, 0])
        #expect(huge.mean(alongAxes: 0).shape == [0] && huge.variance(alongAxes: [0]).shape == [0])
        #expect(huge.logSumExp(alongAxes: [0]).shape == [0] && huge.max(alongAxes: 0).shape == [0])
        #expect(huge.mean().scalar.isNaN && huge.logSumExp().scalar == -.infinity && huge.sum().scalar == 0)
        // Empty first: reduced in one step, without a [1, 1 << 40] tensor on the way.
        let wide = Tensor<Float>(zeros: [0, 1 << 40])
        #expect(wide.sum().scalar == 0 && wide.mean().scalar.isNaN && wide.variance().scalar.isNaN)
        #expect(wide.logSumExp().scalar == -.infinity && wide.max(alongAxes: 1).shape == [0])
        #expect(wide.sum(alongAxes: [0, 1], keepingDimensions: true) == Tensor(zeros: [1, 1]))
        #expect(
            wide.standardDeviation(alongAxes: [0, 1]).scalar.isNaN && softmax(wide, alongAxis: 0).shape == wide.shape)
    }

    @Test func reductionsOnRankZeroAndExtentsOfOne() {
        let x = Tensor<Double>(2.5)
        for y in [x.sum(), x.mean(), x.max(), x.min(), x.logSumExp(), x.sum(alongAxes: []), x.mean(alongAxes: [])] {
            #expect(y == x)
        }
        #expect(
            x.argmax() == 0 && x.argmin() == 0 && x.variance().scalar == 0 && x.variance(correction: 1).scalar.isNaN)
        let ones = Tensor<Double>(shape: [1, 1, 1], scalars: [-4])
        #expect(ones.sum(alongAxes: 0, 2) == Tensor([-4]) && ones.max(alongAxes: [1], keepingDimensions: true) == ones)
        #expect(
            ones.logSumExp(alongAxes: [2]) == Tensor(shape: [1, 1], scalars: [-4])
                && ones.argmax(alongAxis: 1) == Tensor(shape: [1, 1], scalars: [0]))
        #expect(ones.standardDeviation(alongAxes: [0, 1, 2]).scalar == 0)
        #expect(
            softmax(ones) == Tensor(ones: [1, 1, 1]) && logSoftmax(ones, alongAxis: 0) == Tensor(zeros: [1, 1, 1]))
        #expect(
            ones.cumulativeSum(alongAxis: 1) == ones && ones.topK(1).values == ones
                && ones.topK(1).indices == Tensor(zeros: [1, 1, 1]))
    }

    /// Sums, means, extrema and log-sum-exp of rows full of special values, against naive references.
    @Test func reductionsPropagateNaNAndInfinity() {
        let rows = 12
        let x: Tensor<Double> = specialTensor([rows, 5])
        let shifted: Tensor<Double> = specialTensor([rows, 5], offset: 7)
        for m in [x, shifted, shifted.replacing(with: 1, where: shifted.isNaN)] {
            let sums = rowwise(m) { $0.reduce(0, +) }
            let agree = { (a: [Double], b: [Double]) in zip(a, b).allSatisfy { close($0, $1, tolerance: 1e-15) } }
            #expect(agree(m.sum(alongAxes: 1).scalars, sums), "\(m)")
            #expect(agree(m.mean(alongAxes: 1).scalars, sums.map { $0 / 5 }))
            #expect(agree(m.max(alongAxes: 1).scalars, rowwise(m, naiveMax)))
            #expect(agree(m.min(alongAxes: 1).scalars, rowwise(m) { -naiveMax($0.map { -$0 }) }))
            #expect(
                agree(m.logSumExp(alongAxes: [1]).scalars, rowwise(m, naiveLogSumExp)), "\(m.logSumExp(alongAxes: [1]))"
            )
            let firstMax = rowwise(m) { v in Double(v.firstIndex { $0.isNaN } ?? v.firstIndex(of: v.max()!)!) }
            #expect(m.argmax(alongAxis: 1).scalars.map(Double.init) == firstMax)
        }
        #expect(
            Tensor<Float>([.infinity, -.infinity]).sum().scalar.isNaN
                && Tensor<Float>([.infinity, 1]).mean().scalar == .infinity)
        #expect(Tensor<Float>([.infinity, 1]).variance().scalar.isNaN && Tensor<Float>([1, .nan, 0]).argmin() == 1)
        #expect(Tensor<Float>([-.infinity, -.infinity]).logSumExp().scalar == -.infinity)
        #expect(Tensor<Float>([-.infinity, 0]).logSumExp().scalar == 0)
        let cumulative = Tensor<Float>([1, .nan, 2, .infinity]).cumulativeSum(alongAxis: 0)
        #expect(cumulative.scalars[0] == 1 && cumulative.scalars.dropFirst().allSatisfy(\.isNaN))
        #expect(Tensor<Float>([.infinity, -.infinity]).cumulativeSum(alongAxis: 0).scalars[1].isNaN)
    }

    /// Softmax over masked (−∞) entries, single classes, empty rows and NaN; ±∞ logits give
    /// what PyTorch's formula gives (∞ − ∞ = NaN).
    @Test func softmaxOnEdgeInputs() {
        #expect(softmax(Tensor<Double>([-.infinity, 0, 0])) == Tensor([0, 0.5, 0.5]))
        #expect(logSoftmax(Tensor<Double>([-.infinity, 0])) == Tensor([-.infinity, 0]))
        #expect(softmax(Tensor<Double>([.nan, 1])).isNaN.all() && logSoftmax(Tensor<Double>([1, .nan])).isNaN.all())
        #expect(
            softmax(Tensor<Double>([.infinity, 1])).scalars[0].isNaN
                && softmax(Tensor<Double>([.infinity, 1])).scalars[1] == 0)
        #expect(softmax(Tensor<Double>([-.infinity, -.infinity])).isNaN.all(), "no finite logit: 0/0")
        #expect(softmax(Tensor<Double>([1e308, -1e308])) == Tensor([1, 0]), "large logits do not overflow")
        for shape in [[0], [0, 3], [3, 0], [1 << 40, 0], [2, 0, 4]] {
            for axis in -shape.count..<shape.count {
                let e = Tensor<Float>(zeros: shape)
                #expect(softmax(e, alongAxis: axis).shape == shape && logSoftmax(e, alongAxis: axis).shape == shape)
            }
        }
        #expect(softmax(Tensor<Float>(zeros: [2, 1]), alongAxis: 1) == Tensor(ones: [2, 1]))
    }

    @Test func topKOnEdgeInputs() {
        for (offset, k) in [(0, 7), (3, 4), (5, 1)] {
            let m: Tensor<Double> = specialTensor([12, 7], offset: offset)
            let (values, indices) = m.topK(k)
            for r in 0..<12 {
                let row = Array(m.scalars[(r * 7)..<((r + 1) * 7)])
                let order = Array(naiveTopKOrder(row).prefix(k))
                #expect(indices[r].scalars == order, "row \(row)")
                #expect(values[r].isApproximatelyEqual(to: Tensor(order.map { row[$0] }), equalNaNs: true))
            }
        }
        #expect(Tensor<Float>([.nan, 1, .nan, 2, .nan]).topK(5).indices == Tensor([0, 2, 4, 3, 1]))
        #expect(Tensor<Float>([0, -0.0, -.infinity, .infinity]).topK(4).indices == Tensor([3, 0, 1, 2]))
        for (shape, k, result) in [
            ([0, 5], 3, [0, 3]), ([3, 0], 0, [3, 0]), ([1 << 40, 0], 0, [1 << 40, 0]), ([2, 3], 0, [2, 0]),
            ([1], 1, [1]),
        ] {
            let (values, indices) = Tensor<Float>(zeros: shape).topK(k)
            #expect(values.shape == result && indices.shape == result, "topK(\(k)) of \(shape)")
        }
    }

    @Test func paddingOnEdgeInputs() {
        for shape in edgeInputShapes {
            let x: Tensor<Float> = specialTensor(shape)
            // Around a huge empty axis only that axis grows, or the result would have elements.
            let huge = shape.contains { $0 > 3 }
            let grown: [Int] = shape.map { n in !huge || n > 3 ? 3 : 0 }
            let widths: [(before: Int, after: Int)] = grown.map { (before: $0 / 3, after: $0 - $0 / 3) }
            let padded = x.padded(widths, mode: .constant(.nan))
            let expected: [Int] = zip(shape, grown).map { $0 + $1 }
            #expect(padded.shape == expected, "\(shape)")
            #expect(
                padded.isNaN.scalars.filter { $0 }.count == padded.count - x.count + x.isNaN.scalars.filter { $0 }.count
            )
            let none = shape.map { _ in (before: 0, after: 0) }
            #expect(
                x.padded(none, mode: .reflect).isApproximatelyEqual(to: x, equalNaNs: true), "reflect by 0 \(shape)")
        }
        #expect(Tensor<Float>(zeros: [0, 3]).padded([(0, 0), (2, 1)], mode: .reflect).shape == [0, 6])
        #expect(Tensor<Float>(zeros: [3, 0]).padded([(1, 1), (0, 0)], mode: .reflect).shape == [5, 0])
        let special = Tensor<Float>([.nan, 1, .infinity]).padded([(2, 2)], mode: .reflect)
        #expect(special.isApproximatelyEqual(to: Tensor([.infinity, 1, .nan, 1, .infinity, 1, .nan]), equalNaNs: true))
        #expect(
            Tensor<Int>(7).padded([]) == Tensor(7)
                && Tensor<Int>([7]).padded([(0, 2)], mode: .constant(-1)) == Tensor([7, -1, -1]))
    }

    @Test func gatheringAndOneHotOnEdgeInputs() {
        let x = Tensor<Float>(shape: [3, 2], scalars: [.nan, 1, .infinity, -0.0, 2, 3])
        #expect(x.gathering(atIndices: Tensor<Int>(zeros: [0])).shape == [0, 2])
        #expect(x.gathering(atIndices: Tensor<Int>(zeros: [2, 0])).shape == [2, 0, 2])
        #expect(x.gathering(atIndices: Tensor<Int>(-2)).scalars == [.infinity, -0.0], "a rank-0 index drops the axis")
        #expect(x.gathering(atIndices: Tensor<Int>([0, 0]), alongAxis: 0).isNaN.scalars == [true, false, true, false])
        #expect(x.gathering(atIndices: Tensor<Int>([1]), alongAxis: -1).scalars == [1, -0.0, 3])
        #expect(
            Tensor<Float>(zeros: [0, 3]).gathering(atIndices: Tensor<Int>([2, -1]), alongAxis: 1).shape == [0, 2])
        #expect(Tensor<Float>([5]).gathering(atIndices: Tensor<Int>([0, -1, 0])).scalars == [5, 5, 5])
        #expect(Tensor<Float>(oneHotAtIndices: Tensor<Int>(0), depth: 1).scalars == [1])
        #expect(Tensor<Double>(oneHotAtIndices: Tensor<Int>(zeros: [2, 0]), depth: 3).shape == [2, 0, 3])
        #expect(Tensor<Int>(oneHotAtIndices: Tensor<Int>(zeros: [0]), depth: 1 << 40).shape == [0, 1 << 40])
    }

    @Test func reductionsStopNamingTheOperation() async {
        var r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Float>(zeros: [0, 3]).argmax()
        }
        #expect(stopped(r, naming: "argmax: a tensor of shape [0, 3] has no elements"))
        r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Int>(zeros: [1 << 40, 0]).argmin()
        }
        #expect(stopped(r, naming: "argmin"))
        r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Double>(zeros: [3, 0]).min()
        }
        #expect(stopped(r, naming: "min: cannot reduce the empty axis"))
        r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Float>(5).logSumExp(alongAxes: [0])
        }
        #expect(stopped(r, naming: "logSumExp: axis 0 is out of range for shape []"))
        r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = softmax(Tensor<Float>(5))
        }
        #expect(stopped(r, naming: "softmax: axis -1 is out of range for shape []"))
        r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = logSoftmax(Tensor<Float>(zeros: [0]), alongAxis: 1)
        }
        #expect(stopped(r, naming: "logSoftmax"))
        r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Double>(zeros: [0, 2]).mean(alongAxes: [1, -1])
        }
        #expect(stopped(r, naming: "mean: axis 1 is given twice"))
        r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Double>(zeros: [0]).variance(alongAxes: [1])
        }
        #expect(stopped(r, naming: "variance"))
        r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Float>(zeros: [0, 3]).sum(toShape: [2, 3])
        }
        #expect(stopped(r, naming: "sum(toShape:)"))
    }

    @Test func selectionStopsNamingTheOperation() async {
        var r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Float>(5).topK(0)
        }
        #expect(stopped(r, naming: "topK: a tensor of shape [] has no last axis"))
        r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Float>(zeros: [2, 0]).topK(1)
        }
        #expect(stopped(r, naming: "topK: k = 1 for a tensor of shape [2, 0] (k must be in 0...0)"))
        r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Float>(zeros: [2, 1]).padded([(0, 0), (1, 0)], mode: .reflect)
        }
        #expect(stopped(r, naming: "padded: reflecting 1 and 0 along axis 1 of shape [2, 1]"))
        r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Float>(zeros: [0, 3]).padded([(0, 1), (0, 0)], mode: .reflect)
        }
        #expect(stopped(r, naming: "padded: reflecting 0 and 1 along axis 0 of shape [0, 3]"))
        r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Float>(zeros: [3, 0]).gathering(atIndices: Tensor<Int>([0]), alongAxis: 1)
        }
        #expect(stopped(r, naming: "gathering(atIndices:): index 0 is out of range for axis 1 of shape [3, 0]"))
        r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Float>(5).gathering(atIndices: Tensor<Int>(zeros: [0]))
        }
        #expect(stopped(r, naming: "gathering(atIndices:): axis 0 is out of range for shape []"))
        r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Float>(oneHotAtIndices: Tensor<Int>([[0, 1]]), depth: 1)
        }
        #expect(stopped(r, naming: "Tensor(oneHotAtIndices:depth:): index 1 is outside 0..<1"))
    }
}
