extension ParameterContainer {
    /// A table of every parameter: the layer's path and type, the parameter's name, shape
    /// and element count, and the total.
    ///
    /// ```
    /// layer         type          parameter  shape       count
    /// body.first    Dense<Float>  weight     [784, 128]  100352
    /// body.first    Dense<Float>  bias       [128]       128
    /// ...
    /// total: 101770 parameters in 4 tensors
    /// ```
    public var summary: String {
        var copy = self
        var visitor = SummaryVisitor()
        traverseParameters(&copy, &visitor)
        let header = ["layer", "type", "parameter", "shape", "count"]
        let rows = [header] + visitor.rows
        let widths = header.indices.map { c in rows.map { $0[c].count }.max()! }
        let lines = rows.map { row in
            row.enumerated().map { c, text in
                c == row.count - 1 ? text : text + String(repeating: " ", count: widths[c] - text.count)
            }.joined(separator: "  ")
        }
        let total = visitor.rows.reduce(0) { $0 + Int($1[4])! }
        return (lines + ["total: \(total) parameters in \(visitor.rows.count) tensors"]).joined(separator: "\n")
    }
}

private struct SummaryVisitor: ParameterVisitor {
    var rows: [[String]] = []
    mutating func visit<S: TensorFloatingPoint>(_ tensor: inout Tensor<S>, path: ParameterPath) {
        var layer = path
        let name =
            layer.components.popLast().map { c -> String in
                if case .field(let f) = c { return f.hasPrefix(".") ? String(f.dropFirst()) : f }
                if case .index(let i) = c { return "[\(i)]" }
                return ""
            } ?? ""
        let owner = path.owners.last.map { "\($0)" } ?? "\(S.self) tensor"
        rows.append([
            layer.components.isEmpty ? "(top)" : layer.description, owner, name, "\(tensor.shape)", "\(tensor.count)",
        ])
    }
}
