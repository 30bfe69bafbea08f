import Flux
import Testing

/// Ranges are counted before they are made, so that no bounds make them hang or overflow.
@Suite struct EvenlySpacedTests {
    @Test func integerRangesAtTheEndsOfInt() {
        #expect(Tensor<Int>(rangeFrom: Int.max - 2, to: Int.max).scalars == [Int.max - 2, Int.max - 1])
        #expect(Tensor<Int>(rangeFrom: Int.min, to: Int.min + 2).scalars == [Int.min, Int.min + 1])
        #expect(Tensor<Int>(rangeFrom: Int.min, to: Int.max, stride: Int.max).scalars == [Int.min, -1, Int.max - 1])
        #expect(Tensor<Int>(rangeFrom: Int.max, to: Int.min, stride: Int.min).scalars == [Int.max, -1])
        #expect(Tensor<Int>(rangeFrom: 0, to: Int.max, stride: Int.max).scalars == [0])
        #expect(Tensor<Int>(rangeFrom: 5, to: Int.min, stride: Int.min).scalars == [5, Int.min + 5])
        #expect(Tensor<Int>(rangeFrom: -5, to: Int.min, stride: Int.min).scalars == [-5])
        #expect(Tensor<Int32>(rangeFrom: .max - 1, to: .max).scalars == [.max - 1])
        #expect(Tensor<Int32>(rangeFrom: .min, to: .max, stride: .max).scalars == [.min, -1, .max - 1])
        #expect(Tensor<Int>(rangeFrom: 3, to: 3, stride: Int.min).shape == [0])
        #expect(Tensor<Int>(rangeFrom: 0, to: 10, stride: -1).shape == [0])
    }

    @Test func integerRangesTooLargeStop() async {
        let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Int>(rangeFrom: Int.min, to: Int.max)
        }
        #expect(
            r.standardError.contains(
                "Tensor(rangeFrom:to:stride:): from -9223372036854775808 to 9223372036854775807 by 1 is 18446744073709551615 elements, more than Int counts"
            ))
        let s = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Int>(rangeFrom: 0, to: Int.max)
        }
        #expect(s.standardError.contains("Tensor(rangeFrom:to:stride:): shape [9223372036854775807] is too large"))
        let t = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Int>(rangeFrom: 0, to: 1 << 50)
        }
        #expect(t.standardError.contains("Tensor(rangeFrom:to:stride:): cannot allocate 9007199254740992 bytes"))
        let u = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Int>(rangeFrom: 0, to: 5, stride: 0)
        }
        #expect(u.standardError.contains("Tensor(rangeFrom:to:stride:): the stride is zero"))
    }

    /// Past 2^24 a `Float` counter plus 1 is itself: a range built by adding never ended.
    @Test func floatRangesPastTwoToTheTwentyFourEnd() {
        let n = (1 << 24) + 4
        let x = Tensor<Float>(rangeFrom: 0, to: Float(n))
        #expect(x.count == n)
        #expect(x[scalarAt: 0] == 0 && x[scalarAt: 1 << 24] == 16_777_216)
        let y = Tensor<Float>(rangeFrom: 1e9, to: 1e9 + 1024, stride: 64)
        #expect(y.count == 16 && y[scalarAt: 15] == 1e9 + 960)
    }

    @Test func floatRangesKeepExactlyTheValuesBeforeTheEnd() {
        #expect(Tensor<Double>(rangeFrom: 1, to: 2, stride: 0.25).scalars == [1, 1.25, 1.5, 1.75])
        #expect(Tensor<Double>(rangeFrom: 2, to: 1, stride: -0.25).scalars == [2, 1.75, 1.5, 1.25])
        #expect(Tensor<Float>(rangeFrom: 0, to: 0).shape == [0])
        #expect(Tensor<Float>(rangeFrom: 0, to: -5).shape == [0])
        #expect(Tensor<Float>(rangeFrom: 0, to: .leastNonzeroMagnitude).scalars == [0])
        #expect(Tensor<Double>(rangeFrom: -1e308, to: 1e308, stride: 1e308).scalars == [-1e308, 0])
        // 0.1 · 3 rounds above 0.3: the value equal to the end is left out.
        #expect(Tensor<Double>(rangeFrom: 0, to: 0.3, stride: 0.1).count == 3)
        #expect(Tensor<Float>(rangeFrom: -3e38, to: 3e38, stride: 3e38).scalars == [-3e38, 0])
    }

    @Test func floatRangesWithoutFiniteBoundsStop() async {
        let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Float>(rangeFrom: 0, to: .infinity)
        }
        #expect(
            r.standardError.contains(
                "Tensor(rangeFrom:to:stride:): from 0.0 to inf by 1.0: the bounds and the stride must be finite, the stride nonzero"
            ))
        let s = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Float>(rangeFrom: 0, to: .nan)
        }
        #expect(s.standardError.contains("Tensor(rangeFrom:to:stride:): from 0.0 to nan by 1.0"))
        let t = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Double>(rangeFrom: 0, to: 1, stride: .nan)
        }
        #expect(t.standardError.contains("Tensor(rangeFrom:to:stride:): from 0.0 to 1.0 by nan"))
        let u = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Float>(rangeFrom: 0, to: 1e30)
        }
        #expect(u.standardError.contains("Tensor(rangeFrom:to:stride:): from 0.0 to 1e+30 by 1.0 is"))
        #expect(u.standardError.contains("elements, more than Int counts"))
        let v = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Double>(rangeFrom: -1e308, to: 1e308, stride: 1)
        }
        #expect(v.standardError.contains("Tensor(rangeFrom:to:stride:): from -1e+308 to 1e+308 by 1.0 is inf elements"))
        let w = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Float>(rangeFrom: 0, to: 0x1p50)
        }
        #expect(w.standardError.contains("Tensor(rangeFrom:to:stride:): cannot allocate 4503599627370496 bytes"))
    }

    @Test func linearSpacesCheckTheirCount() async {
        #expect(Tensor<Double>(linearSpaceFrom: 0, to: 1, count: 3).scalars == [0, 0.5, 1])
        let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Float>(linearSpaceFrom: 0, to: 1, count: Int.max)
        }
        #expect(r.standardError.contains("Tensor(linearSpaceFrom:to:count:): shape [9223372036854775807] is too large"))
    }
}
