import CFluxKernels
import Flux
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The whole-buffer `Float` kernels behind `exp`, `tanh` and `sigmoid` of a tensor, every
/// variant this CPU can run (AVX-512, AVX2 + FMA, baseline), held to the same bounds as the
/// scalar kernels of FastMathTests, over the same sweeps, with the same special values.
@Suite struct VectorKernelTests {
    static let inputs =
        FastMathTests.patterns + FastMathTests.dense
        + Array(linearSweep(from: 88.5, to: 89.5, count: 10_001))
        + Array(linearSweep(from: -105, to: -86, count: 100_001))

    func expectAccurate(
        _ name: String, _ f: (Tensor<Float>) -> Tensor<Float>, reference: (Double) -> Double, relative bound: Double
    ) {
        let function: Int32 = name == "exp" ? 0 : name == "tanh" ? 1 : 2
        var outputs = [f(Tensor(Self.inputs)).scalars]
        for variant in 0..<flux_kernel_variants() {
            var y = [Float](repeating: 0, count: Self.inputs.count)
            flux_kernel_f32(variant, function, Self.inputs, &y, Self.inputs.count)
            outputs.append(y)
        }
        #expect(outputs.count >= 2)
        for (k, output) in outputs.enumerated() {
            let which = k == 0 ? "the tensor function" : "kernel variant \(k - 1)"
            var next = output.makeIterator()
            let accuracy = Accuracy(Self.inputs, { _ in next.next()! }, reference: reference)
            #expect(accuracy.mismatches.isEmpty, "\(name), \(which): \(accuracy)")
            #expect(accuracy.maxRelative <= bound, "\(name), \(which): \(accuracy)")
        }
    }

    @Test func expOfATensor() { expectAccurate("exp", exp, reference: { exp($0) }, relative: 1e-7) }

    @Test func tanhOfATensor() { expectAccurate("tanh", tanh, reference: { tanh($0) }, relative: 1.5e-7) }

    @Test func sigmoidOfATensor() {
        expectAccurate("sigmoid", sigmoid, reference: { 1 / (1 + exp(-$0)) }, relative: 2.5e-7)
    }

    /// Special values, and every length from 0 to 40 (the vector loops' remainders).
    @Test func specialValuesAndRemainders() {
        let inf = Float.infinity
        #expect(tanh(Tensor<Float>([inf, -inf, 20, -20, 0, 1e-30])).scalars == [1, -1, 1, -1, 0, 1e-30])
        #expect(tanh(Tensor<Float>([-0.0])).scalars[0].sign == .minus)
        #expect(exp(Tensor<Float>([-inf, 0, 100])).scalars == [0, 1, inf])
        #expect(sigmoid(Tensor<Float>([inf, -inf, 0, 100, -200])).scalars == [1, 0, 0.5, 1, 0])
        for f in [exp, tanh, sigmoid] as [(Tensor<Float>) -> Tensor<Float>] {
            #expect(f(Tensor<Float>([.nan])).scalars[0].isNaN)
        }
        for n in 0...40 {
            let x = Tensor<Float>((0..<n).map { Float($0) / 7 - 3 })
            let scalarTanh = x.scalars.map { Float.tanh($0) }
            #expect(zip(tanh(x).scalars, scalarTanh).allSatisfy { abs($0 - $1) <= 2e-7 * max(1, abs($1)) }, "n = \(n)")
        }
    }

    /// In place (the input array is the output) every variant gives what it gives out of place.
    @Test func inPlaceEqualsOutOfPlace() {
        for variant in 0..<flux_kernel_variants() {
            for function: Int32 in 0...2 {
                var y = [Float](repeating: 0, count: Self.inputs.count)
                flux_kernel_f32(variant, function, Self.inputs, &y, Self.inputs.count)
                var z = Self.inputs
                z.withUnsafeMutableBufferPointer {
                    flux_kernel_f32(variant, function, $0.baseAddress!, $0.baseAddress!, $0.count)
                }
                // Up to the kernels' own error (the two loops may contract multiply-adds differently).
                let worst = zip(y, z).map { abs($0 - $1) / max(abs($0), Float.leastNormalMagnitude) }.max() ?? 0
                #expect(worst <= 4e-7, "variant \(variant), function \(function): relative difference \(worst)")
            }
        }
    }
}
