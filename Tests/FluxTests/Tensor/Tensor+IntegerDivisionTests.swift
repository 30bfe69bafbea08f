import Flux
import Testing

@Suite struct TensorIntegerDivisionTests {
    @Test func quotientAndRemainderFollowSwift() {
        let a: Tensor<Int> = [7, -7, 7, -7, 0]
        let b: Tensor<Int> = [2, 2, -2, -2, 3]
        #expect((a / b).scalars == [3, -3, -3, 3, 0])
        #expect((a % b).scalars == [1, -1, 1, -1, 0])
        #expect((a / 2).scalars == [3, -3, 3, -3, 0])
        #expect((a % 2).scalars == [1, -1, 1, -1, 0])
        #expect((100 / b).scalars == [50, 50, -50, -50, 33])
        #expect((100 % b).scalars == [0, 0, 0, 0, 1])
        for (x, y) in Swift.zip(a.scalars, b.scalars) {
            #expect((Tensor<Int>([x]) / Tensor<Int>([y])).scalars == [x / y])
        }
    }

    @Test func broadcastingAndInPlace() {
        var m: Tensor<Int32> = [[10, 20, 30], [40, 50, 60]]
        #expect((m / Tensor<Int32>([[10], [20]])).scalars == [1, 2, 3, 2, 2, 3])
        m /= Tensor<Int32>([1, 2, 3])
        #expect(m.scalars == [10, 10, 10, 40, 25, 20])
        m %= 7
        #expect(m.scalars == [3, 3, 3, 5, 4, 6])
        m %= Tensor<Int32>([[2], [4]])
        #expect(m.scalars == [1, 1, 1, 1, 0, 2])
        m /= 1
        #expect(m.scalars == [1, 1, 1, 1, 0, 2])
    }

    @Test func minimumDividedByMinusOneWraps() {
        let x = Tensor<Int>([Int.min])
        #expect((x / -1).scalars == [Int.min] && (x % -1).scalars == [0])
    }

    @Test func divisionByZeroStops() async {
        let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Int>([1, 2]) / Tensor<Int>([1, 0])
        }
        #expect(r.standardError.contains("divide: [2] / [2]: division by zero"))
        let s = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Int>([1, 2]) % 0
        }
        #expect(s.standardError.contains("remainder: [2] % 0: division by zero"))
    }
}
