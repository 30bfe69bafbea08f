import BenchReport
import CBLAS
import Flux

#if canImport(Glibc)
    import Glibc
#endif

/// `gemm`: C = A·B for 1024×1024 `Float` matrices, through `matmul` and through bare `cblas_sgemm`.
func benchGemm() {
    let n = 1024
    var rng = RandomGenerator(seed: 0)
    let a = Tensor<Float>(randomNormal: [n, n], using: &rng)
    let b = Tensor<Float>(randomNormal: [n, n], using: &rng)
    let flops = 2 * Double(n * n * n)
    let cost = measureSteps { consume(matmul(a, b)) }
    let t = cost.seconds
    report(
        workload: "gemm",
        [("gflops", flops / t / 1e9), ("ms_per_step", t * 1e3), ("allocs_per_step", cost.allocations)])
    var c = [Float](repeating: 0, count: n * n)
    // Bare BLAS with its own thread pool, as a user calling cblas_sgemm would run it (Flux
    // sets OpenBLAS to one thread and splits products itself); restored afterwards.
    let threads = openblas_get_num_threads()
    openblas_set_num_threads(Int32(getenv("OPENBLAS_NUM_THREADS").flatMap { Int32(String(cString: $0)) } ?? 2))
    defer { openblas_set_num_threads(threads) }
    let raw = a.withUnsafeBufferPointer { pa in
        b.withUnsafeBufferPointer { pb in
            c.withUnsafeMutableBufferPointer { pc in
                measureSteps {
                    cblas_sgemm(
                        CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(n), Int32(n), Int32(n), 1,
                        pa.baseAddress, Int32(n), pb.baseAddress, Int32(n), 0, pc.baseAddress, Int32(n))
                }.seconds
            }
        }
    }
    report(peer: "cblas", workload: "gemm", [("gflops", flops / raw / 1e9), ("ms_per_step", raw * 1e3)])
}

/// `elementwise`: `relu(x)` and `a * x + y` over 16M floats against `memcpy` of the same
/// array into a buffer that is already mapped. Bandwidth counts the bytes every pass reads
/// and writes: relu 2 × 64 MiB, `a * x + y` two passes (2 + 3) × 64 MiB, memcpy 2 × 64 MiB.
func benchElementwise() {
    let n = 16 * 1024 * 1024
    let bytes = Double(n * MemoryLayout<Float>.stride)
    var rng = RandomGenerator(seed: 0)
    let x = Tensor<Float>(randomNormal: [n], using: &rng)
    let y = Tensor<Float>(randomNormal: [n], using: &rng)
    let a: Float = 1.5

    var destination = [Float](repeating: 0, count: n)
    let copy = x.withUnsafeBufferPointer { src in
        destination.withUnsafeMutableBufferPointer { dst in
            measureSteps { memcpy(dst.baseAddress!, src.baseAddress!, n * 4) }.seconds
        }
    }
    report(
        peer: "memcpy", workload: "elementwise",
        [("gbytes_per_s", 2 * bytes / copy / 1e9), ("ms_per_step", copy * 1e3)])

    let relu = measureSteps { consume(x.map { $0 > 0 ? $0 : 0 }) }.seconds
    report(
        workload: "relu",
        [
            ("gbytes_per_s", 2 * bytes / relu / 1e9), ("ms_per_step", relu * 1e3),
            ("of_memcpy", copy / relu),
        ])

    let axpy = measureSteps { consume(a * x + y) }.seconds
    report(
        workload: "axpy",
        [
            ("gbytes_per_s", 5 * bytes / axpy / 1e9), ("ms_per_step", axpy * 1e3),
            ("of_memcpy", 5 * copy / 2 / axpy),
        ])
}
