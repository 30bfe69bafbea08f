#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The worst error of `f` against a `Double` reference over `inputs`, where both are finite
/// and nonzero; every other input (inf, NaN, 0 or an underflow on either side) is counted
/// as a mismatch unless both agree, or differ by at most the smallest subnormal.
struct Accuracy: CustomStringConvertible {
    var maxRelative = 0.0
    var worstInput: Float = 0
    var maxAbsolute = 0.0
    var mismatches: [Float] = []

    init<S: Sequence<Float>>(_ inputs: S, _ f: (Float) -> Float, reference: (Double) -> Double) {
        for x in inputs {
            let y = f(x)
            let exact = reference(Double(x))
            let rounded = Float(exact)
            if !y.isFinite || !rounded.isFinite || y == 0 || rounded == 0 {
                let agree = (y.isNaN && rounded.isNaN) || y == rounded || fabs(Double(y) - exact) <= 0x1p-149
                if !agree { mismatches.append(x) }
                continue
            }
            let absolute = fabs(Double(y) - exact)
            // Below the normal range the spacing of floats is fixed, so measure in units of it.
            let scale = max(fabs(exact), Double(Float.leastNormalMagnitude))
            let relative = max(0, absolute - 0x1p-150) / scale
            if relative > maxRelative { (maxRelative, worstInput) = (relative, x) }
            maxAbsolute = max(maxAbsolute, absolute)
        }
    }

    var description: String {
        "max relative \(maxRelative) at \(worstInput), max absolute \(maxAbsolute), mismatches \(mismatches.prefix(5))"
    }
}

/// Every `stride`-th bit pattern of `Float`: a sweep of all magnitudes, both signs,
/// subnormals, infinities and NaNs.
func bitPatternSweep(stride: UInt32) -> some Sequence<Float> {
    Swift.stride(from: UInt64(0), to: 1 << 32, by: Int(stride)).lazy.map { Float(bitPattern: UInt32($0)) }
}

/// `count` evenly spaced floats from `lower` to `upper`.
func linearSweep(from lower: Double, to upper: Double, count: Int) -> some Sequence<Float> {
    (0..<count).lazy.map { Float(lower + (upper - lower) * Double($0) / Double(count - 1)) }
}

/// Whether `a` and `b` agree to a relative tolerance (with `tolerance` as the absolute
/// tolerance near zero), NaN matching NaN and infinities matching exactly.
func close(_ a: Double, _ b: Double, tolerance: Double) -> Bool {
    if a.isNaN || b.isNaN { return a.isNaN && b.isNaN }
    if a.isInfinite || b.isInfinite { return a == b }
    return fabs(a - b) <= tolerance * max(1, fabs(b))
}
