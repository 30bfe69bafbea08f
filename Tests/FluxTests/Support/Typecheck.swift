import Foundation
import Testing

/// The package's root folder.
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("../../..").standardized

/// The debug build's modules (Flux, FluxTesting), which user programs are compiled against.
let builtModules = packageRoot.appendingPathComponent(".build/debug/Modules")

/// Whether the debug build's modules exist (they do under `swift test`); records an issue if not.
func builtModulesExist() -> Bool {
    guard FileManager.default.fileExists(atPath: builtModules.appendingPathComponent("Flux.swiftmodule").path) else {
        Issue.record("no debug build of Flux at \(builtModules.path) to compile against")
        return false
    }
    return true
}

/// Runs `arguments` (through `env`) in `directory` and returns its exit status and output.
func run(_ arguments: [String], in directory: URL? = nil) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = directory }
    let pipe = Pipe()
    process.standardError = pipe
    process.standardOutput = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}

/// Type-checks `source` as a user's file that imports Flux (and FluxTesting and Testing if
/// it wants), against the built modules: the status is 0 when it compiles.
func typecheck(_ source: String) throws -> (status: Int32, output: String) {
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("user-\(UUID().uuidString).swift")
    try source.write(to: file, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(at: file) }
    // FluxDistributed's module needs MPI's header folder, from pkg-config as SwiftPM finds it.
    let mpi = try run(["pkg-config", "--cflags-only-I", "ompi-c"]).output.split(separator: " ")
        .map { String($0).trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
    return try run(
        [
            "swiftc", "-typecheck", "-parse-as-library", "-I", builtModules.path,
            "-I", packageRoot.appendingPathComponent("Sources/CBLAS").path,
            "-I", packageRoot.appendingPathComponent("Sources/CMPI").path,
        ] + mpi.flatMap { ["-Xcc", $0] } + [
            "-Xcc",
            "-fmodule-map-file="
                + builtModules.deletingLastPathComponent()
                .appendingPathComponent("CFluxKernels.build/module.modulemap").path,
            file.path,
        ])
}
