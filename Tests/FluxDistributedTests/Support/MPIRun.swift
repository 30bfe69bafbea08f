import Foundation
import Testing

/// What one `mpirun` of the check program printed, and how it ended.
struct MPIRunResult {
    var status: Int32
    var standardOutput: String
    var standardError: String
    /// Whether the run was stopped after the time limit (a hang).
    var timedOut: Bool

    /// The lines process `rank` printed.
    func lines(ofRank rank: Int) -> [String] {
        standardOutput.split(separator: "\n").map(String.init).filter { $0.hasPrefix("rank \(rank): ") }
    }
}

/// Runs `flux-distributed-check scenario` (or another `program` of the build) on
/// `processes` processes with `mpirun`, which `make deps` installs (Debian's openmpi-bin),
/// stopping it after `limit` seconds.
/// With `hosts`, one process runs on each of its two hosts, started from a host file and
/// talking over TCP.
func mpirun(
    _ scenario: String, program name: String = "flux-distributed-check", processes: Int = 2, limit: Double = 300,
    hosts: TwoHosts? = nil
) throws -> MPIRunResult {
    let directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    let program = directory.appendingPathComponent(name).path
    guard FileManager.default.isExecutableFile(atPath: program) else {
        throw MPIRunError("no \(program): it is built with the tests (swift build --product \(name))")
    }
    guard
        let launcher = ["/usr/bin/mpirun", "/usr/local/bin/mpirun"].first(where: FileManager.default.isExecutableFile)
    else {
        throw MPIRunError("mpirun not found: `make deps` installs Open MPI (libopenmpi-dev, openmpi-bin)")
    }
    var arguments = ["-np", "\(processes)", "--oversubscribe"]
    if getuid() == 0 { arguments.append("--allow-run-as-root") }  // Open MPI refuses root without it
    if let hosts { arguments += hosts.mpirunArguments }
    // One BLAS thread per process: the processes share the machine's cores.
    arguments += ["-x", "OPENBLAS_NUM_THREADS=1", program, scenario]
    // mpirun itself runs on the first host.
    let command = hosts.map { ["netns", "exec", $0.namespaces[0], launcher] + arguments } ?? arguments

    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("flux-mpirun-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let (out, err) = (folder.appendingPathComponent("out"), folder.appendingPathComponent("err"))
    _ = FileManager.default.createFile(atPath: out.path, contents: nil)
    _ = FileManager.default.createFile(atPath: err.path, contents: nil)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: hosts?.ip ?? launcher)
    process.arguments = command
    process.standardOutput = try FileHandle(forWritingTo: out)
    process.standardError = try FileHandle(forWritingTo: err)
    try process.run()
    let deadline = Date().addingTimeInterval(limit)
    var timedOut = false
    while process.isRunning {
        if Date() > deadline {
            timedOut = true
            process.terminate()
            break
        }
        usleep(20_000)
    }
    process.waitUntilExit()
    return MPIRunResult(
        status: process.terminationStatus, standardOutput: try String(contentsOf: out, encoding: .utf8),
        standardError: try String(contentsOf: err, encoding: .utf8), timedOut: timedOut)
}

struct MPIRunError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
