import Flux
import Foundation
import Testing

/// Two Gaussian blobs in the plane, class 0 around (-2, -1) and class 1 around (2, 1):
/// separable by a line with a wide margin. Drawn from `seed`.
private func blobs(_ count: Int, seed: UInt64) -> Dataset<Float, Int> {
    var rng = RandomGenerator(seed: seed)
    let labels = Tensor<Int>(randomIntegers: [count], in: 0..<2, using: &rng)
    let centres = Tensor<Float>(labels).reshaped(to: [count, 1]) * Tensor<Float>([4, 2]) - Tensor<Float>([2, 1])
    let noise = Tensor<Float>(randomNormal: [count, 2], using: &rng) * 0.7
    return Dataset(inputs: centres + noise, labels: labels)
}

/// A linear classifier on two features, its weights drawn from `seed`.
private func classifier(seed: UInt64 = 1) -> Dense<Float> {
    var rng = RandomGenerator(seed: seed)
    return Dense<Float>(2, 2, using: &rng)
}

private func crossEntropy(_ m: Dense<Float>, _ x: Tensor<Float>, _ y: Tensor<Int>) -> Tensor<Float> {
    softmaxCrossEntropy(logits: m(x), labels: y)
}

/// The parameters' bit patterns, to compare models exactly.
private func bits(_ m: Dense<Float>) -> [UInt32] { (m.weight.scalars + m.bias.scalars).map(\.bitPattern) }

/// The history's values' bit patterns, series by series.
private func bits(_ h: TrainingHistory) -> [[UInt64]] { h.series.map { $0.values.map(\.bitPattern) } }

/// A validation metric whose value at epoch `e` is `values[e - 1]`, whatever the model (the
/// validation set must be one batch, so that it is measured once per epoch).
private func scripted(_ values: [Double], name: String = "scripted") -> FitMetric<Dense<Float>, Float, Int> {
    final class Counter: @unchecked Sendable { var calls = 0 }
    let counter = Counter()
    return FitMetric(name: name) { _, _, _ in
        defer { counter.calls += 1 }
        return values[counter.calls]
    }
}

/// A callback that keeps the model of every epoch.
private final class Snapshots: @unchecked Sendable {
    var models: [Dense<Float>] = []
    var callback: FitCallback<Dense<Float>> {
        FitCallback { _, _, model in
            self.models.append(model)
            return .continue
        }
    }
}

@Suite struct FitTests {
    let train = blobs(256, seed: 10)
    let validation = blobs(64, seed: 11)

