import Foundation
import Testing

@testable import Flux

/// A layer that fails inside a composed model says where it is, with its parameters' path.
@Suite struct LayerPathTests {
    @Test func nestedChainAndBranchesNameTheLayer() async {
        let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let model = Chain {
                Dense(4, 4, relu)
                Parallel(concatenatingAlongAxis: -1) {
                    Dense(4, 2)
                    Chain {
                        Dense(4, 3, relu); relu; Dense(2, 1)
                    }
                }
            }
            _ = model(Tensor<Float>(zeros: [1, 4]))
        }
        #expect(
            r.standardError.contains(
                "Dense(2 → 1) at layers.1.branches.1.layers.2: input [1, 3], expected last dimension 2"),
            "\(r.standardError)")
    }

    @Test func layerArrayNamesTheLayer() async {
        let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            var rng = RandomGenerator(seed: 1)
            let model = Chain {
                Dense(3, 3)
                LayerArray([
                    Dense<Float>(3, 3, using: &rng), Dense<Float>(3, 3, using: &rng),
                    Dense<Float>(weight: Tensor(zeros: [2, 3]), bias: Tensor(zeros: [3])),
                ])
            }
            _ = model(Tensor<Float>(zeros: [2, 3]))
        }
        #expect(r.standardError.contains("Dense(2 → 3) at layers.1.layers[2]:"), "\(r.standardError)")
    }

    @Test func anyStopInsideAModelEndsWithThePath() async {
        let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let model = Chain {
                Dense(3, 4)
                Function { (x: Tensor<Float>) in matmul(x, Tensor<Float>(zeros: [5, 2])) }
            }
            _ = model(Tensor<Float>(zeros: [1, 3]))
        }
        #expect(r.standardError.contains("(inside layers.1)"), "\(r.standardError)")
    }

    /// The record is left as it was found after every call, with and without gradients.
    @Test func pathIsEmptyBetweenCalls() {
        var rng = RandomGenerator(seed: 2)
        let model = Chain {
            Dense<Float>(3, 4, activation: relu, using: &rng)
            Chain {
                Dense<Float>(4, 4, using: &rng); relu
            }
            Parallel(adding: {
                Dense<Float>(4, 2, using: &rng); Dense<Float>(4, 2, using: &rng)
            })
            LayerArray([Dense<Float>(2, 2, using: &rng)])
        }
        let x = Tensor<Float>(randomNormal: [2, 3], using: &rng)
        #expect(currentLayerPath() == nil)
        _ = model(x)
        #expect(currentLayerPath() == nil)
        _ = gradient(at: model) { m in m(x).sum() }
        #expect(currentLayerPath() == nil)
        _ = Sequential(Dense<Float>(3, 3, using: &rng), Dense<Float>(3, 3, using: &rng))(x)
        #expect(currentLayerPath() == nil)
    }
}
