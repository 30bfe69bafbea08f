import Flux
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
