extension ParameterContainer {
    /// A table of every parameter: the layer's path and type, the parameter's name, shape
    /// and element count, and the total.
    ///
    /// ```
    /// layer     type          parameter  shape       count
    /// layers.0  Dense<Float>  weight     [784, 128]  100352
    /// layers.0  Dense<Float>  bias       [128]       128
    /// ...
    /// total: 101770 parameters in 4 tensors
    /// ```
    public var summary: String {
        var copy = self
        var rows: [[String]] = []
        forEachParameter(of: &copy, operation: "summary") { parameter in
            let (shape, count) =
                switch parameter.kind {
                case .float: parameter.tensor(0, as: Float.self).pointee.shapeAndCount
                case .double: parameter.tensor(0, as: Double.self).pointee.shapeAndCount
                }
            let (layer, name) = splitLastComponent(parameter.path)
            let owner = parameter.owner.map { "\($0)" } ?? "\(parameter.kind == .float ? "Float" : "Double") tensor"
            rows.append([layer.isEmpty ? "(top)" : layer, owner, name, "\(shape)", "\(count)"])
        }
        let header = ["layer", "type", "parameter", "shape", "count"]
        let table = [header] + rows
        let widths = header.indices.map { c in table.map { $0[c].count }.max()! }
        let lines = table.map { row in
            row.enumerated().map { c, text in
                c == row.count - 1 ? text : text + String(repeating: " ", count: widths[c] - text.count)
            }.joined(separator: "  ")
        }
        let total = rows.reduce(0) { $0 + Int($1[4])! }
        return (lines + ["total: \(total) parameters in \(rows.count) tensors"]).joined(separator: "\n")
    }
}

extension Tensor {
    fileprivate var shapeAndCount: ([Int], Int) { (shape, count) }
}

/// `layers[1].weight` as (`layers[1]`, `weight`); `layers[1]` as (`layers`, `[1]`).
private func splitLastComponent(_ path: String) -> (String, String) {
    guard let cut = path.lastIndex(where: { $0 == "." || $0 == "[" }) else { return ("", path) }
    if path[cut] == "[" { return (String(path[..<cut]), String(path[cut...])) }
    return (String(path[..<cut]), String(path[path.index(after: cut)...]))
}