    @Test func learnsSeparableBlobs() throws {
        var model = classifier()
        var optimizer = Adam(for: model, learningRate: 0.05)
        let history = try fit(
            &model, optimizer: &optimizer, on: train, validation: validation, epochs: 8, batchSize: 16,
            seed: 3, progress: .silent
        ) { m, x, y in softmaxCrossEntropy(logits: m(x), labels: y) }
        #expect(history.series.map(\.name) == ["training loss", "validation loss", "validation accuracy"])
        for series in history.series { #expect(series.epochs == Array(1...8), "\(series.name)") }
        let losses = history["training loss"]!.values
        #expect(losses.last! < losses.first! * 0.5, "\(losses)")
        #expect(history["validation loss"]!.values.last! < 0.2)
        #expect(history["validation accuracy"]!.values.last! >= 0.95)
        #expect(optimizer.step == 8 * 16)
        // The recorded accuracy is that of the final model on the whole validation set.
        let final = accuracy(logits: model(validation.inputs), labels: validation.labels)
        #expect(history["validation accuracy"]!.values.last! == final)
    }

    @Test func sameSeedGivesTheSameRunBitForBit() throws {
        func run(seed: UInt64) throws -> (TrainingHistory, Dense<Float>) {
            var model = classifier()
            var optimizer = Adam(for: model, learningRate: 0.05)
            let history = try fit(
                &model, optimizer: &optimizer, on: train, validation: validation, epochs: 4, batchSize: 10,
                seed: seed, progress: .silent, loss: crossEntropy)
            return (history, model)
        }
        let (h1, m1) = try run(seed: 5)
        let (h2, m2) = try run(seed: 5)
        #expect(bits(h1) == bits(h2) && h1 == h2)
        #expect(bits(m1) == bits(m2))
        let (h3, m3) = try run(seed: 6)
        #expect(bits(h3) != bits(h1) && bits(m3) != bits(m1), "the seed orders the batches")
    }

    /// `fit` is the loop a user would write: the same batches, gradients and updates give
    /// the same model and the same mean loss, bit for bit.
    @Test func fitIsTheExplicitLoop() throws {
        var model = classifier()
        var optimizer = Adam(for: model, learningRate: 0.05)
        let history = try fit(
            &model, optimizer: &optimizer, on: train, epochs: 3, batchSize: 24, seed: 8, progress: .silent,
            loss: crossEntropy)

        var byHand = classifier()
        var handOptimizer = Adam(for: byHand, learningRate: 0.05)
        var losses: [Double] = []
        for epoch in 1...3 {
            var sum = 0.0
            for (x, y) in train.batches(size: 24, shuffledBy: 8, epoch: epoch) {
                let (loss, grad) = valueWithGradient(at: byHand) { m in crossEntropy(m, x, y) }
                handOptimizer.update(&byHand, along: grad)
                sum += Double(loss) * Double(x.shape[0])
            }
            losses.append(sum / Double(train.count))
        }
        #expect(bits(model) == bits(byHand))
        #expect(history["training loss"]!.values.map(\.bitPattern) == losses.map(\.bitPattern))
    }

    @Test func withoutValidationOnlyTheTrainingLossIsRecorded() throws {
        var model = classifier()
        var optimizer = SGD(for: model, learningRate: 0.1)
        let history = try fit(
            &model, optimizer: &optimizer, on: train, epochs: 2, batchSize: 100, seed: nil, progress: .silent,
            loss: crossEntropy)
        #expect(history.series.map(\.name) == ["training loss"])
        #expect(optimizer.step == 2 * 3, "256 examples in batches of 100: the last batch is kept")
        let none = try fit(
            &model, optimizer: &optimizer, on: train, epochs: 0, batchSize: 8, progress: .silent, loss: crossEntropy)
        #expect(none.series.isEmpty && optimizer.step == 6)
    }

    @Test func aRegressionRecordsNoAccuracy() throws {
        let data = Dataset(inputs: train.inputs, labels: train.inputs.sum(alongAxes: [1]).reshaped(to: [256, 1]))
        var rng = RandomGenerator(seed: 2)
        var model = Dense<Float>(2, 1, using: &rng)
        var optimizer = Adam(for: model, learningRate: 0.05)
        let history = try fit(
            &model, optimizer: &optimizer, on: data, validation: data, epochs: 3, batchSize: 32, progress: .silent
        ) { m, x, y in meanSquaredError(m(x), y) }
        #expect(history.series.map(\.name) == ["training loss", "validation loss"])
    }

    /// The scripted metric is best at epoch 3; with patience 3, epochs 4, 5 and 6 do not
    /// improve, so training stops after epoch 6 and the model of epoch 3 comes back.
    @Test func earlyStoppingStopsAfterPatienceAndRestoresTheBestModel() throws {
        let snapshots = Snapshots()
        var model = classifier()
        var optimizer = Adam(for: model, learningRate: 0.05)
        let history = try fit(
            &model, optimizer: &optimizer, on: train, validation: validation, epochs: 20, batchSize: 64,
            metrics: [scripted([0.5, 0.4, 0.3, 0.35, 0.301, 0.3, 0.1, 0.1])],
            callbacks: [snapshots.callback, .earlyStopping(monitor: "validation scripted", patience: 3)],
            progress: .silent, loss: crossEntropy)
        #expect(history["training loss"]!.epochs == Array(1...6))
        #expect(history["validation scripted"]!.values == [0.5, 0.4, 0.3, 0.35, 0.301, 0.3])
        #expect(snapshots.models.count == 6)
        #expect(bits(model) == bits(snapshots.models[2]))
        #expect(bits(model) != bits(snapshots.models[5]))
        #expect(optimizer.step == 6 * 4, "the optimizer is that of the last epoch")
    }

    @Test func earlyStoppingHonoursMinDeltaModeAndNoRestore() throws {
        func run(_ values: [Double], _ callback: FitCallback<Dense<Float>>, name: String = "scripted") throws -> (
            Int, Bool
        ) {
            let snapshots = Snapshots()
            var model = classifier()
            var optimizer = SGD(for: model, learningRate: 0.1)
            let history = try fit(
                &model, optimizer: &optimizer, on: train, validation: validation, epochs: values.count,
                batchSize: 64, metrics: [scripted(values, name: name)], callbacks: [snapshots.callback, callback],
                progress: .silent, loss: crossEntropy)
            return (history["training loss"]!.epochs.count, bits(model) == bits(snapshots.models.last!))
        }
        // Improvements smaller than minDelta do not count: stopped after epoch 1 + 2.
        let small = FitCallback<Dense<Float>>.earlyStopping(monitor: "validation scripted", patience: 2, minDelta: 0.1)
        #expect(try run([1, 0.95, 0.9, 0.85, 0.8], small) == (3, false))
        // Larger is better for `.max`, and inferred for an accuracy.
        let larger = FitCallback<Dense<Float>>.earlyStopping(monitor: "validation scripted", patience: 1, mode: .max)
        #expect(try run([0.1, 0.2, 0.3, 0.2, 0.9], larger) == (4, false))
        let accuracy = FitCallback<Dense<Float>>.earlyStopping(monitor: "validation scripted accuracy", patience: 1)
        #expect(try run([0.5, 0.6, 0.55, 0.9], accuracy, name: "scripted accuracy") == (3, false))
        // Without restoring, the model is the last epoch's.
        let keep = FitCallback<Dense<Float>>.earlyStopping(
            monitor: "validation scripted", patience: 2, restoreBestWeights: false)
        #expect(try run([3, 2, 1, 2, 2, 0], keep) == (5, true))
        // NaN never improves.
        let nan = FitCallback<Dense<Float>>.earlyStopping(monitor: "validation scripted", patience: 2)
        #expect(try run([1, .nan, .nan, 0], nan) == (3, false))
    }

    /// A callback is a recipe: each run starts with fresh state.
    @Test func aCallbackValueCanServeSeveralRuns() throws {
        let stopping = FitCallback<Dense<Float>>.earlyStopping(monitor: "validation scripted", patience: 1)
        for _ in 0..<2 {
            var model = classifier()
            var optimizer = SGD(for: model, learningRate: 0.1)
            let history = try fit(
                &model, optimizer: &optimizer, on: train, validation: validation, epochs: 4, batchSize: 64,
                metrics: [scripted([5, 4, 6, 1])], callbacks: [stopping], progress: .silent, loss: crossEntropy)
            #expect(history["training loss"]!.epochs == [1, 2, 3])
        }
    }

    @Test func userCallbacksSeeEveryEpochAndCanStop() throws {
        var seen: [(Int, Int)] = []
        let stopAtTwo = FitCallback<Dense<Float>> { epoch, history, _ in
            seen.append((epoch, history["training loss"]!.values.count))
            return epoch == 2 ? .stop : .continue
        }
        var model = classifier()
        var optimizer = SGD(for: model, learningRate: 0.1)
        let history = try fit(
            &model, optimizer: &optimizer, on: train, epochs: 5, batchSize: 64, callbacks: [stopAtTwo],
            progress: .silent, loss: crossEntropy)
        #expect(seen.map(\.0) == [1, 2] && seen.map(\.1) == [1, 2])
        #expect(history["training loss"]!.epochs == [1, 2])
    }

    @Test func checkpointBestHoldsTheBestEpochsModel() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("fit-\(UUID().uuidString).safetensors")
            .path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let snapshots = Snapshots()
        var model = classifier()
        var optimizer = Adam(for: model, learningRate: 0.05)
        try fit(
            &model, optimizer: &optimizer, on: train, validation: validation, epochs: 6, batchSize: 64,
            metrics: [scripted([0.9, 0.5, 0.7, 0.4, 0.6, 0.8])],
            callbacks: [snapshots.callback, .checkpointBest(to: path, monitor: "validation scripted")],
            progress: .silent, loss: crossEntropy)
        let loaded = try classifier(seed: 99).loaded(from: path)
        #expect(bits(loaded) == bits(snapshots.models[3]))
        #expect(bits(model) == bits(snapshots.models[5]), "checkpointing leaves the model alone")
        let file = try SafeTensors(contentsOf: path)
        #expect(file.metadata == ["epoch": "4", "validation scripted": "0.4"])
    }

