// `make run-data-parallel` (`mpirun -np 2 .build/release/data-parallel`): the digits CNN of
// the Digits tutorial trained data-parallel. Every process holds the same model, takes its
// own part of every batch, and the processes average their gradients before the same
// Adam update everywhere; together they train the model one process would, on the same batches.
// `data-parallel --short` is the few-seconds run the tests use.
import Flux
import FluxDistributed
import Foundation
import TutorialSupport

Communicator.run { world in
    let short = CommandLine.arguments.dropFirst().first == "--short"
    var settings = short ? DigitsSettings.short : DigitsSettings()
    // The batch is the whole group's: each process takes batchSize / world.size of it.
    settings.batchSize *= 2
    let log = { (line: String) in if world.isRoot { print(line) } }
    let result = try trainDataParallel(settings, on: world, saveTo: short ? nil : ".build/data-parallel", log: log)
    log("")
    log(String(format: "test accuracy %.1f%%", result.testAccuracy * 100))
}
