import BenchReport
import Flux

/// The peers' `lstm` model: one LSTM layer (64 → 256, time first, zero initial state) and a
/// dense 256 → 64 layer at every step.
struct CharacterLSTM: Model {
    var lstm: Recurrence<LSTMCell<Float>>
    var out: Dense<Float>
    /// Logits `[time·batch, vocabulary]` for the tokens `[time, batch]`: their one-hot
    /// product with the input weight is a lookup of its rows, as the workload allows.
    func callAsFunction(_ tokens: Tensor<Int>) -> Tensor<Float> {
        let cell = lstm.cell
        let steps = cell.inputWeight.gathering(atIndices: tokens) + cell.bias
        let h = cell.fold(overProjected: steps).outputs
        return out(h.reshaped(to: [h.shape[0] * h.shape[1], h.shape[2]]))
    }
}

/// The peers' `lstm` training: a character language model, batch 32, sequence 32,
/// vocabulary 64, hidden 256, softmax cross-entropy at every step, full backpropagation
/// through time, Adam 1e-3 (../shared/peers/README.md); weights N(0, 1/fan_in), zero biases,
/// as the peers'.
struct LSTMTraining {
    var model: CharacterLSTM
    var optimizer: Adam<CharacterLSTM>
    let tokens: Tensor<Int>, targets: Tensor<Int>

    init() {
        let (batch, time, vocabulary, hidden) = (32, 32, 64, 256)
        var rng = RandomGenerator(seed: 0)
        let cell = LSTMCell(
            inputWeight: Tensor<Float>(
                randomNormal: [vocabulary, 4 * hidden], standardDeviation: 1 / Float(vocabulary).squareRoot(),
                using: &rng),
            hiddenWeight: Tensor<Float>(
                randomNormal: [hidden, 4 * hidden], standardDeviation: 1 / Float(hidden).squareRoot(), using: &rng),
            bias: Tensor(zeros: [4 * hidden]))
        model = CharacterLSTM(lstm: Recurrence(cell), out: peerDense(hidden, vocabulary, identity, &rng))
        let all = Tensor<Int>(randomIntegers: [time + 1, batch], in: 0..<vocabulary, using: &rng)
        (tokens, targets) = (all[0..<time], all[1...].reshaped(to: [time * batch]))
        optimizer = Adam(for: model, learningRate: 1e-3)
    }

    /// One training step; returns its loss.
    mutating func step() -> Float {
        let (tokens, targets) = (tokens, targets)
        let (loss, grad) = valueWithGradient(at: model) { m in softmaxCrossEntropy(logits: m(tokens), labels: targets) }
        optimizer.update(&model, along: grad)
        return loss
    }
}

/// `lstm` (see ``LSTMTraining``).
func benchLSTM() {
    var training = LSTMTraining()
    benchTraining("lstm") { training.step() }
}

/// `lstm-memory`: resident memory after 100 and after 1,000 `lstm` steps (flat: no growth
/// per step beyond one step's tape).
func benchLSTMMemory() {
    var training = LSTMTraining()
    for _ in 0..<100 { _ = training.step() }
    let after100 = residentMegabytes()
    for _ in 100..<1_000 { _ = training.step() }
    let after1k = residentMegabytes()
    report(
        workload: "lstm-memory", [("rss_mb_100", after100), ("rss_mb_1k", after1k), ("growth", after1k / after100)])
}
