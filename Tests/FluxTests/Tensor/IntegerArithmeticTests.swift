import Flux
import Testing

/// The values where integer arithmetic overflows, and their neighbours.
private func edges<T: FixedWidthInteger & SignedInteger>(_: T.Type) -> [T] {
    [.min, .min + 1, -2, -1, 0, 1, 2, .max - 1, .max]
}

/// Every operator on every pair of edge values, against Swift's wrapping operators: the
/// policy is two's complement wrapping, as in NumPy.
private func checkBinaryOperators<T: TensorNumeric & FixedWidthInteger & SignedInteger>(_ type: T.Type) {
    let e = edges(type)
    let n = e.count
    // Every pair, through broadcasting a column against a row.
    let column = Tensor<T>(shape: [n, 1], scalars: e)
    let row = Tensor<T>(shape: [1, n], scalars: e)
    let pairs = e.flatMap { a in e.map { b in (a, b) } }
    #expect((column + row).scalars == pairs.map { $0 &+ $1 })
    #expect((column - row).scalars == pairs.map { $0 &- $1 })
    #expect((column * row).scalars == pairs.map { $0 &* $1 })
    let x = Tensor<T>(e)
    for b in e {
        #expect((x + b).scalars == e.map { $0 &+ b })
        #expect((b + x).scalars == e.map { b &+ $0 })
        #expect((x - b).scalars == e.map { $0 &- b })
        #expect((b - x).scalars == e.map { b &- $0 })
        #expect((x * b).scalars == e.map { $0 &* b })
        #expect((b * x).scalars == e.map { b &* $0 })
        var y = x
        y += b
        #expect(y.scalars == e.map { $0 &+ b })
        y -= b
        #expect(y == x)
        y *= b
        #expect(y.scalars == e.map { $0 &* b })
        var z = x
        z += Tensor<T>(shape: [n], repeating: b)
        z -= Tensor<T>(b)
        #expect(z == x)
        z *= Tensor<T>(b)
        #expect(z.scalars == e.map { $0 &* b })
    }
}

private func checkUnaryOperators<T: TensorNumeric & FixedWidthInteger & SignedInteger>(_ type: T.Type) {
    let e = edges(type)
    let x = Tensor<T>(e)
    #expect((-x).scalars == e.map { 0 &- $0 })
    #expect(abs(x).scalars == e.map { $0 < 0 ? 0 &- $0 : $0 })
    #expect(abs(Tensor<T>(T.min)).scalar == T.min)
    #expect(square(x).scalars == e.map { $0 &* $0 })
    #expect(sign(x).scalars == e.map { $0 < 0 ? -1 : $0 > 0 ? 1 : 0 })
}

private func checkSums<T: TensorNumeric & FixedWidthInteger & SignedInteger>(_ type: T.Type) {
    #expect(Tensor<T>([.max, 1]).sum().scalar == .min)
    #expect(Tensor<T>([.min, -1]).sum().scalar == .max)
    #expect(Tensor<T>([.max, .max, 2]).sum().scalar == 0)
    // Past 256 elements the sum is pairwise over blocks; wrapping makes the order irrelevant.
    let many = Tensor<T>(shape: [1000], repeating: .max)
    #expect(many.sum().scalar == T.max &* 1000)
    let m = Tensor<T>(shape: [2, 2], scalars: [.max, 1, 1, .max])
    let minimums: [T] = [.min, .min]
    #expect(m.sum(alongAxes: 0).scalars == minimums)
    #expect(m.sum(alongAxes: 1).scalars == minimums)
    #expect(m.sum(toShape: [1, 2]).scalars == minimums)
    #expect(Tensor<T>([.max, 1, 1]).cumulativeSum(alongAxis: 0).scalars == [.max, .min, .min + 1])
    #expect(m.cumulativeSum(alongAxis: 0).scalars == [.max, 1, .min, .min])
}

private func checkDivision<T: TensorNumeric & FixedWidthInteger & SignedInteger>(_ type: T.Type) {
    let x = Tensor<T>([.min, .max, -7])
    #expect((x / -1).scalars == [.min, -T.max, 7])
    #expect((x % -1).scalars == [0, 0, 0])
    #expect((x / Tensor<T>([-1, -1, 2])).scalars == [.min, -T.max, -3])
    #expect((T.min / Tensor<T>([-1, 1])).scalars == [.min, .min])
    #expect((T.min % Tensor<T>([-1, 2])).scalars == [0, 0])
    var y = x
    y /= -1
    #expect(y.scalars == [.min, -T.max, 7])
}

@Suite struct IntegerArithmeticTests {
    @Test func binaryOperatorsWrap() {
        checkBinaryOperators(Int.self)
        checkBinaryOperators(Int32.self)
    }

    @Test func negationAbsAndSquareWrap() {
        checkUnaryOperators(Int.self)
        checkUnaryOperators(Int32.self)
    }

    @Test func sumsWrap() {
        checkSums(Int.self)
        checkSums(Int32.self)
    }

    @Test func divisionOfTheMinimumByMinusOneWraps() {
        checkDivision(Int.self)
        checkDivision(Int32.self)
    }

    /// A few results pinned as numbers, the way NumPy prints them for int64.
    @Test func wrappedValuesMatchNumPy() {
        #expect((Tensor<Int>([Int.max]) + 1).scalars == [-9_223_372_036_854_775_808])
        #expect((Tensor<Int>([Int.max]) * 2).scalars == [-2])
        #expect((Tensor<Int32>([Int32.max]) * 3).scalars == [2_147_483_645])
        #expect((-Tensor<Int32>([Int32.min])).scalars == [-2_147_483_648])
    }

    /// Division by zero is the one integer error: it stops instead of wrapping.
    @Test func divisionByZeroStillStops() async {
        let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Int32>([Int32.min]) / 0
        }
        #expect(r.standardError.contains("divide: [1] / 0: division by zero"))
    }
}
