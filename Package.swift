// swift-tools-version: 6.2
// Flux for Swift: no package dependencies, only the toolchain and the system CBLAS.
import PackageDescription

let package = Package(
    name: "Flux",
    products: [
        .library(name: "Flux", targets: ["Flux"]),
        .library(name: "FluxTesting", targets: ["FluxTesting"]),
        .executable(name: "digits", targets: ["DigitsTutorial"]),
        .executable(name: "perceptron", targets: ["PerceptronTutorial"]),
        .executable(name: "custom-layers", targets: ["CustomLayersTutorial"]),
        .executable(name: "tensor-tour", targets: ["TensorTour"]),
        .executable(name: "char-rnn", targets: ["CharRNNTutorial"]),
        .executable(name: "flux-bench", targets: ["FluxBench"]),
        .executable(name: "flux-fuzz", targets: ["FluxFuzz"]),
    ],
    targets: [
        // Debian's libopenblas-dev: the module map includes <cblas.h>, which resolves to
        // /usr/include/x86_64-linux-gnu/cblas.h (an update-alternatives link to
        // .../openblas-pthread/cblas.h), and links libopenblas; pkg-config finds it.
        .systemLibrary(
            name: "CBLAS",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]
        ),
        // Float exp, tanh and sigmoid loops compiled for AVX-512, AVX2 and the baseline, chosen at load time.
        .target(name: "CFluxKernels"),
        .target(name: "Flux", dependencies: ["CBLAS", "CFluxKernels"]),
        // The gradient checker and random generators for users' own property-based tests.
        .target(name: "FluxTesting", dependencies: ["Flux"]),
        // Tutorials: executables that teach, on the data in Tutorials/Data.
        .target(name: "TutorialSupport", dependencies: ["Flux"], path: "Tutorials/Support"),
        // `make run`: a convolutional network on the digits, the project's showcase.
        .executableTarget(
            name: "DigitsTutorial", dependencies: ["Flux", "TutorialSupport"], path: "Tutorials/Digits"),
        .executableTarget(
            name: "PerceptronTutorial", dependencies: ["Flux", "TutorialSupport"], path: "Tutorials/Perceptron"),
        .executableTarget(
            name: "CustomLayersTutorial", dependencies: ["Flux", "TutorialSupport"], path: "Tutorials/CustomLayers"),
        .executableTarget(
            name: "TensorTour", dependencies: ["Flux"], path: "Tutorials/TensorTour"),
        .executableTarget(
            name: "CharRNNTutorial", dependencies: ["Flux", "TutorialSupport"], path: "Tutorials/CharRNN"),
        // Replaces malloc and friends with counting wrappers: only the benchmark links it.
        .target(name: "CAllocationCounter"),
        .executableTarget(name: "FluxBench", dependencies: ["Flux", "CBLAS", "CAllocationCounter"]),
        // `make fuzz`: mutated CSV, IDX and safetensors files against their readers and plain references.
        .executableTarget(name: "FluxFuzz", dependencies: ["Flux"]),
        .testTarget(
            name: "FluxTests",
            dependencies: [
                "Flux", "FluxTesting", "CBLAS", "CFluxKernels", "PerceptronTutorial", "CustomLayersTutorial",
                "CharRNNTutorial", "DigitsTutorial", "TutorialSupport",
                "FluxFuzz",
            ],
            // Read by path from the tests (a safetensors file written by the reference implementation).
            exclude: ["Checkpoint/Fixtures"]),
    ]
)
