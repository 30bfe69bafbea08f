import Flux
import FluxTesting
import Testing

private struct Affine: Model {
    var weight: Tensor<Double>
    var scale: Tensor<Double>?
    var activation: (Tensor<Double>) -> Tensor<Double> = { $0 }
    let width: Int
    func callAsFunction(_ x: Tensor<Double>) -> Tensor<Double> {
        activation(scale.map { matmul(matmul(x, weight), $0) } ?? matmul(x, weight))
    }
}

private struct Stack: Model {
    var name = "stack"
    var layers: [Affine]
    @Frozen var projection: Tensor<Double>
    var pair: (Tensor<Float>, Int)
    func callAsFunction(_ x: Tensor<Double>) -> Tensor<Double> {
        matmul(layers.reduce(x) { $1($0) }, projection)
    }
}

private final class Box { var hidden = Tensor<Float>([1, 2]) }
private struct Leaky: ParameterContainer {
    var weight = Tensor<Float>([1])
    var box = Box()
}
private struct InsideExistential: ParameterContainer {
    var any: Any = Tensor<Float>([1])
}

@Suite struct ParameterTraversalTests {
    private func makeStack(_ rng: inout RandomGenerator) -> Stack {
        let a = Affine(weight: Tensor(randomNormal: [3, 4], using: &rng), scale: nil, width: 4)
        let b = Affine(
            weight: Tensor(randomNormal: [4, 2], using: &rng), scale: Tensor(randomNormal: [2, 2], using: &rng),
            width: 2)
        return Stack(layers: [a, b], projection: Tensor(randomNormal: [2, 1], using: &rng), pair: (Tensor([5]), 1))
    }

    @Test func findsNestedArrayOptionalAndTupleTensorsButNotFrozenOnes() {
        var rng = RandomGenerator(seed: 1)
        let model = makeStack(&rng)
        #expect(
            model.parameters(of: Double.self).map(\.path) == [
                "layers[0].weight", "layers[1].weight", "layers[1].scale",
            ])
        #expect(model.parameters(of: Float.self).map(\.path) == ["pair.0"])
        #expect(model.parameterCount == 12 + 8 + 4 + 1)
    }

    @Test func gradientIsShapedLikeTheModel() {
        var rng = RandomGenerator(seed: 2)
        let model = makeStack(&rng)
        let x = Tensor<Double>(randomNormal: [5, 3], using: &rng)
        let ones = Tensor<Double>(ones: [5])
        let (value, grad) = valueWithGradient(at: model) { m in matmul(matmul(ones, m(x)), Tensor([1.0])) }
        #expect(value.isFinite)
        #expect(grad.layers.count == 2)
        #expect(grad.layers[0].weight.shape == [3, 4])
        #expect(grad.layers[1].scale?.shape == [2, 2])
        #expect(grad.pair.0 == Tensor<Float>(zeros: [1]))  // a Float tensor is a constant to a Double loss
        let check = checkGradient(of: { m in matmul(matmul(ones, m(x)), Tensor([1.0])) }, at: model)
        #expect(check.worstRelativeError < 1e-7, "\(check)")
        #expect(check.checkedElements == 24)
    }

    @Test func frozenTensorIsKeptAndUnusedParameterGetsZeros() {
        var rng = RandomGenerator(seed: 3)
        let model = makeStack(&rng)
        let grad = gradient(at: model) { m in matmul(m.layers[0].weight.sharingRow0, Tensor([1.0, 1, 1, 1])) }
        #expect(grad.layers[1].weight == Tensor(zeros: [4, 2]))
        #expect(grad.layers[0].weight.scalars == [1, 1, 1, 1] + Array(repeating: 0, count: 8))
    }

    @Test func tensorInsideAClassStopsWithItsPath() async {
        let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Leaky().parameterCount
        }
        #expect(r.standardError.contains("`box` of type Box holds tensors inside a class instance"))
        let s = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = InsideExistential().parameterCount
        }
        #expect(s.standardError.contains("`any` of type Any holds tensors inside an existential"))
    }
}

extension Tensor where Scalar == Double {
    /// The first row of a matrix as a vector, through a differentiable product.
    fileprivate var sharingRow0: Tensor {
        matmul(Tensor([1.0] + Array(repeating: 0, count: shape[0] - 1)), self)
    }
}
