import CFluxKernels

/// Several models applied to the same input, their outputs (of one type) combined by `merge`.
///
/// ```swift
/// let sum = Parallel(merge: { $0[0] + $0[1] }) {
///     Dense(64, 32, relu)
///     Dense(64, 32, tanh)
/// }
/// let wide = Parallel(concatenatingAlongAxis: -1) { Dense(64, 16); Dense(64, 16); relu }
/// ```
/// Branches are type-checked: each must take the input type and return the same output
/// type. For branches with different output types, use ``Fork``. A model listed in two
/// branches is two independent copies; to share weights, use one stored model twice in
/// your own model's forward pass, and its gradient is the sum of both uses.
public struct Parallel<Branches: BranchList, Merged>: Model {
    /// The branches, each applied to the input.
    public var branches: Branches
    /// Combines the branches' outputs, in order; not a parameter.
    public var merge: ([Branches.Element]) -> Merged

    /// The branches listed in `content`, merged by `merge`.
    public init(merge: @escaping ([Branches.Element]) -> Merged, @ParallelBuilder _ content: () -> Branches) {
        (self.branches, self.merge) = (content(), merge)
    }

    public func callAsFunction(_ input: Branches.Input) -> Merged {
        let continued = flux_layer_enter(LayerPathName.branches.rawValue)
        flux_layer_at(0, 1)  // the branch list continues this frame
        let outputs = branches(input)
        flux_layer_leave(continued)
        return merge(outputs)
    }
}

extension Parallel {
    /// Tensor branches joined along `axis` (their other extents must agree).
    public init<S: TensorFloatingPoint>(
        concatenatingAlongAxis axis: Int, @ParallelBuilder _ content: () -> Branches
    ) where Branches.Element == Tensor<S>, Merged == Tensor<S> {
        self.init(merge: { Tensor(concatenating: $0, alongAxis: axis) }, content)
    }

    /// Tensor branches added (their shapes must broadcast together).
    public init<S: TensorFloatingPoint>(
        @ParallelBuilder adding content: () -> Branches
    ) where Branches.Element == Tensor<S>, Merged == Tensor<S> {
        self.init(merge: { $0.dropFirst().reduce($0[0], +) }, content)
    }

    /// Tensor branches multiplied elementwise (their shapes must broadcast together).
    public init<S: TensorFloatingPoint>(
        @ParallelBuilder multiplying content: () -> Branches
    ) where Branches.Element == Tensor<S>, Merged == Tensor<S> {
        self.init(merge: { $0.dropFirst().reduce($0[0], *) }, content)
    }
}

/// Models that all take one input and give outputs of one type, listed in order.
public protocol BranchList: Model where Output == [Element] {
    /// The type of every branch's output.
    associatedtype Element
}

/// The first branch of a ``Parallel``.
public struct FirstBranch<Branch: Model>: BranchList {
    public typealias Element = Branch.Output
    public var branch: Branch
    public init(_ branch: Branch) { self.branch = branch }
    public func callAsFunction(_ input: Branch.Input) -> [Branch.Output] {
        let continued = flux_layer_enter(LayerPathName.numbered.rawValue)
        flux_layer_at(0, 0)
        let output = branch(input)
        flux_layer_leave(continued)
        return [output]
    }
}

/// The branches before, and one more.
public struct MoreBranches<Earlier: BranchList, Branch: Model>: BranchList
where Earlier.Input == Branch.Input, Earlier.Element == Branch.Output {
    public typealias Element = Branch.Output
    public var earlier: Earlier
    public var branch: Branch
    public init(_ earlier: Earlier, _ branch: Branch) { (self.earlier, self.branch) = (earlier, branch) }
    public func callAsFunction(_ input: Branch.Input) -> [Branch.Output] {
        let continued = flux_layer_enter(LayerPathName.numbered.rawValue)
        flux_layer_at(0, 1)  // the earlier branches continue this frame
        var outputs = earlier(input)
        flux_layer_at(Int64(outputs.count), 0)
        outputs.append(branch(input))
        flux_layer_leave(continued)
        return outputs
    }
}

// A Parallel's branches read as `branches.0`, `branches.1`, … in parameter paths.
extension FirstBranch: _NumberedLayers {
    static var _numberedLayers: [(type: Any.Type, offset: Int)] {
        [(Branch.self, MemoryLayout<Self>.offset(of: \Self.branch)!)]
    }
}

extension MoreBranches: _NumberedLayers {
    static var _numberedLayers: [(type: Any.Type, offset: Int)] {
        numberedLayers(Earlier.self, at: MemoryLayout<Self>.offset(of: \Self.earlier)!)
            + [(Branch.self, MemoryLayout<Self>.offset(of: \Self.branch)!)]
    }
}

/// Lists the branches of a ``Parallel``; functions become parameterless models, as in ``Chain``.
@resultBuilder
public enum ParallelBuilder {
    public static func buildExpression<M: Model>(_ model: M) -> M { model }

    public static func buildExpression(
        _ function: @escaping (Tensor<Float>) -> Tensor<Float>
    ) -> Function<Tensor<Float>, Tensor<Float>> {
        ChainBuilder.buildExpression(function)
    }

    @_disfavoredOverload
    public static func buildExpression<I, O>(_ function: @escaping (I) -> O) -> Function<I, O> { Function(function) }

    public static func buildPartialBlock<M: Model>(first: M) -> FirstBranch<M> { FirstBranch(first) }

    public static func buildPartialBlock<L: BranchList, M: Model>(accumulated: L, next: M) -> MoreBranches<L, M> {
        MoreBranches(accumulated, next)
    }
}

/// Two models applied to the same input, giving both outputs: a split of the graph.
///
/// ```swift
/// let heads = Fork(classifier, regressor)     // (classes, box)
/// ```
public struct Fork<First: Model, Second: Model>: Model where First.Input == Second.Input {
    public var first: First
    public var second: Second
    /// Both models, on one input.
    public init(_ first: First, _ second: Second) { (self.first, self.second) = (first, second) }
    public func callAsFunction(_ input: First.Input) -> (First.Output, Second.Output) { (first(input), second(input)) }
}
