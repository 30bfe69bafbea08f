// The English words that the character-level language model learns from
// (Tutorials/Data/words.txt, from Debian's `wamerican`; see Tutorials/Data/README.md).
import Flux
import Foundation

/// A text as a stream of character tokens: the words of `words.txt` in a seeded random
/// order, each followed by a newline, the newline also starting the stream.
public struct CharacterCorpus {
    /// The characters, by token: the newline (token 0), then `a`–`z`.
    public let alphabet: [Character]
    /// The whole text, as tokens.
    public let tokens: [Int]

    /// The word list, shuffled with `seed`.
    ///
    /// - Throws: ``DataFileError`` when the file cannot be read or holds a character other
    ///   than `a`–`z` and the newline.
    public static func words(seed: UInt64) throws -> CharacterCorpus {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../Data/words.txt").standardized.path
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DataFileError.unreadable(path: path, reason: "no such file")
        }
        var words = String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
        var rng = RandomGenerator(seed: seed)
        words.shuffle(using: &rng)
        let alphabet: [Character] =
            ["\n"] + (UInt8(ascii: "a")...UInt8(ascii: "z")).map { Character(UnicodeScalar($0)) }
        var tokens = [0]
        for (line, word) in words.enumerated() {
            for byte in word.utf8 {
                guard byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z") else {
                    throw DataFileError.notANumber(path: path, line: line + 1, column: 1, text: word)
                }
                tokens.append(Int(byte - UInt8(ascii: "a")) + 1)
            }
            tokens.append(0)
        }
        return CharacterCorpus(alphabet: alphabet, tokens: tokens)
    }

    /// The entropy of the characters' frequencies, in nats: the loss of a model that knows
    /// how often each character comes but nothing about its context.
    public var unigramEntropy: Double {
        var counts = [Int](repeating: 0, count: alphabet.count)
        for t in tokens { counts[t] += 1 }
        let n = Double(tokens.count)
        return counts.filter { $0 > 0 }.reduce(0) { h, c in h - Double(c) / n * Foundation.log(Double(c) / n) }
    }

    /// The text of `tokens`.
    public func text(_ tokens: [Int]) -> String { String(tokens.map { alphabet[$0] }) }
}

/// The text cut into `batch` streams read side by side, `length` characters at a time: each
/// call gives the next inputs `[length, batch]` and their targets, the characters one step
/// on. The stream starts again at its beginning when it is used up.
public struct CharacterBatches {
    let corpus: CharacterCorpus
    let batch: Int, length: Int
    var position = 0

    /// Batches of `batch` streams of `length` characters from `corpus`.
    public init(_ corpus: CharacterCorpus, batch: Int, length: Int) {
        (self.corpus, self.batch, self.length) = (corpus, batch, length)
    }

    /// The next inputs and targets, both `[length, batch]` tokens (time first).
    public mutating func next() -> (inputs: Tensor<Int>, targets: Tensor<Int>) {
        let stream = corpus.tokens.count / batch
        if position + length + 1 > stream { position = 0 }
        var inputs = [Int](), targets = [Int]()
        for t in 0..<length {
            for b in 0..<batch {
                inputs.append(corpus.tokens[b * stream + position + t])
                targets.append(corpus.tokens[b * stream + position + t + 1])
            }
        }
        position += length
        return (Tensor(shape: [length, batch], scalars: inputs), Tensor(shape: [length, batch], scalars: targets))
    }
}
