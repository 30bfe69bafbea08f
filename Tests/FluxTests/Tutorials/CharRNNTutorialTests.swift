import Flux
import Foundation
import Testing
import TutorialSupport

@testable import CharRNNTutorial

@Suite struct CharRNNTutorialTests {
    /// A short run learns more than the letters' frequencies: its loss falls below the
    /// unigram entropy of the text, and it writes words.
    @Test func learnsBelowTheUnigramEntropy() throws {
        let (corpus, progress) = try trainCharRNN(.short)
        let entropy = Float(corpus.unigramEntropy)
        #expect(progress.last!.loss < entropy, "loss \(progress.map(\.loss)) vs unigram entropy \(entropy)")
        #expect(progress.last!.loss < progress.first!.loss)
        #expect(progress.last!.samples.allSatisfy { $0.allSatisfy { ("a"..."z").contains($0) } })
    }

    /// The trained model and its optimizer are saved as one checkpoint that loads back into
    /// a fresh model and optimizer of the same shapes.
    @Test func theTrainedModelIsSavedWithItsOptimizer() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("flux-charrnn-\(UUID().uuidString)")
            .path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var settings = CharRNNSettings.short
        (settings.steps, settings.reportEvery, settings.checkpointFolder) = (40, 40, folder)
        let (corpus, _) = try trainCharRNN(settings)
        var rng = RandomGenerator(seed: 9)
        let fresh = CharRNN(
            LSTMCell(corpus.alphabet.count, settings.hidden, using: &rng), alphabet: corpus.alphabet.count,
            hidden: settings.hidden, using: &rng)
        let (model, optimizer) = try Adam(for: fresh).loaded(from: folder + "/char-rnn.safetensors", model: fresh)
        #expect(optimizer.step == 40)
        #expect(model.parameters(of: Float.self).map(\.tensor) != fresh.parameters(of: Float.self).map(\.tensor))
    }

    /// The seed's Recurrent learns too: its loss falls below the unigram entropy.
    @Test func seedsRecurrentLearns() throws {
        var settings = CharRNNSettings.short
        settings.cell = .recurrent
        settings.steps = 160
        let (corpus, progress) = try trainCharRNN(settings)
        #expect(progress.last!.loss < Float(corpus.unigramEntropy), "loss \(progress.map(\.loss))")
    }

    /// Sampling is reproducible from its seed, and a low temperature makes the likeliest
    /// character ever more certain.
    @Test func samplingIsSeededAndTempered() throws {
        let corpus = try CharacterCorpus.words(seed: 1)
        var rng = RandomGenerator(seed: 2)
        let model = CharRNN(
            LSTMCell(corpus.alphabet.count, 8, using: &rng), alphabet: corpus.alphabet.count, hidden: 8, using: &rng)
        var (a, b) = (RandomGenerator(seed: 5), RandomGenerator(seed: 5))
        #expect(model.sample(corpus, temperature: 1, using: &a) == model.sample(corpus, temperature: 1, using: &b))
        #expect(draw(from: [0, 1, 0], using: &a) == 1)
    }
}
