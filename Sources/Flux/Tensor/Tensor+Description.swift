import Foundation

extension Tensor: CustomStringConvertible, CustomDebugStringConvertible {
    /// The elements nested by axis, NumPy style, followed by the shape; axes longer than
    /// ``Tensor/summaryThreshold`` elements in all show their first and last three entries.
    ///
    /// ```
    /// [[1.0, 2.0, 3.0],
    ///  [4.0, 5.0, 6.0]] shape [2, 3]
    /// ```
    public var description: String {
        "\(formattedValues()) shape \(shape)"
    }

    /// The scalar type, the shape and the elements: `Tensor<Float>([2, 3], [[1.0, …]])`.
    public var debugDescription: String {
        "Tensor<\(Scalar.self)>(\(shape), \(formattedValues(indent: "Tensor<\(Scalar.self)>(\(shape), ".count)))"
    }

    /// Tensors with more elements than this are summarised when printed.
    public static var summaryThreshold: Int { 1000 }

    /// How many entries are shown at each end of a summarised axis.
    static var edgeItems: Int { 3 }

    /// The nested text of the elements; `indent` is the column the first bracket sits at.
    func formattedValues(indent: Int = 0) -> String {
        // An empty tensor is summarised too: its extents can be huge (`[1 << 40, 0]`), and
        // printing every empty row would take as long.
        let summarise = count > Self.summaryThreshold || count == 0
        let values = scalars
        // Collect the indices that will be shown, to align every number to one width.
        let shownText = Dictionary(
            uniqueKeysWithValues: shownOffsets(summarise: summarise).map { ($0, Self.format(values[$0])) })
        let width = shownText.values.map(\.count).max() ?? 0
        let strides = contiguousStrides(shape)
        func render(axis: Int, offset: Int) -> String {
            if axis == rank {
                let text = shownText[offset] ?? ""
                return String(repeating: " ", count: width - text.count) + text
            }
            let n = shape[axis]
            var parts: [String] = []
            let cut = summarise && n > 2 * Self.edgeItems
            for i in shownIndices(extent: n, summarise: summarise) {
                if cut && i == n - Self.edgeItems { parts.append("...") }
                parts.append(render(axis: axis + 1, offset: offset + i * strides[axis]))
            }
            let depth = rank - axis - 1
            let separator =
                depth == 0
                ? ", " : "," + String(repeating: "\n", count: depth) + String(repeating: " ", count: indent + axis + 1)
            return "[" + parts.joined(separator: separator) + "]"
        }
        return render(axis: 0, offset: 0)
    }

    /// The flat offsets of the elements printed, in order.
    private func shownOffsets(summarise: Bool) -> [Int] {
        var offsets = [0]
        let strides = contiguousStrides(shape)
        for axis in 0..<rank {
            let keep = shownIndices(extent: shape[axis], summarise: summarise)
            offsets = offsets.flatMap { o in keep.map { o + $0 * strides[axis] } }
        }
        return offsets
    }

    /// The indices of an axis of extent `n` that are printed: all, or the first and last
    /// ``edgeItems`` when summarising.
    private func shownIndices(extent n: Int, summarise: Bool) -> [Int] {
        summarise && n > 2 * Self.edgeItems
            ? Array(0..<Self.edgeItems) + Array((n - Self.edgeItems)..<n) : Array(0..<n)
    }

    /// One element as text: floating point with up to six significant digits.
    static func format(_ x: Scalar) -> String {
        switch x {
        case let f as Float: return formatFloat(Double(f))
        case let d as Double: return formatFloat(d)
        default: return "\(x)"
        }
    }

    private static func formatFloat(_ x: Double) -> String {
        if x.isNaN { return "nan" }
        if x.isInfinite { return x < 0 ? "-inf" : "inf" }
        if x == x.rounded() && abs(x) < 1e16 { return String(format: "%.1f", x) }
        let magnitude = abs(x)
        if magnitude >= 1e-4 && magnitude < 1e6 {
            var s = String(format: "%.6g", x)
            if !s.contains(".") && !s.contains("e") { s += ".0" }
            return s
        }
        return String(format: "%.4e", x)
    }
}
