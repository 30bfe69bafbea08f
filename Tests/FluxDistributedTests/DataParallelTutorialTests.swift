import Foundation
import Testing

@Suite struct DataParallelTutorialTests {
    /// The short run on two processes: the loss falls every epoch, the test accuracy ends far
    /// above chance (0.1), and both processes end with the same model, bit for bit.
    @Test func shortRunLearnsOnTwoProcesses() throws {
        let run = try mpirun("--short", program: "data-parallel", limit: 300)
        #expect(run.status == 0 && !run.timedOut, "\(run.standardOutput)\n\(run.standardError)")
        let lines = run.standardOutput.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("DataParallel: the digits CNN on 2 processes") == true, "\(lines)")
        let losses = lines.compactMap { line in
            line.firstMatch(of: /^epoch +\d+  loss (\d+\.\d+)/).flatMap { Double($0.1) }
        }
        #expect(losses.count == 3, "\(lines)")
        #expect(zip(losses, losses.dropFirst()).allSatisfy { $1 < $0 }, "\(losses)")
        let accuracy = lines.last?.firstMatch(of: /^test accuracy (\d+\.\d)%$/).flatMap { Double($0.1) }
        #expect((accuracy ?? 0) > 60, "\(lines)")
        #expect(lines.contains("every process holds the same model, bit for bit (2 processes)"), "\(lines)")
    }
}
