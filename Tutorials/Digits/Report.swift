// What the trained network got wrong, shown two ways: a confusion table (which digit was
// taken for which) and the misclassified images themselves, drawn in characters.
import Flux

/// Counts of each true digit (rows) against the predicted one (columns): the diagonal is
/// what is right; zeros off it are dots, so that the mistakes stand out.
func confusionTable(predictions: Tensor<Int>, labels: Tensor<Int>) -> String {
    ConfusionMatrix(predictions: predictions, labels: labels, classes: 10).description
}

/// A grey image `[height, width, 1]` (pixels in [0, 1]) as lines of characters from light to
/// dark, each pixel two characters wide so that the picture keeps its proportions.
func asciiArt(_ image: Tensor<Float>) -> [String] {
    let shades = Array(" .:-=+*#%@")
    let (height, width) = (image.shape[0], image.shape[1])
    let pixels = image.scalars
    return (0..<height).map { row in
        String(
            (0..<width).flatMap { column in
                let shade = shades[min(shades.count - 1, Int(pixels[row * width + column] * Float(shades.count)))]
                return [shade, shade]
            })
    }
}

/// Misclassified test images side by side (as many as fit in `columns` characters, at most
/// `limit`), each under its true digit and the network's answer.
func drawnMistakes(_ test: LabelledImages, predictions: Tensor<Int>, limit: Int = 4, columns: Int = 80) -> String {
    let (truth, guessed) = (test.labels.scalars, predictions.scalars)
    let wrong = truth.indices.filter { truth[$0] != guessed[$0] }
    guard !wrong.isEmpty else { return "no test image is misclassified" }
    let panelWidth = 2 * test.size.width
    let shown = wrong.prefix(max(1, min(limit, (columns + 3) / (panelWidth + 3))))
    let panels = shown.map { i in
        let caption = "\(truth[i]) taken for \(guessed[i])"
        let art = asciiArt(test.images[i])
        return [caption.padding(toWidth: panelWidth)] + art.map { $0.padding(toWidth: panelWidth) }
    }
    let lines = panels[0].indices.map { line in
        String(panels.map { $0[line] }.joined(separator: "   ").reversed().drop { $0 == " " }.reversed())
    }
    let which = shown.count == wrong.count ? "all" : "the first \(shown.count)"
    let title = "\(wrong.count) of \(test.count) test images misclassified; \(which):"
    return ([title] + lines).joined(separator: "\n")
}

extension String {
    /// The string, padded with spaces to `width` characters (on the left when
    /// `alignedRight`), or cut to them.
    func padding(toWidth width: Int, alignedRight: Bool = false) -> String {
        guard count < width else { return String(prefix(width)) }
        let spaces = String(repeating: " ", count: width - count)
        return alignedRight ? spaces + self : self + spaces
    }
}
