// A character-level language model: an LSTM reads English words a character at a time and
// learns to predict the next one; sampled a character at a time, it writes words of its own.
import Flux
import TutorialSupport

/// The model: an LSTM over one-hot characters, and a dense layer from its state to the
/// next character's logits.
struct CharRNN: Model {
    var lstm: Recurrence<LSTMCell<Float>>
    var out: Dense<Float>

    init(alphabet: Int, hidden: Int, using rng: inout RandomGenerator) {
        lstm = Recurrence(LSTMCell(alphabet, hidden, using: &rng))
        out = Dense(hidden, alphabet, using: &rng)
    }

    /// Logits `[time·batch, alphabet]` for the tokens `[time, batch]`, from `state`, and the
    /// state after the last step.
    func run(_ tokens: Tensor<Int>, from state: LSTMState<Float>?) -> (logits: Tensor<Float>, state: LSTMState<Float>) {
        let x = Tensor<Float>(oneHotAtIndices: tokens, depth: out.bias.count)
        let (h, final) = lstm.run(x, from: state)
        return (out(h.reshaped(to: [h.shape[0] * h.shape[1], h.shape[2]])), final)
    }

    func callAsFunction(_ tokens: Tensor<Int>) -> Tensor<Float> { run(tokens, from: nil).logits }

    /// A word written one character at a time: the cell stepped by hand from the zero state
    /// and a newline, each character drawn from the softmax of the logits divided by
    /// `temperature` (below 1: safer choices; above: bolder), until a newline.
    func sample(_ corpus: CharacterCorpus, temperature: Float, maxLength: Int = 20, using rng: inout RandomGenerator)
        -> String
    {
        var state = lstm.cell.zeroState(batchSize: 1)
        var token = 0
        var word: [Int] = []
        while word.count < maxLength {
            let (next, h) = lstm.cell(state, Tensor<Float>(oneHotAtIndices: Tensor([token]), depth: out.bias.count))
            state = next
            let p = softmax(out(h) / temperature).scalars
            token = draw(from: p, using: &rng)
            if token == 0 { break }
            word.append(token)
        }
        return corpus.text(word)
    }
}

/// An index drawn with the probabilities `p`.
func draw(from p: [Float], using rng: inout RandomGenerator) -> Int {
    var u = Float.random(in: 0..<1, using: &rng)
    for (i, pi) in p.enumerated() {
        u -= pi
        if u < 0 { return i }
    }
    return p.count - 1
}

/// How a run is set up.
struct CharRNNSettings {
    var hidden = 128, batch = 32, length = 32, steps = 1500, reportEvery = 100
    var learningRate = 3e-3
    var seed: UInt64 = 0

    /// A few seconds' run, for the tests.
    static let short = CharRNNSettings(
        hidden: 32, batch: 16, length: 16, steps: 120, reportEvery: 40, learningRate: 1e-2)
}

/// One report: the step, the mean training loss since the last report, and sampled words.
struct CharRNNProgress {
    var step: Int
    var loss: Float
    var samples: [String]
}

/// Trains the model by truncated backpropagation through time: the streams are read
/// `length` characters at a time, the LSTM's state carries over from one piece to the next,
/// but the gradient of each step reaches back only to the start of its piece (the state
/// kept from the last gradient computation is a constant in the next).
func trainCharRNN(_ settings: CharRNNSettings, report: (CharRNNProgress) -> Void = { _ in }) throws -> (
    corpus: CharacterCorpus, progress: [CharRNNProgress]
) {
    let corpus = try CharacterCorpus.words(seed: settings.seed)
    var rng = RandomGenerator(seed: settings.seed)
    var model = CharRNN(alphabet: corpus.alphabet.count, hidden: settings.hidden, using: &rng)
    var optimizer = Adam(for: model, learningRate: settings.learningRate)
    var batches = CharacterBatches(corpus, batch: settings.batch, length: settings.length)
    var carried: LSTMState<Float>? = nil
    var (progress, losses): ([CharRNNProgress], [Float]) = ([], [])
    for step in 1...settings.steps {
        let (inputs, targets) = batches.next()
        var last: LSTMState<Float>? = nil
        let (loss, grad) = valueWithGradient(at: model) { m in
            let (logits, state) = m.run(inputs, from: carried)
            last = state
            return softmaxCrossEntropy(logits: logits, labels: targets.reshaped(to: [targets.count]))
        }
        optimizer.update(&model, along: grad)
        carried = last
        losses.append(loss)
        if step % settings.reportEvery == 0 {
            let samples = (0..<5).map { _ in model.sample(corpus, temperature: 0.8, using: &rng) }
            let mean = losses.reduce(0, +) / Float(losses.count)
            progress.append(CharRNNProgress(step: step, loss: mean, samples: samples))
            report(progress.last!)
            losses = []
        }
    }
    return (corpus, progress)
}
