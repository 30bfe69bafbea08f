import Flux
import FluxTesting
import Testing

@Suite struct EmbeddingTests {
    /// Rows looked up for indices of any shape; the gradient scattered back, summed over
    /// repeats, zero for rows never looked up; against finite differences.
    @Test func lookupAndGradient() {
        var gen = PropertyGenerator(seed: 91)
        for _ in 0..<8 {
            let (vocabulary, width) = (
                Int.random(in: 1...9, using: &gen.random), Int.random(in: 1...5, using: &gen.random)
            )
            var rng = gen.random.split()
            let embed = Embedding<Double>(vocabulary, width, using: &rng)
            let shape = gen.shape(rank: 0...3)
            let indices = Tensor<Int>(randomIntegers: shape, in: 0..<vocabulary, using: &rng)
            let y = embed(indices)
            #expect(y.shape == shape + [width])
            for (k, i) in indices.scalars.enumerated() {
                #expect(Array(y.scalars[(k * width)..<((k + 1) * width)]) == embed.table[i].scalars)
            }
            let r = gen.tensor(shape + [width])
            let g = gradient(at: embed) { e in (e(indices) * r).sum() }
            for row in 0..<vocabulary {
                var expected = [Double](repeating: 0, count: width)
                for (k, i) in indices.scalars.enumerated() where i == row {
                    for j in 0..<width { expected[j] += r.scalars[k * width + j] }
                }
                #expect(g.table[row].isApproximatelyEqual(to: Tensor(expected), absoluteTolerance: 1e-12))
            }
            let check = checkGradient(of: { e in (e(indices) * r).sum() }, at: embed)
            #expect(check.worstRelativeError < 1e-6, "\(check)")
        }
    }

    /// Tokens to vectors to a recurrent layer, in a chain that trains.
    @Test func inAChain() {
        var rng = RandomGenerator(seed: 92)
        var model = Chain {
            Embedding<Float>(6, 4, using: &rng)
            Recurrence(GRUCell<Float>(4, 8, using: &rng), returnsSequences: false)
            Dense<Float>(8, 6, using: &rng)
        }
        let tokens = Tensor<Int>(randomIntegers: [5, 16], in: 0..<6, using: &rng)  // [time, batch]
        let labels = tokens[4]  // the last token of each sequence
        var optimizer = Adam(for: model, learningRate: 0.05)
        var losses: [Float] = []
        for _ in 0..<40 {
            let (loss, grad) = valueWithGradient(at: model) { m in
                softmaxCrossEntropy(logits: m(tokens), labels: labels)
            }
            optimizer.update(&model, along: grad)
            losses.append(loss)
        }
        #expect(losses.last! < losses.first! / 4, "\(losses.first!) → \(losses.last!)")
        #expect(model.parameters().first?.path == "layers.0.table")
    }

    @Test func anIndexOutsideTheVocabularyStops() async {
        let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Chain {
                Embedding<Float>(5, 3); Dense<Float>(3, 2)
            }(Tensor<Int>([1, 5]))
        }
        #expect(
            r.standardError.contains("Embedding(5 → 3) at layers.0: index 5 is outside the vocabulary 0..<5"),
            "\(r.standardError)")
    }
}
