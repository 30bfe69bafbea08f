// `make run-perceptron`: the seed's Perceptron learns to tell 3s from 8s (UCI handwritten digits,
// shipped in Tutorials/Data). Every line shows the training loss falling and the accuracy
// on held-out images rising.
import Flux
import Foundation

do {
    print("Perceptron σ(W * x + b): 64 pixels -> P(digit is 8), trained on 3s and 8s")
    for p in try trainPerceptron(steps: 300, reportEvery: 30) {
        let loss = String(format: "%.4f", Double(p.loss))
        let acc = String(format: "%.1f%%", Double(p.testAccuracy) * 100)
        print("step \(p.step)\tloss \(loss)\ttest accuracy \(acc)")
    }
} catch {
    print("Perceptron: \(error)")
    exit(1)
}
