import CFluxKernels

// A weight multiplied by many thin matrices in one gradient computation (an LSTM's
// recurrent weight, once per time step forward and once backward) is packed into the
// layout of the product's inner loop once, on its second use, and the packed copy serves
// every later use: BLAS would repack it at every call. Float only (the kernel's type).

/// `Wᵀ` or `W` of a `Float` matrix, packed for `flux_packed_product_f32`.
@usableFromInline
final class PackedMatrix: @unchecked Sendable {
    /// The inner and outer extent of the products it serves: `[k, n]`.
    @usableFromInline let k: Int, n: Int
    /// The panels, in a tensor's storage: the buffer pool recycles it from step to step.
    @usableFromInline let storage: Tensor<Float>
    @inlinable var panels: UnsafePointer<Float> { UnsafePointer(storage.buffer.base) }

    /// `matrix` (`[k, n]`), or its transpose (`matrix` is then `[n, k]`), packed.
    @usableFromInline
    init(_ matrix: Tensor<Float>, transposed: Bool) {
        let (k, n) = transposed ? (matrix.shape[1], matrix.shape[0]) : (matrix.shape[0], matrix.shape[1])
        let columns = Int(FLUX_PACKED_COLUMNS)
        (self.k, self.n) = (k, n)
        storage = Tensor<Float>(shape: [Swift.max(1, (n + columns - 1) / columns * columns * k)], operation: "matmul") {
            panels in
            matrix.withUnsafeBufferPointer { m in
                flux_pack_f32(m.baseAddress!, matrix.shape[1], transposed ? 1 : 0, k, n, panels.baseAddress!)
            }
        }
    }
}

/// The packed forms of the weights of one gradient computation, by their storage, with the
/// storage itself kept alive: a tensor's storage never changes once shared (a write copies
/// it), so the packed copy stays right for as long as the key is held here.
@usableFromInline
final class PackedWeights: @unchecked Sendable {
    @usableFromInline struct Entry {
        @usableFromInline let storage: AnyObject
        @usableFromInline var uses = 0, transposedUses = 0
        @usableFromInline var packed: PackedMatrix?, transposed: PackedMatrix?
        @inlinable init(storage: AnyObject) { self.storage = storage }
    }

    @usableFromInline var entries: [ObjectIdentifier: Entry] = [:]

    @inlinable init() {}

    /// `weight` (or its transpose) packed, from its second use on in this computation; nil
    /// on the first (a weight used once is not worth packing).
    @inlinable
    func packed(_ weight: Tensor<Float>, transposed: Bool) -> PackedMatrix? {
        let key = ObjectIdentifier(weight.buffer)
        var entry = entries[key] ?? Entry(storage: weight.buffer)
        defer { entries[key] = entry }
        if transposed {
            entry.transposedUses += 1
            guard entry.transposedUses >= 2 else { return nil }
            if entry.transposed == nil { entry.transposed = PackedMatrix(weight, transposed: true) }
            return entry.transposed
        }
        entry.uses += 1
        guard entry.uses >= 2 else { return nil }
        if entry.packed == nil { entry.packed = PackedMatrix(weight, transposed: false) }
        return entry.packed
    }
}

/// `a · B` (plus `addend`, `[m, n]`, when given) for `a` `[m, k]` and a packed `B` `[k, n]`,
/// split between the cores when large.
@inlinable
func packedProduct(_ a: Tensor<Float>, _ b: PackedMatrix, adding addend: Tensor<Float>? = nil) -> Tensor<Float> {
    let (m, k, n) = (a.shape[0], b.k, b.n)
    return Tensor<Float>(shape: [m, n], operation: "matmul") { c in
        guard m > 0, n > 0 else { return }
        // The addend is read by the kernel as it writes each tile, not copied in first.
        let held = addend ?? a
        held.withUnsafeBufferPointer { added in
            a.withUnsafeBufferPointer { a in
                let part = PackedProductPart(
                    a: a.baseAddress!, b: b, c: c.baseAddress!, m: m, n: n, k: k,
                    addend: addend == nil ? nil : added.baseAddress)
                forEachChunk(of: n, splitting: Double(m) * Double(n) * Double(k) >= Double(coreSplitThreshold), part)
            }
        }
    }
}

/// The columns of a packed product in a range (rounded to whole panels).
@usableFromInline
struct PackedProductPart: ChunkedWork {
    @usableFromInline let a: UnsafePointer<Float>, b: PackedMatrix, c: UnsafeMutablePointer<Float>
    @usableFromInline let m: Int, n: Int, k: Int
    @usableFromInline let addend: UnsafePointer<Float>?

    @inlinable
    init(
        a: UnsafePointer<Float>, b: PackedMatrix, c: UnsafeMutablePointer<Float>, m: Int, n: Int, k: Int,
        addend: UnsafePointer<Float>?
    ) {
        (self.a, self.b, self.c, self.m, self.n, self.k, self.addend) = (a, b, c, m, n, k, addend)
    }

    @inlinable
    func callAsFunction(_ range: Range<Int>) {
        // Every part rounds its bounds the same way, so the panels are split without overlap.
        let columns = Int(FLUX_PACKED_COLUMNS)
        let panel = { (column: Int) in column == n ? (n + columns - 1) / columns : (column + columns / 2) / columns }
        let (first, last) = (panel(range.lowerBound), panel(range.upperBound))
        guard first < last else { return }
        withExtendedLifetime(b) {
            flux_packed_product_f32(a, k, b.panels, c, n, m, n, k, addend, first, last)
        }
    }
}
