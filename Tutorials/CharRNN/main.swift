// `swift run -c release char-rnn`: an LSTM learns to write English words, one character at
// a time, from the word list shipped in Tutorials/Data (Debian's `wamerican`);
// `swift run -c release char-rnn recurrent` does it with the seed's Recurrent.
import Flux
import Foundation
import TutorialSupport

// `char-rnn recurrent`: the seed's Recurrent instead of the LSTM.
var settings = CharRNNSettings()
if CommandLine.arguments.dropFirst().first == "recurrent" { settings.cell = .recurrent }
let name = settings.cell == .lstm ? "an LSTM" : "the seed's Recurrent, σ(x * Wxy + y₋₁ * Wyy + by)"
print(
    "CharRNN: \(name), 27 → \(settings.hidden), then Dense(\(settings.hidden) → 27), reads English words a character at a time"
)
do {
    let corpus = try CharacterCorpus.words(seed: settings.seed)
    print(
        String(
            format: "a model that knew only how often each letter comes would lose %.3f nats a character",
            corpus.unigramEntropy))
    // The trained model and its optimizer are saved to .build/char-rnn at the end.
    settings.checkpointFolder = ".build/char-rnn"
    try FileManager.default.createDirectory(atPath: ".build/char-rnn", withIntermediateDirectories: true)
    _ = try trainCharRNN(settings) { p in
        let loss = String(format: "%.3f", Double(p.loss))
        print("step \(p.step)\tloss \(loss)\twords: \(p.samples.joined(separator: " "))")
    }
} catch {
    print("CharRNN: \(error)")
    exit(1)
}
