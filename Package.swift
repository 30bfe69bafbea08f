// swift-tools-version: 6.2
// Flux for Swift: no package dependencies, only the toolchain and the system CBLAS.
import PackageDescription

let package = Package(
    name: "Flux",
    products: [
        .library(name: "Flux", targets: ["Flux"]),
        .library(name: "FluxTesting", targets: ["FluxTesting"]),
        // Data-parallel training over MPI: the only product that needs Open MPI.
        .library(name: "FluxDistributed", targets: ["FluxDistributed"]),
        .executable(name: "digits", targets: ["DigitsTutorial"]),
        .executable(name: "perceptron", targets: ["PerceptronTutorial"]),
        .executable(name: "data-parallel", targets: ["DataParallelTutorial"]),
        .executable(name: "custom-layers", targets: ["CustomLayersTutorial"]),
        .executable(name: "tensor-tour", targets: ["TensorTour"]),
        .executable(name: "char-rnn", targets: ["CharRNNTutorial"]),
        .executable(name: "flux-bench", targets: ["FluxBench"]),
        .executable(name: "flux-fuzz", targets: ["FluxFuzz"]),
        .executable(name: "flux-distributed-bench", targets: ["FluxDistributedBench"]),
        .executable(name: "flux-distributed-check", targets: ["FluxDistributedCheck"]),
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
        // Debian's libopenmpi-dev (Open MPI): pkg-config's ompi-c gives the include folder of
        // <mpi.h> and links libmpi. Only FluxDistributed imports it, so Flux builds without it.
        .systemLibrary(
            name: "CMPI",
            pkgConfig: "ompi-c",
            providers: [.apt(["libopenmpi-dev"])]
        ),
        .target(name: "FluxDistributed", dependencies: ["Flux", "CMPI"]),
        // The gradient checker and random generators for users' own property-based tests.
        .target(name: "FluxTesting", dependencies: ["Flux"]),
        // Tutorials: executables that teach, on the data in Tutorials/Data.
        .target(name: "TutorialSupport", dependencies: ["Flux"], path: "Tutorials/Support"),
        // `make run`: a convolutional network on the digits, the project's showcase.
        .executableTarget(
            name: "DigitsTutorial", dependencies: ["Flux", "TutorialSupport"], path: "Tutorials/Digits"),
        // `make run-data-parallel`: the digits network trained by 2 processes under mpirun.
        .executableTarget(
            name: "DataParallelTutorial", dependencies: ["Flux", "FluxDistributed", "TutorialSupport"],
            path: "Tutorials/DataParallel"),
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
        // The benchmarks' clock and result lines in the peers' format.
        .target(name: "BenchReport"),
        .executableTarget(name: "FluxBench", dependencies: ["Flux", "CBLAS", "CAllocationCounter", "BenchReport"]),
        // `make bench-distributed`: the peers' mlp step trained data-parallel under mpirun.
        .executableTarget(
            name: "FluxDistributedBench",
            dependencies: ["Flux", "FluxDistributed", "CAllocationCounter", "BenchReport"]),
        // `make fuzz`: mutated CSV, IDX and safetensors files against their readers and plain references.
        .executableTarget(name: "FluxFuzz", dependencies: ["Flux"]),
        // The program FluxDistributedTests runs under `mpirun -np 2`, one scenario per run.
        .executableTarget(name: "FluxDistributedCheck", dependencies: ["Flux", "FluxDistributed"]),
        .testTarget(
            name: "FluxTests",
            dependencies: [
                "Flux", "FluxTesting", "CBLAS", "CFluxKernels", "PerceptronTutorial", "CustomLayersTutorial",
                "CharRNNTutorial", "DigitsTutorial", "TutorialSupport",
                "FluxFuzz",
            ],
            // Read by path from the tests (a safetensors file written by the reference implementation).
            exclude: ["Checkpoint/Fixtures"]),
        // Runs flux-distributed-check and the DataParallel tutorial under `mpirun -np 2` (the
        // dependencies build them with the tests).
        .testTarget(name: "FluxDistributedTests", dependencies: ["FluxDistributedCheck", "DataParallelTutorial"]),
    ]
)
