// A character-level language model: a recurrent network reads English words a character at
// a time and learns to predict the next one; sampled a character at a time, it writes words
// of its own. The recurrent part is an LSTM, or the seed's own `Recurrent` (below).
import Flux
import TutorialSupport

/// The logistic function, by the seed's name.
func σ(_ x: Tensor<Float>) -> Tensor<Float> { sigmoid(x) }

/// The seed's `Recurrent`, written as the seed writes it: its output `y` depends on the
/// input and on its own previous value, `y = σ(x * Wxy + y₋₁ * Wyy + by)`. The cycle is
/// resolved as a fold over time: the cell maps `(y₋₁, x)` to `(y, y)`, and `Recurrence` runs
/// it over a sequence, the gradient flowing back through every step.
struct Recurrent: RecurrentCell {
    var Wxy: Tensor<Float>
    var Wyy: Tensor<Float>
    var by: Tensor<Float>

    init(_ inputs: Int, _ outputs: Int, using rng: inout RandomGenerator) {
        Wxy = Tensor(randomNormal: [inputs, outputs], standardDeviation: 1 / Float(inputs).squareRoot(), using: &rng)
        Wyy = Tensor(randomNormal: [outputs, outputs], standardDeviation: 1 / Float(outputs).squareRoot(), using: &rng)
        by = Tensor(zeros: [outputs])
    }

    func callAsFunction(_ input: (Tensor<Float>, Tensor<Float>)) -> (Tensor<Float>, Tensor<Float>) {
        let (previous, x) = input
        let y = σ(matmul(x, Wxy) + matmul(previous, Wyy) + by)
        return (y, y)
    }

    func zeroState(batchSize: Int) -> Tensor<Float> { Tensor(zeros: [batchSize, by.count]) }
}

/// The model: a recurrent layer over one-hot characters, and a dense layer from its state
/// to the next character's logits.
struct CharRNN<Cell: RecurrentCell>: Model where Cell.Scalar == Float {
    var lstm: Recurrence<Cell>
    var out: Dense<Float>

    init(_ cell: Cell, alphabet: Int, hidden: Int, using rng: inout RandomGenerator) {
        lstm = Recurrence(cell)
        out = Dense(hidden, alphabet, using: &rng)
    }

    /// Logits `[time·batch, alphabet]` for the tokens `[time, batch]`, from `state`, and the
    /// state after the last step.
    func run(_ tokens: Tensor<Int>, from state: Cell.State?) -> (logits: Tensor<Float>, state: Cell.State) {
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
    /// Which recurrent cell reads the characters.
    enum Cell { case lstm, recurrent }
    var cell = Cell.lstm
    var hidden = 128, batch = 32, length = 32, steps = 1500, reportEvery = 100
    var learningRate = 3e-3
    var seed: UInt64 = 0
    /// A folder where the trained model and its optimizer are saved, as one safetensors
    /// checkpoint (`char-rnn.safetensors`), at the end; nil saves nothing.
    var checkpointFolder: String? = nil

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
/// `length` characters at a time, the recurrent state carries over from one piece to the
/// next, but the gradient of each step reaches back only to the start of its piece (the
/// state kept from the last gradient computation is a constant in the next).
func trainCharRNN(_ settings: CharRNNSettings, report: (CharRNNProgress) -> Void = { _ in }) throws -> (
    corpus: CharacterCorpus, progress: [CharRNNProgress]
) {
    let corpus = try CharacterCorpus.words(seed: settings.seed)
    var rng = RandomGenerator(seed: settings.seed)
    let (alphabet, hidden) = (corpus.alphabet.count, settings.hidden)
    switch settings.cell {
    case .lstm:
        let model = CharRNN(LSTMCell(alphabet, hidden, using: &rng), alphabet: alphabet, hidden: hidden, using: &rng)
        return (corpus, try train(model, on: corpus, settings, using: &rng, report: report))
    case .recurrent:
        let model = CharRNN(Recurrent(alphabet, hidden, using: &rng), alphabet: alphabet, hidden: hidden, using: &rng)
        return (corpus, try train(model, on: corpus, settings, using: &rng, report: report))
    }
}

/// The training loop, for either cell.
func train<Cell: RecurrentCell>(
    _ start: CharRNN<Cell>, on corpus: CharacterCorpus, _ settings: CharRNNSettings, using rng: inout RandomGenerator,
    report: (CharRNNProgress) -> Void
) throws -> [CharRNNProgress] where Cell.Scalar == Float {
    var model = start
    var optimizer = Adam(for: model, learningRate: settings.learningRate)
    var batches = CharacterBatches(corpus, batch: settings.batch, length: settings.length)
    var carried: Cell.State? = nil
    var (progress, losses): ([CharRNNProgress], [Float]) = ([], [])
    for step in 1...settings.steps {
        let (inputs, targets) = batches.next()
        var last: Cell.State? = nil
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
    if let folder = settings.checkpointFolder {
        // The model and Adam's moments and step count in one file, written atomically: a later
        // run can load both (`optimizer.loaded(from:model:)`) and continue training.
        try optimizer.save(model, to: folder + "/char-rnn.safetensors", metadata: ["steps": "\(settings.steps)"])
    }
    return progress
}
