import Flux
import Testing

/// A node of a linked list of objects; the last one may hold a tensor.
private final class Node {
    var next: Node?
    var payload: Tensor<Float>?
    init(next: Node? = nil, payload: Tensor<Float>? = nil) { (self.next, self.payload) = (next, payload) }
}

/// A chain of `length` nodes whose last one holds `payload`, closed into a cycle when asked.
private func chain(_ length: Int, payload: Tensor<Float>?, cycle: Bool = false) -> Node {
    let last = Node(payload: payload)
    var head = last
    for _ in 1..<length { head = Node(next: head) }
    if cycle { last.next = head }
    return head
}

private struct Linked: ParameterContainer {
    var w = Tensor<Float>([1])
    var head: Node
}

/// Values nested through enum payloads and existentials.
private indirect enum Nest {
    case leaf(Any)
    case wrap(Nest)
}

private func nest(_ depth: Int, around value: Any) -> Nest {
    (0..<depth).reduce(Nest.leaf(value)) { inner, _ in .wrap(inner) }
}

private struct Nested: ParameterContainer {
    var w = Tensor<Float>([1])
    var nest: Nest
}

private struct Boxes: ParameterContainer {
    var w = Tensor<Float>([1])
    var boxes: [Any]
}

/// Collections whose elements the walk does not enter.
private struct Contiguous: ParameterContainer {
    var w = Tensor<Float>([1])
    var more: ContiguousArray<Tensor<Float>>
}

/// A class that holds no tensor is not searched at each step, however large.
private final class Vocabulary { var words = (0..<100_000).map { "w\($0)" } }
private struct WithVocabulary: ParameterContainer {
    var w = Tensor<Float>([1])
    let vocabulary = Vocabulary()
}

/// A recursive struct (through an array) of parameters.
private struct Tree: ParameterContainer {
    var w: Tensor<Double>
    var children: [Tree] = []
}

@Suite struct HiddenTensorTests {
    @Test func linkedListsAndCyclesWithoutTensorsAreWalked() {
        let model = Linked(head: chain(50, payload: nil))
        #expect(model.parameters().map(\.path) == ["w"])
        let cyclic = Linked(head: chain(50, payload: nil, cycle: true))
        #expect(cyclic.parameterCount == 1, "a cycle of objects ends the search")
        let long = Linked(head: chain(200_000, payload: nil))
        #expect(long.parameterCount == 1, "a long chain does not overflow the stack")
        #expect(Nested(nest: nest(50, around: 3)).parameterCount == 1)
        #expect(WithVocabulary().parameterCount == 1)
    }

    @Test func tensorFiftyNodesDownALinkedListStops() async {
        let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Linked(head: chain(50, payload: Tensor([1]))).parameterCount
        }
        #expect(r.standardError.contains("`head` of type Node holds tensors inside a class instance"))
    }

    @Test func tensorInACycleOfNodesStops() async {
        let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Linked(head: chain(50, payload: Tensor([1]), cycle: true)).parameterCount
        }
        #expect(r.standardError.contains("`head` of type Node holds tensors inside a class instance"))
    }

    @Test func tensorDeepInNestedEnumsAndExistentialsStops() async {
        let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Nested(nest: nest(50, around: [Tensor<Float>([1])] as Any)).parameterCount
        }
        #expect(r.standardError.contains("`nest` of type Nest holds tensors inside an enum payload"))
        let s = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Boxes(boxes: [1, "two", nest(30, around: chain(30, payload: Tensor([1])))]).parameterCount
        }
        #expect(s.standardError.contains("`boxes[2]` of type Any holds tensors inside an existential"))
    }

    @Test func tensorsInACollectionTheWalkDoesNotEnterStop() async {
        let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Contiguous(more: [Tensor([1])]).parameterCount
        }
        #expect(
            r.standardError.contains(
                "`more` of type ContiguousArray<Tensor<Float>> holds tensors inside a collection other than Array"))
    }

    @Test func recursiveStructsAreWalked() {
        let tree = Tree(w: Tensor([1]), children: [Tree(w: Tensor([2]), children: [Tree(w: Tensor([3]))])])
        #expect(tree.parameters(of: Double.self).map(\.path) == ["w", "children[0].w", "children[0].children[0].w"])
    }
}
