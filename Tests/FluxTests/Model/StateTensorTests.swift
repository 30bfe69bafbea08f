import Testing

@testable import Flux

@Suite struct StateTensorTests {
    /// BatchNorm's running statistics read by path, and replaced in declaration order;
    /// Dropout's generator (a state that is no tensor) is left alone.
    @Test func runningStatisticsReadAndReplace() {
        var rng = RandomGenerator(seed: 3)
        var model = Chain {
            Dense<Float>(2, 3, using: &rng)
            BatchNorm<Float>(3)
            Dropout<Float>(0.5, using: &rng)
        }
        #expect(model.stateTensors().map(\.path) == ["layers.1.runningMean", "layers.1.runningVariance"])
        #expect(model.stateTensors(of: Double.self).isEmpty)
        let generator = model.safeTensors()["layers.2.generator"]
        var seen: [[Int]] = []
        model.mapStateTensors { state in
            if case .float(let t) = state { state = .float(t + 1) }
            seen.append(state.shape)
        }
        #expect(seen == [[3], [3]])
        #expect(model.stateTensors().map(\.tensor) == [Tensor<Float>([1, 1, 1]), Tensor<Float>([2, 2, 2])])
        #expect(model.safeTensors()["layers.2.generator"] == generator)

        var double = Chain { BatchNorm<Double>(1) }
        double.mapStateTensors { state in
            if case .double(let t) = state { state = .double(t * 3 + 1) }
        }
        #expect(double.stateTensors(of: Double.self).map(\.tensor) == [Tensor<Double>([1]), Tensor<Double>([4])])
    }

    @Test func aTransformThatChangesTheShapeStops() async {
        let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            var model = Chain {
                BatchNorm<Float>(3)
                relu
            }
            model.mapStateTensors { state in state = .float(Tensor<Float>(zeros: [4])) }
        }
        #expect(
            r.standardError.contains(
                "mapStateTensors: the layer state `layers.0.runningMean` is a Float tensor of shape [3]; the transform returned a Float tensor of shape [4]"
            ))
    }
}