    @Test func checkpointFailureIsThrown() {
        var model = classifier()
        var optimizer = SGD(for: model, learningRate: 0.1)
        #expect(throws: CheckpointError.self) {
            try fit(
                &model, optimizer: &optimizer, on: train, validation: validation, epochs: 2, batchSize: 64,
                callbacks: [.checkpointBest(to: "/nonexistent-folder/best.safetensors")], progress: .silent,
                loss: crossEntropy)
        }
    }

    @Test func linesWhenNotOnATerminal() throws {
        var text = ""
        var model = classifier()
        var optimizer = Adam(for: model, learningRate: 0.05)
        try fit(
            &model, optimizer: &optimizer, on: train, validation: validation, epochs: 3, batchSize: 64,
            progress: .lines(to: { text += $0 }), loss: crossEntropy)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 4 && lines.last == "" && !text.contains("\r"), "\(text)")
        for (i, line) in lines.dropLast().enumerated() {
            let pattern =
                #/
                epoch \ (\d)/3 \ \ training\ loss\ \d\.\d{4} \ \ validation\ loss\ \d\.\d{4}
                \ \ validation\ accuracy\ \d\.\d{4} \ \ \d+\ examples/s \ \ \d+\.\ds
                /#
            let match = try #require(line.wholeMatch(of: pattern), "\(line)")
            #expect(match.1 == "\(i + 1)")
        }

        text = ""
        try fit(
            &model, optimizer: &optimizer, on: train, epochs: 2, batchSize: 64,
            progress: .lines(everySteps: 2, to: { text += $0 }), loss: crossEntropy)
        let stepLines = text.split(separator: "\n").filter { $0.contains("step") }
        #expect(stepLines.count == 4, "\(text)")
        #expect(stepLines.first?.wholeMatch(of: /epoch 1\/2  step 2\/4  loss \d\.\d{4}  \d+ examples\/s/) != nil)
        #expect(text.split(separator: "\n").count == 6)
    }

    @Test func barRedrawnInPlaceOnATerminal() throws {
        var text = ""
        var model = classifier()
        var optimizer = Adam(for: model, learningRate: 0.05)
        try fit(
            &model, optimizer: &optimizer, on: train, validation: validation, epochs: 2, batchSize: 64,
            progress: .bar(to: { text += $0 }, redrawInterval: .zero), loss: crossEntropy)
        let epochs = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(epochs.count == 3 && epochs.last == "", "one line per epoch, ended by a newline")
        for (e, epochText) in epochs.dropLast().enumerated() {
            let draws = epochText.split(separator: "\r", omittingEmptySubsequences: false)
            #expect(draws.first == "" && draws.count == 1 + 4 + 1, "a \\r before each of 4 steps and the summary")
            let first = String(draws[1]).trimmingCharacters(in: .whitespaces)
            #expect(
                first.wholeMatch(
                    of: /epoch \d\/2 \[=====>              \] 1\/4  loss \d\.\d{4}  \d+ examples\/s  ETA \d+:\d\d/)
                    != nil, "\(first)")
            let summary = draws.last!
            #expect(summary.hasPrefix("epoch \(e + 1)/2 [====================] 4/4  training loss "))
            #expect(summary.contains("validation accuracy") && summary.contains("examples/s"))
            // Each draw covers the text of the previous one (its padding is spaces already).
            for (a, b) in zip(draws.dropFirst(), draws.dropFirst(2)) {
                let text = a.reversed().drop(while: { $0 == " " }).count
                #expect(b.count >= text, "\(a.debugDescription) then \(b.debugDescription)")
            }
        }
    }

    @Test func misuseStopsWithAMessage() async {
        let missing = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            var model = Dense<Float>(2, 2)
            var optimizer = SGD(for: model, learningRate: 0.1)
            let data = Dataset(inputs: Tensor<Float>(zeros: [4, 2]), labels: Tensor<Int>(zeros: [4]))
            _ = try? fit(
                &model, optimizer: &optimizer, on: data, epochs: 2, batchSize: 2,
                callbacks: [.earlyStopping(patience: 2)], progress: .silent
            ) { m, x, y in softmaxCrossEntropy(logits: m(x), labels: y) }
        }
        #expect(
            missing.standardError.contains(
                "earlyStopping: no value of \"validation loss\" at epoch 1 to monitor (the history has "
                    + "\"training loss\"); a validation quantity needs fit(…, validation:)"),
            "\(missing.standardError)")
        let patience = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = FitCallback<Dense<Float>>.earlyStopping(patience: 0)
        }
        #expect(patience.standardError.contains("earlyStopping: patience 0 is not at least 1"))
        let batch = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            var model = Dense<Float>(2, 2)
            var optimizer = SGD(for: model, learningRate: 0.1)
            let data = Dataset(inputs: Tensor<Float>(zeros: [4, 2]), labels: Tensor<Int>(zeros: [4]))
            _ = try? fit(&model, optimizer: &optimizer, on: data, epochs: 1, batchSize: 0, progress: .silent) {
                m, x, y in softmaxCrossEntropy(logits: m(x), labels: y)
            }
        }
        #expect(batch.standardError.contains("fit: batch size 0 (at least 1)"))
    }
}
