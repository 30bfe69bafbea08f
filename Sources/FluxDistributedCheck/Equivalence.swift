import Flux
import FluxDistributed

/// How a data-parallel step combines the processes' gradients.
enum Combination: CaseIterable, CustomStringConvertible {
    /// `valueWithGradient` then `allReduce(_:_:)`.
    case allReduce
    /// `world.valueWithGradient(at:)`: one message after the backward pass.
    case afterBackward
    /// `world.valueWithGradient(at:overlapping: true)` with 64-byte buckets: one bucket per
    /// parameter or two, sent during the backward pass.
    case overlapped

    var description: String {
        switch self {
        case .allReduce: "allReduce"
        case .afterBackward: "after the backward pass"
        case .overlapped: "overlapped"
        }
    }
}

/// Data-parallel training on each process's part of every batch ends with the parameters of
/// one process training on whole batches: for SGD with momentum and Adam, in Double and Float,
/// whichever way the gradients are combined.
func checkEquivalence(_ world: Communicator) throws {
    let expect = Expectations(world)
    for combination in Combination.allCases {
        for rule in ["SGD", "Adam"] {
            let (double, doubleLoss) = try trainBothWays(Double.self, rule: rule, combination: combination, world)
            expect.check(
                double <= 1e-12 && doubleLoss <= 1e-12, "Double, \(rule), \(combination)",
                "parameters differ by \(double), losses by \(doubleLoss)")
            let (float, floatLoss) = try trainBothWays(Float.self, rule: rule, combination: combination, world)
            expect.check(
                float <= 2e-5 && floatLoss <= 2e-5, "Float, \(rule), \(combination)",
                "parameters differ by \(float), losses by \(floatLoss)")
        }
    }
    expect.finish()
}

/// Trains a small model for two epochs of batches of 12 both ways and returns the largest
/// relative difference of the parameters and of the losses.
func trainBothWays<S: TensorFloatingPoint & TensorFloatingPointLike>(
    _: S.Type, rule: String, combination: Combination, _ world: Communicator
) throws -> (parameters: Double, losses: Double) {
    var rng = RandomGenerator(seed: 5)
    let data = Dataset(
        inputs: Tensor<S>(randomNormal: [30, 5], using: &rng), labels: Tensor<S>(randomNormal: [30, 3], using: &rng))
    var rankRNG = RandomGenerator(seed: 100 + UInt64(world.rank))  // each process's own start, replaced below
    let start = try world.broadcast(
        Chain {
            Dense<S>(5, 8, activation: tanh, using: &rankRNG)
            Dense<S>(8, 3, using: &rankRNG)
        })
    var (alone, together) = (start, start)
    var (aloneLosses, togetherLosses): ([S], [S]) = ([], [])
    var sgd = (SGD(for: start, learningRate: 0.1, momentum: 0.9), SGD(for: start, learningRate: 0.1, momentum: 0.9))
    var adam = (Adam(for: start, learningRate: 0.01), Adam(for: start, learningRate: 0.01))
    for epoch in 1...2 {
        let batches = data.batches(size: 12, shuffledBy: 9, epoch: epoch, remainder: .keepLast)
        for ((x, y), (xPart, yPart)) in zip(batches, batches.sharded(for: world)) {
            let (loss, grad) = valueWithGradient(at: alone) { m in meanSquaredError(m(x), y) }
            aloneLosses.append(loss)
            let (partLoss, combined) = try combine(together, combination, world) { m in
                meanSquaredError(m(xPart), yPart)
            }
            togetherLosses.append(partLoss)
            if rule == "SGD" {
                sgd.0.update(&alone, along: grad)
                sgd.1.update(&together, along: combined)
            } else {
                adam.0.update(&alone, along: grad)
                adam.1.update(&together, along: combined)
            }
        }
    }
    let a = alone.parameters(of: S.self).map(\.tensor.scalars)
    let b = together.parameters(of: S.self).map(\.tensor.scalars)
    return (relativeDifference(b, a), relativeDifference([togetherLosses], [aloneLosses]))
}

/// The loss and gradient of `model` averaged over the processes, combined as `combination` says.
func combine<M: ParameterContainer, S: TensorFloatingPoint & TensorFloatingPointLike>(
    _ model: M, _ combination: Combination, _ world: Communicator, loss: (M) -> Tensor<S>
) throws -> (S, Gradient<M>) {
    switch combination {
    case .allReduce:
        let (value, gradient) = valueWithGradient(at: model, of: loss)
        return (S(try world.allReduce(value.double, .mean)), try world.allReduce(gradient))
    case .afterBackward:
        return try world.valueWithGradient(at: model, of: loss)
    case .overlapped:
        return try world.valueWithGradient(at: model, overlapping: true, bucketBytes: 64, of: loss)
    }
}
