import CFluxKernels

// The composites (Chain, Sequential, Parallel's branches, LayerArray) keep a thread-local
// record of which of their layers is running (CFluxKernels/LayerPath.h), so that a layer that
// stops can say where it is in the model with the names its parameters have:
// `Dense(8 → 16) at layers.1: …`, and any other stop inside a model ends with the layer's path.

/// The names a composite's frame gives its layers.
@usableFromInline
enum LayerPathName: Int32 {
    /// `2`: a bare `Sequential`'s or branch list's numbering.
    case numbered = 0
    /// `layers.2`: a ``Chain``.
    case layers = 1
    /// `branches.2`: a ``Parallel``.
    case branches = 2
    /// `layers[2]`: a ``LayerArray``.
    case layerArray = 3
}

/// The path of the layer running on this thread (`layers.2.layers.0`), or nil outside any
/// composite.
func currentLayerPath() -> String? {
    let path = flux_layer_path_current()!.pointee
    let depth = min(Int(path.depth), Int(FLUX_LAYER_PATH_CAPACITY))
    guard depth > 0 else { return nil }
    let (names, indices) = (path.name, path.index)
    var parts: [String] = []
    withUnsafeBytes(of: names) { names in
        withUnsafeBytes(of: indices) { indices in
            for level in 0..<depth {
                let index = indices.load(fromByteOffset: level * 8, as: Int64.self)
                switch LayerPathName(rawValue: names.load(fromByteOffset: level * 4, as: Int32.self)) {
                case .layers: parts.append("layers.\(index)")
                case .branches: parts.append("branches.\(index)")
                case .layerArray: parts.append("layers[\(index)]")
                case .numbered, nil: parts.append("\(index)")
                }
            }
        }
    }
    let named = parts.joined(separator: ".")
    return path.depth > FLUX_LAYER_PATH_CAPACITY ? named + ".…" : named
}

/// Stops with `detail`, naming the layer `layer` (e.g. `Dense(8 → 16)`) and, inside a
/// composite, where it is: `Dense(8 → 16) at layers.1: input [8, 16], …`.
@usableFromInline
func failInLayer(_ layer: String, _ detail: String, file: StaticString = #fileID, line: UInt = #line) -> Never {
    let at = currentLayerPath().map { " at \($0)" } ?? ""
    fatalError("\(layer)\(at): \(detail)", file: file, line: line)
}
