extension Tensor {
    /// The elements that `ranges` select, as a new tensor (see ``TensorRange``); assigning
    /// writes a tensor, broadcast to the selection's shape, into those elements.
    ///
    /// ```swift
    /// let firstTwoRows = x[0..<2]
    /// x[TensorRange.all, 0] = Tensor(0)      // zero the first column
    /// ```
    /// - Precondition: integer entries are in range, and there are no more entries than axes.
    @inlinable
    public subscript(_ ranges: any TensorRangeExpression...) -> Tensor {
        get { slice(ranges.map(\.tensorRange)) }
        set { setSlice(ranges.map(\.tensorRange), to: newValue) }
    }

    /// The elements `entries` select; the gradient flows back into the selected positions.
    @inlinable
    public func slice(_ entries: [TensorRange]) -> Tensor {
        let view = StridedView(selecting: entries, from: shape)
        let value = gatheringView(offset: view.offset, shape: view.shape, strides: view.strides)
        let shape = self.shape
        return recording(value) { g in
            var full = Tensor(zeroBits: shape)
            full.scatteringView(g, offset: view.offset, shape: view.shape, strides: view.strides) { _, new in new }
            return full
        }
    }

    /// Writes `newValue` (broadcast to the selection's shape) into the elements `entries` select.
    @inlinable
    public mutating func setSlice(_ entries: [TensorRange], to newValue: Tensor) {
        let view = StridedView(selecting: entries, from: shape)
        let values = newValue.shape == view.shape ? newValue : newValue.broadcast(to: view.shape)
        guard isTraced || newValue.isTraced else {
            return scatteringView(values, offset: view.offset, shape: view.shape, strides: view.strides) { _, new in new
            }
        }
        var result = withoutDerivative
        result.scatteringView(values.withoutDerivative, offset: view.offset, shape: view.shape, strides: view.strides) {
            _, new in new
        }
        let valueShape = newValue.shape
        self = Tensor.recording(result, inputs: [self, newValue]) { g in
            var rest = g
            rest.scatteringView(
                Tensor(zeroBits: view.shape), offset: view.offset, shape: view.shape, strides: view.strides
            ) { _, z in z }
            let selected = g.gatheringView(offset: view.offset, shape: view.shape, strides: view.strides)
            return [rest, (selected as! any _SumToShape).sumToShapeAny(valueShape) as? Tensor]
        }
    }
}

/// Summing down to a shape, for the tensors that have arithmetic.
@usableFromInline
protocol _SumToShape {
    func sumToShapeAny(_ shape: [Int]) -> Any
}

extension Tensor: _SumToShape where Scalar: TensorNumeric {
    @usableFromInline func sumToShapeAny(_ shape: [Int]) -> Any { sum(toShape: shape) }
}
