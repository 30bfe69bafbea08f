// Elementwise comparisons give masks (`Tensor<Bool>`), with the pointwise operators that
// Swift's SIMD types use: `.<`, `.<=`, `.>`, `.>=`, `.==`, `.!=`, and `.&`, `.|`, `.^`, `.!`
// to combine masks. `==` stays whole-tensor equality (a `Bool`). The precedences come
// from the standard library: comparisons bind tighter than `.&`, which binds tighter than
// `.|`, so `x .> 0 .& x .< 1 .| y .== 2` needs no parentheses.
//
// Comparisons follow IEEE 754: every comparison with NaN is false except `.!=`.

extension Tensor {
    /// Whether each pair of elements is equal, broadcasting the shapes.
    ///
    /// - Precondition: the shapes broadcast together.
    @inlinable public static func .== (lhs: Tensor, rhs: Tensor) -> Tensor<Bool> {
        lhs.zipElements(rhs, operation: ".==") { $0 == $1 }
    }
    /// Whether each element equals `rhs`.
    @inlinable public static func .== (lhs: Tensor, rhs: Scalar) -> Tensor<Bool> { lhs.mapElements { $0 == rhs } }
    /// Whether `lhs` equals each element.
    @inlinable public static func .== (lhs: Scalar, rhs: Tensor) -> Tensor<Bool> { rhs.mapElements { lhs == $0 } }

    /// Whether each pair of elements differs, broadcasting the shapes.
    ///
    /// - Precondition: the shapes broadcast together.
    @inlinable public static func .!= (lhs: Tensor, rhs: Tensor) -> Tensor<Bool> {
        lhs.zipElements(rhs, operation: ".!=") { $0 != $1 }
    }
    /// Whether each element differs from `rhs`.
    @inlinable public static func .!= (lhs: Tensor, rhs: Scalar) -> Tensor<Bool> { lhs.mapElements { $0 != rhs } }
    /// Whether `lhs` differs from each element.
    @inlinable public static func .!= (lhs: Scalar, rhs: Tensor) -> Tensor<Bool> { rhs.mapElements { lhs != $0 } }
}

extension Tensor where Scalar: TensorNumeric {
    /// Whether each element of `lhs` is less than the paired element of `rhs`, broadcasting the shapes.
    ///
    /// - Precondition: the shapes broadcast together.
    @inlinable public static func .< (lhs: Tensor, rhs: Tensor) -> Tensor<Bool> {
        lhs.zipElements(rhs, operation: ".<") { $0 < $1 }
    }
    /// Whether each element is less than `rhs`.
    @inlinable public static func .< (lhs: Tensor, rhs: Scalar) -> Tensor<Bool> { lhs.mapElements { $0 < rhs } }
    /// Whether `lhs` is less than each element.
    @inlinable public static func .< (lhs: Scalar, rhs: Tensor) -> Tensor<Bool> { rhs.mapElements { lhs < $0 } }

    /// Whether each element of `lhs` is at most the paired element of `rhs`, broadcasting the shapes.
    ///
    /// - Precondition: the shapes broadcast together.
    @inlinable public static func .<= (lhs: Tensor, rhs: Tensor) -> Tensor<Bool> {
        lhs.zipElements(rhs, operation: ".<=") { $0 <= $1 }
    }
    /// Whether each element is at most `rhs`.
    @inlinable public static func .<= (lhs: Tensor, rhs: Scalar) -> Tensor<Bool> { lhs.mapElements { $0 <= rhs } }
    /// Whether `lhs` is at most each element.
    @inlinable public static func .<= (lhs: Scalar, rhs: Tensor) -> Tensor<Bool> { rhs.mapElements { lhs <= $0 } }

    /// Whether each element of `lhs` is greater than the paired element of `rhs`, broadcasting the shapes.
    ///
    /// - Precondition: the shapes broadcast together.
    @inlinable public static func .> (lhs: Tensor, rhs: Tensor) -> Tensor<Bool> {
        lhs.zipElements(rhs, operation: ".>") { $0 > $1 }
    }
    /// Whether each element is greater than `rhs`.
    @inlinable public static func .> (lhs: Tensor, rhs: Scalar) -> Tensor<Bool> { lhs.mapElements { $0 > rhs } }
    /// Whether `lhs` is greater than each element.
    @inlinable public static func .> (lhs: Scalar, rhs: Tensor) -> Tensor<Bool> { rhs.mapElements { lhs > $0 } }

    /// Whether each element of `lhs` is at least the paired element of `rhs`, broadcasting the shapes.
    ///
    /// - Precondition: the shapes broadcast together.
    @inlinable public static func .>= (lhs: Tensor, rhs: Tensor) -> Tensor<Bool> {
        lhs.zipElements(rhs, operation: ".>=") { $0 >= $1 }
    }
    /// Whether each element is at least `rhs`.
    @inlinable public static func .>= (lhs: Tensor, rhs: Scalar) -> Tensor<Bool> { lhs.mapElements { $0 >= rhs } }
    /// Whether `lhs` is at least each element.
    @inlinable public static func .>= (lhs: Scalar, rhs: Tensor) -> Tensor<Bool> { rhs.mapElements { lhs >= $0 } }
}

extension Tensor where Scalar == Bool {
    /// Elementwise logical AND of two masks, broadcasting the shapes.
    ///
    /// - Precondition: the shapes broadcast together.
    @inlinable public static func .& (lhs: Tensor, rhs: Tensor) -> Tensor {
        lhs.zipElements(rhs, operation: ".&") { $0 && $1 }
    }

    /// Elementwise logical OR of two masks, broadcasting the shapes.
    ///
    /// - Precondition: the shapes broadcast together.
    @inlinable public static func .| (lhs: Tensor, rhs: Tensor) -> Tensor {
        lhs.zipElements(rhs, operation: ".|") { $0 || $1 }
    }

    /// Elementwise exclusive OR of two masks, broadcasting the shapes.
    ///
    /// - Precondition: the shapes broadcast together.
    @inlinable public static func .^ (lhs: Tensor, rhs: Tensor) -> Tensor {
        lhs.zipElements(rhs, operation: ".^") { $0 != $1 }
    }

    /// Elementwise logical NOT of a mask.
    @inlinable public static prefix func .! (mask: Tensor) -> Tensor { mask.mapElements { !$0 } }

    /// Whether any element is `true`; `false` for an empty mask.
    @inlinable
    public func any() -> Bool { withUnsafeBufferPointer { $0.contains(true) } }

    /// Whether every element is `true`; `true` for an empty mask.
    @inlinable
    public func all() -> Bool { withUnsafeBufferPointer { !$0.contains(false) } }
}

extension Tensor where Scalar: TensorFloatingPoint {
    /// A mask of the elements that are NaN.
    ///
    /// - Complexity: O(`count`): it is computed on each access.
    @inlinable public var isNaN: Tensor<Bool> { mapElements { $0 != $0 } }

    /// A mask of the elements that are neither infinite nor NaN.
    ///
    /// - Complexity: O(`count`): it is computed on each access.
    @inlinable public var isFinite: Tensor<Bool> { mapElements { $0.magnitude < .infinity } }

    /// A mask of the elements that are +inf or -inf.
    ///
    /// - Complexity: O(`count`): it is computed on each access.
    @inlinable public var isInfinite: Tensor<Bool> { mapElements { $0.magnitude == .infinity } }
}
