import Testing

/// FluxDistributed on two processes of this machine: `mpirun -np 2 flux-distributed-check
/// SCENARIO` (Sources/FluxDistributedCheck), whose processes check their results and print them.
@Suite("Data-parallel training on two processes", .serialized)
struct DistributedTests {
    /// Every check of both processes passed, and process `r` ran `checks[r]` of them.
    func expectAllPassed(_ run: MPIRunResult, checks: [Int], sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(
            run.status == 0 && !run.timedOut, "\(run.standardOutput)\n\(run.standardError)",
            sourceLocation: sourceLocation)
        for rank in 0..<2 {
            let lines = run.lines(ofRank: rank)
            #expect(lines.filter { $0.contains(": FAIL ") }.isEmpty, "\(lines)", sourceLocation: sourceLocation)
            #expect(
                lines.filter { $0.contains(": ok ") }.count == checks[rank], "\(lines)", sourceLocation: sourceLocation)
            #expect(lines.last == "rank \(rank): done, 0 failed", "\(lines)", sourceLocation: sourceLocation)
        }
    }

    @Test("Barrier, broadcasts, reductions, gathers and averaged layer state")
    func collectives() throws {
        // Rank 0 checks the gathers it receives, rank 1 the gather to the last rank and that
        // its own model was replaced: 13 checks on rank 0, 12 on rank 1.
        expectAllPassed(try mpirun("collectives"), checks: [13, 12])
    }

    @Test("Training on halves of each batch gives one process's parameters, for SGD and Adam, in Double and Float")
    func equivalence() throws {
        // 3 ways of combining × 2 rules × 2 precisions.
        expectAllPassed(try mpirun("equivalence"), checks: [12, 12])
    }

    @Test(
        "Two hosts, started from a host file, talking over TCP: the same training and the same stop on a mismatch",
        .enabled(if: TwoHosts.isAvailable, "needs root and `ip` (iproute2) to make two network namespaces"))
    func twoHosts() throws {
        let hosts = try TwoHosts()
        expectAllPassed(try mpirun("equivalence", hosts: hosts), checks: [12, 12])
        expectAllPassed(try mpirun("mismatch-broadcast", hosts: hosts), checks: [1, 1])
    }

    @Test("Broadcasting different models stops every process, naming rank 1 and the first difference")
    func broadcastMismatch() throws {
        let run = try mpirun("mismatch-broadcast")
        expectAllPassed(run, checks: [1, 1])
        #expect(
            run.standardOutput.contains(
                "rank 0 caught: broadcast: rank 1 has a model that differs from rank 0's: `layers.0.weight` is Float [5, 9] on rank 1 but Float [5, 8] on rank 0"
            ))
    }

    @Test(
        "Reducing gradients of different models, or different numbers of values, stops every process; the group goes on"
    )
    func gradientMismatch() throws {
        expectAllPassed(try mpirun("mismatch-gradient"), checks: [5, 5])
    }

    /// Runs `scenario`, in which rank 1 fails while rank 0 waits for it in a collective: the
    /// run must end (no hang) with a failure status, before rank 0 passes the collective, and
    /// standard error must say each of `messages`.
    func expectStopped(_ scenario: String, saying messages: [String], sourceLocation: SourceLocation = #_sourceLocation)
        throws
    {
        let run = try mpirun(scenario, limit: 120)
        #expect(!run.timedOut, "the processes hung", sourceLocation: sourceLocation)
        #expect(run.status != 0, sourceLocation: sourceLocation)
        for message in messages {
            #expect(run.standardError.contains(message), "\(run.standardError)", sourceLocation: sourceLocation)
        }
        #expect(!run.standardOutput.contains("UNREACHED"), sourceLocation: sourceLocation)
    }

    @Test("A process that throws stops the others, which were waiting for it, naming its rank and the file")
    func failure() throws {
        try expectStopped("failure", saying: ["rank 1 of 2: /nonexistent/shard-1-images.idx: cannot be read"])
    }

    @Test("A process that exits with a failure status outside Communicator.run stops the others")
    func exitWithFailure() throws {
        try expectStopped("exit", saying: ["rank 1 of 2: exited with status 3; stopping the other processes"])
    }

    @Test("A process that traps stops the others; mpirun names its rank")
    func crash() throws {
        try expectStopped(
            "crash", saying: ["Dense(3 → 2): input [2, 4], expected last dimension 3", "process rank 1"])
    }
}
