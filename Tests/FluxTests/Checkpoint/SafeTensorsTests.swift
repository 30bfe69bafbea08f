import FluxTesting
import Foundation
import Testing

@testable import Flux

/// A new path in a folder of its own under the temporary directory, removed afterwards.
func withCheckpointFolder<R>(_ body: (String) throws -> R) throws -> R {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("flux-ckpt-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: folder) }
    return try body(folder)
}

/// The fixture written by the reference implementation (Tools/safetensors_fixture.py).
let referenceFixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Fixtures/reference.safetensors").path

@Suite struct SafeTensorsTests {
    /// Tensors of every dtype Flux writes, and the metadata, come back bit for bit and in order.
    @Test func aFileRoundTrips() throws {
        var gen = PropertyGenerator(seed: 401)
        var file = SafeTensors(metadata: ["epoch": "3", "note": "quotes \" and \\ and \n"])
        let f = Tensor<Float>(gen.tensor([3, 4]))
        let d = gen.tensor([5])
        let i = Tensor<Int>([Int.min, -1, 0, Int.max])
        (file["b.float"], file["a.double"], file["ints"]) = (.init(f), .init(d), .init(i))
        file["scalar"] = .init(Tensor<Float>(7))
        file["empty"] = .init(Tensor<Double>(zeros: [0, 3]))
        try withCheckpointFolder { folder in
            let path = folder + "/x.safetensors"
            try file.write(to: path)
            let read = try SafeTensors(contentsOf: path)
            #expect(read.names == ["b.float", "a.double", "ints", "scalar", "empty"])
            #expect(read.metadata == file.metadata)
            #expect(try read.tensor("b.float", as: Float.self) == f)
            #expect(try read.tensor("a.double", as: Double.self) == d)
            #expect(try read.integers("ints") == i)
            #expect(try read.tensor("scalar", as: Float.self) == Tensor<Float>(7))
            #expect(try read.tensor("empty", as: Double.self).shape == [0, 3])
            #expect(try read.tensor("a.double", as: Float.self) == Tensor<Float>(d))
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder).count == 1, "no temporary file is left")
            #expect(read.serialized == file.serialized)
        }
    }

    /// A file held in memory reads as its bytes on disk would, and its problems are named
    /// after the name given for it.
    @Test func bytesInMemoryReadLikeAFile() throws {
        var gen = PropertyGenerator(seed: 402)
        var file = SafeTensors(metadata: ["from": "memory"])
        file["w"] = .init(Tensor<Float>(gen.tensor([2, 3])))
        file["b"] = .init(gen.tensor([3]))
        let read = try SafeTensors(bytes: file.serialized, name: "rank 0's model")
        #expect(read == file)
        for cut in [0, 7, 8, 20, file.serialized.count - 1] {
            #expect {
                _ = try SafeTensors(bytes: Array(file.serialized.prefix(cut)), name: "rank 0's model")
            } throws: { error in
                guard case .malformed(let path, _) = error as? CheckpointError else { return false }
                return path == "rank 0's model"
            }
        }
    }

    /// The file written by PyPI's `safetensors` (with NumPy) loads with its values: F32, F64,
    /// F16 (widened exactly, subnormals and infinity included), I32, I64, empty and rank-0
    /// tensors, and the metadata.
    @Test func theReferenceImplementationsFileLoads() throws {
        let file = try SafeTensors(contentsOf: referenceFixture)
        #expect(file.metadata == ["format": "np", "source": "Flux for Swift test fixture"])
        #expect(try file.tensor("weight", as: Float.self) == Tensor<Float>([[0, 0.25, 0.5], [0.75, 1, 1.25]]))
        #expect(try file.tensor("double", as: Double.self) == Tensor<Double>([Double.pi, M_E, -1.5]))
        #expect(
            try file.tensor("half", as: Float.self)
                == Tensor<Float>([0.5, -2, 65504, 0x1p-14, 0x1p-24, .infinity]))
        #expect(try file.integers("counts") == Tensor<Int>([-3, 7]))
        #expect(try file.integers("big") == Tensor<Int>([1 << 40, -1]))
        #expect(try file.tensor("empty", as: Float.self).shape == [0, 4])
        #expect(try file.tensor("scalar", as: Float.self) == Tensor<Float>(2.5))
        #expect(
            throws: CheckpointError.mismatch(
                path: "safetensors", name: "counts", reason: "is I32, which does not load as Float")
        ) {
            try file.tensor("counts", as: Float.self)
        }
        #expect(throws: CheckpointError.missingTensor(path: "safetensors", name: "nothing")) {
            try file.tensor("nothing", as: Float.self)
        }
    }

    /// BF16 widens by its bit pattern; half-precision NaN stays NaN.
    @Test func bfloat16AndHalfNaNWiden() throws {
        var file = SafeTensors()
        let bf16: [UInt16] = [0x3F80, 0xC000, 0x7F80, 0x0001]  // 1, -2, inf, the smallest subnormal
        file["b"] = .init(dtype: .bfloat16, shape: [4], bytes: bf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] })
        file["h"] = .init(dtype: .float16, shape: [1], bytes: [0x01, 0x7E])
        let b = try file.tensor("b", as: Float.self)
        #expect(b == Tensor<Float>([1, -2, .infinity, Float(bitPattern: 0x0001_0000)]))
        #expect(try file.tensor("h", as: Double.self).scalars[0].isNaN)
    }

    /// A file this project writes is read back by the reference implementation (when Python
    /// with the `safetensors` package is installed).
    @Test(.enabled(if: pythonWithSafeTensors() != nil, "needs python3 with the safetensors and numpy packages"))
    func theReferenceImplementationReadsOurFiles() throws {
        try withCheckpointFolder { folder in
            let path = folder + "/ours.safetensors"
            var file = SafeTensors(metadata: ["by": "flux"])
            file["w"] = .init(Tensor<Float>([[1.5, -2], [0.25, 8]]))
            file["d"] = .init(Tensor<Double>([1e-300, 3]))
            file["i"] = .init(Tensor<Int>([-5, 6]))
            try file.write(to: path)
            let script = """
                from safetensors.numpy import load_file
                from safetensors import safe_open
                t = load_file('\(path)')
                print(t['w'].dtype, t['w'].tolist(), t['d'].dtype, t['d'].tolist(), t['i'].dtype, t['i'].tolist())
                print(safe_open('\(path)', 'np').metadata())
                """
            let output = try run(pythonWithSafeTensors()!, ["-c", script])
            #expect(
                output
                    == "float32 [[1.5, -2.0], [0.25, 8.0]] float64 [1e-300, 3.0] int64 [-5, 6]\n{'by': 'flux'}\n",
                "\(output)")
        }
    }
}

/// A Python that imports `safetensors` and `numpy`: `$FLUX_PYTHON`, the peers' venv, or python3.
func pythonWithSafeTensors() -> String? {
    let candidates = [ProcessInfo.processInfo.environment["FLUX_PYTHON"], ".peers-venv/bin/python", "/usr/bin/python3"]
    for case let python? in candidates where FileManager.default.isExecutableFile(atPath: python) {
        if (try? run(python, ["-c", "import safetensors, numpy"])) != nil { return python }
    }
    return nil
}

/// Runs `program` with `arguments`, returning its standard output; throws when it fails.
@discardableResult
func run(_ program: String, _ arguments: [String]) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: program)
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = FileHandle.nullDevice
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { throw CocoaError(.executableLoad) }
    return String(decoding: data, as: UTF8.self)
}
