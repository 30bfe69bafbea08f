import Flux
import Testing

/// A delegate that holds no tensors: a model may keep one behind any kind of reference.
private final class Observer { var calls = 0 }
/// A delegate whose stored properties hold a tensor.
private final class Encoder { var weight = Tensor<Double>([1, 2]) }
private protocol Listener: AnyObject {}
extension Observer: Listener {}
extension Encoder: Listener {}

private struct Watched: ParameterContainer {
    var w = Tensor<Double>([1, -2])
    weak var delegate: Observer?
    weak var listener: (any Listener)?
    unowned var owner: Observer
    unowned(unsafe) var raw: Observer
    unowned var maybe: Observer?
}

private struct WeakEncoder: ParameterContainer {
    var w = Tensor<Double>([1])
    weak var delegate: Encoder?
}

private struct UnownedEncoder: ParameterContainer {
    var w = Tensor<Double>([1])
    unowned var encoder: Encoder
}

private struct WeakListener: ParameterContainer {
    var w = Tensor<Double>([1])
    weak var listener: (any Listener)?
}

/// Keeps the delegates alive for as long as the process runs.
nonisolated(unsafe) private let observer = Observer()
nonisolated(unsafe) private let encoder = Encoder()

private func loss(_ m: Watched) -> Tensor<Double> { (m.w * m.w).sum() }

@Suite struct ReferenceFieldTests {
    /// Weak, unowned and unowned(unsafe) fields to objects that hold no tensors are skipped:
    /// gradients and optimizer steps work, and the references are kept as they were.
    @Test func referencesToObjectsWithoutTensorsAreSkipped() {
        var model = Watched(delegate: observer, listener: observer, owner: observer, raw: observer, maybe: observer)
        #expect(model.parameters(of: Double.self).map(\.path) == ["w"])
        let grad = gradient(at: model, of: loss)
        #expect(grad.w == Tensor([2, -4]))
        var sgd = SGD(for: model, learningRate: 0.1, momentum: 0.9)
        sgd.update(&model, along: grad)
        #expect(model.w == Tensor([0.8, -1.6]))
        var adam = Adam(for: model, learningRate: 0.1)
        adam.update(&model, along: gradient(at: model, of: loss))
        #expect(model.delegate === observer && model.owner === observer && model.raw === observer)
        #expect(model.listener === observer && model.maybe === observer)
        #expect(adam.firstMoment.delegate === observer, "the state's copies keep the reference too")
        model.delegate = nil
        model.listener = nil
        #expect(gradient(at: model, of: loss).w.shape == [2], "a nil weak reference is skipped too")
    }

    /// A weak reference to an existential whose object holds no tensors is checked, not skipped.
    @Test func weakExistentialToAnObjectWithoutTensorsIsAllowed() {
        var model = WeakListener(listener: observer)
        var optimizer = SGD(for: model, learningRate: 0.1)
        optimizer.update(&model, along: gradient(at: model) { $0.w.sum() })
        #expect(model.w == Tensor([0.9]) && model.listener === observer)
    }

    @Test func weakReferenceToAClassWithTensorsStops() async {
        let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let model = WeakEncoder(delegate: encoder)
            _ = gradient(at: model) { $0.w.sum() }
        }
        #expect(
            r.standardError.contains(
                "parameters: `delegate` is a weak or unowned reference to a type whose stored properties hold tensors (Encoder)"
            ), "\(r.standardError)")
        let nilToo = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = SGD(for: WeakEncoder(delegate: nil), learningRate: 0.1)
        }
        #expect(nilToo.standardError.contains("`delegate` is a weak or unowned reference"), "judged by its type")
    }

    @Test func unownedReferenceToAClassWithTensorsStops() async {
        let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            var model = UnownedEncoder(encoder: encoder)
            var optimizer = Adam(for: model)
            optimizer.update(&model, along: gradient(at: model) { $0.w.sum() })
        }
        #expect(r.standardError.contains("`encoder` is a weak or unowned reference"), "\(r.standardError)")
    }

    @Test func weakExistentialToAnObjectWithTensorsStops() async {
        let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = gradient(at: WeakListener(listener: encoder)) { $0.w.sum() }
        }
        #expect(
            r.standardError.contains(
                "`listener` is a weak or unowned reference to an object that holds tensors (Listener)"),
            "\(r.standardError)")
    }
}
