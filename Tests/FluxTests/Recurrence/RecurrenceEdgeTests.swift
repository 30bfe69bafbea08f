import Flux
import Testing

/// The recurrent layers on edge inputs: each returns the right value or stops naming itself.
@Suite struct RecurrenceEdgeTests {
    @Test func emptyBatchesAndSingleSteps() {
        var rng = RandomGenerator(seed: 61)
        let lstm = LSTMCell<Double>(2, 3, using: &rng)
        let empty = lstm.fold(over: Tensor<Double>(zeros: [4, 0, 2]))
        #expect(empty.outputs.shape == [4, 0, 3] && empty.state.hidden.shape == [0, 3])
        let grad = gradient(at: lstm) { c in c.fold(over: Tensor<Double>(zeros: [4, 0, 2])).outputs.sum() }
        #expect(grad.hiddenWeight == Tensor(zeros: [3, 12]))
        let one = Recurrence(GRUCell<Double>(2, 3, using: &rng), returnsSequences: false)(Tensor(ones: [1, 1, 2]))
        #expect(one.shape == [1, 3])
        let steps = RNNCell<Double>(2, 3, using: &rng).fold(over: [Tensor<Double>]())
        #expect(steps.outputs.isEmpty && steps.state.shape == [1, 3])
        #expect(Tensor<Double>(zeros: [0, 2]).unstacked().isEmpty)
        let nan = lstm.fold(over: Tensor<Double>(shape: [2, 1, 2], repeating: .nan)).outputs
        #expect(nan.scalars.allSatisfy { $0.isNaN })
    }

    @Test func badShapesStopNamingTheOperation() async {
        let r1 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = LSTMCell<Float>(2, 3).fold(over: Tensor<Float>(zeros: [0, 1, 2]))
        }
        #expect(r1.standardError.contains("fold: the sequence [0, 1, 2] has no time steps"), "\(r1.standardError)")
        let r2 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Recurrence(GRUCell<Float>(2, 3))(Tensor<Float>(zeros: [4, 2]))
        }
        #expect(
            r2.standardError.contains("fold: a sequence is [time, batch, features]; got shape [4, 2]"),
            "\(r2.standardError)")
        let r3 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Recurrence(GRUCell<Float>(2, 3))(Tensor<Float>(zeros: [4, 1, 2]), mask: Tensor<Float>(ones: [4, 2]))
        }
        #expect(r3.standardError.contains("fold: mask [4, 2] for a sequence [4, 1, 2]"), "\(r3.standardError)")
        let r4 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = LSTMCell<Float>(0, 3)
        }
        #expect(
            r4.standardError.contains("LSTMCell: inputs and hidden must be positive, got 0 and 3"),
            "\(r4.standardError)")
        let r5 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = RNNCell<Float>(2, 3).fold(over: Tensor<Float>(zeros: [2, 1, 2]), truncatingEvery: 0)
        }
        #expect(r5.standardError.contains("fold: truncatingEvery must be at least 1, got 0"), "\(r5.standardError)")
        let r6 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Float>(3).unstacked()
        }
        #expect(r6.standardError.contains("unstacked: a tensor of rank 0"), "\(r6.standardError)")
        let r7 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = LSTMCell<Float>(2, 3)(LSTMCell<Float>(2, 3).zeroState(batchSize: 1), Tensor<Float>(zeros: [1, 5]))
        }
        #expect(r7.standardError.contains("affine"), "\(r7.standardError)")
    }
}
