import Flux
import Foundation
import Testing

@Suite struct ChainTests {
    @Test func chainEqualsTheLayersCalledByHand() {
        var rng = RandomGenerator(seed: 3)
        let a = Dense<Float>(4, 8, activation: relu, using: &rng)
        let b = Dense<Float>(8, 3, using: &rng)
        let model = Chain {
            a; b; softmax; { $0 * 2 }
        }
        let x = Tensor<Float>(randomNormal: [5, 4], using: &rng)
        #expect(model(x) == softmax(b(a(x))) * 2)
        #expect(model.parameterCount == a.parameterCount + b.parameterCount)
        let g = gradient(at: model) { $0(x).sum() }
        #expect(g.body.first.first.first.weight.shape == [4, 8])
    }

    /// Paths number a chain's layers as a user counts them (functions included, as in
    /// PyTorch's Sequential), and a Parallel's branches likewise, at any depth.
    @Test func pathsNumberLayersAndBranches() {
        var rng = RandomGenerator(seed: 5)
        let model = Chain {
            Dense<Float>(4, 6, activation: relu, using: &rng)
            relu
            Parallel(concatenatingAlongAxis: -1) {
                Dense<Float>(6, 2, using: &rng)
                Chain {
                    Dense<Float>(6, 3, using: &rng)
                    Dense<Float>(3, 2, using: &rng)
                }
            }
            Dense<Float>(4, 1, using: &rng)
        }
        #expect(
            model.parameters().map(\.path) == [
                "layers.0.weight", "layers.0.bias",
                "layers.2.branches.0.weight", "layers.2.branches.0.bias",
                "layers.2.branches.1.layers.0.weight", "layers.2.branches.1.layers.0.bias",
                "layers.2.branches.1.layers.1.weight", "layers.2.branches.1.layers.1.bias",
                "layers.3.weight", "layers.3.bias",
            ])
        #expect(model(Tensor(zeros: [2, 4])).shape == [2, 1])
    }

    @Test func summaryListsEveryParameterWithItsLayer() {
        var rng = RandomGenerator(seed: 4)
        let model = Chain {
            Dense<Float>(784, 128, activation: relu, using: &rng)
            Dense<Float>(128, 10, using: &rng)
        }
        let lines = model.summary.split(separator: "\n").map(String.init)
        #expect(lines.count == 6)
        #expect(lines[0].hasPrefix("layer"))
        #expect(
            lines[1].hasPrefix("layers.0 ") && lines[1].contains("Dense<Float>") && lines[1].contains("weight")
                && lines[1].contains("[784, 128]") && lines[1].hasSuffix("100352"))
        #expect(lines[4].hasPrefix("layers.1 ") && lines[4].contains("bias") && lines[4].hasSuffix("10"))
        #expect(lines[5] == "total: 101770 parameters in 4 tensors")
        #expect(model.parameterCount == 101770)
    }

    /// A chain whose neighbours do not fit must not compile: the compiler is run on such a
    /// chain (and, as a control, on one that fits) against the built Flux module.
    @Test func incompatibleChainDoesNotCompile() throws {
        guard builtModulesExist() else { return }
        let fits = try typecheck(
            """
            import Flux
            let c = Chain { Dense(3, 4, relu); Dense(4, 2, relu) }
            let layer = Dense<Double>(8, 16, relu)
            let d = Chain(of: Double.self) { Dense<Double>(4, 8, relu); relu; Dense<Double>(8, 3); softmax }
            """)
        #expect(fits.status == 0, "\(fits.output)")
        let mismatched = try typecheck(
            "import Flux\nlet c = Chain { Dense(3, 4, relu); Function { (x: Tensor<Int>) in x } }\n")
        #expect(mismatched.status != 0)
        // The error names the chain and the two types that do not meet.
        #expect(
            mismatched.output.contains(
                "error: generic struct 'Chain' requires that 'LayersDoNotFit<Tensor<Float>, Tensor<Int>>' conform to 'Model'"
            ), "\(mismatched.output)")
        let forked = try typecheck(
            "import Flux\nlet c = Chain { Dense(3, 4); Fork(Dense(4, 2), Dense(4, 2)); Dense(2, 2); relu }\n")
        #expect(
            forked.output.contains("'LayersDoNotFit<(Tensor<Float>, Tensor<Float>), Tensor<Float>>'"),
            "\(forked.output)")
        let double = try typecheck(
            "import Flux\nlet c = Chain(of: Double.self) { Dense<Double>(3, 4, relu); relu; Dense(4, 2); softmax }\n")
        #expect(double.output.contains("'LayersDoNotFit<Tensor<Double>, Tensor<Float>>'"), "\(double.output)")
    }

    @Test func shapeMismatchInAChainNamesTheShapes() async {
        let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let model = Chain {
                Dense(3, 4, relu); Dense(5, 2, relu)
            }
            _ = model(Tensor<Float>(zeros: [1, 3]))
        }
        #expect(
            r.standardError.contains(
                "Dense(5 → 2) at layers.1: input [1, 4], expected last dimension 5"), "\(r.standardError)")
    }
}

@Suite struct ScalarChainTests {
    /// A Double chain reads like a Float one, generic functions unwrapped.
    @Test func doubleChainWithGenericFunctions() {
        var rng = RandomGenerator(seed: 7)
        let model = Chain(of: Double.self) {
            Dense<Double>(4, 8, activation: relu, using: &rng)
            relu
            Dense<Double>(8, 3, using: &rng)
            softmax
        }
        let y = model(Tensor<Double>(randomNormal: [5, 4], using: &rng))
        #expect(y.shape == [5, 3])
        #expect(y.sum(alongAxes: 1).isApproximatelyEqual(to: Tensor(ones: [5])))
        #expect(
            model.parameters(of: Double.self).map(\.path) == [
                "layers.0.weight", "layers.0.bias", "layers.2.weight", "layers.2.bias",
            ])
        let short = Chain(of: Double.self) {
            Dense<Double>(4, 8, relu)
            flatten
            Dense<Double>(8, 3)
        }
        #expect(short(Tensor<Double>(zeros: [2, 4])).shape == [2, 3])
    }
}
