// A first look at Flux's tensors: creation, broadcasting, a BLAS matrix product, printing.
// Run it with `swift run -c release tensor-tour`.
import Flux

// Tensors are values: nested literals give the shape.
let x: Tensor<Float> = [[1, 2, 3], [4, 5, 6]]
print("x =", x)

// Arithmetic broadcasts like NumPy: a row vector is added to every row.
let shifted = x + Tensor<Float>([10, 20, 30])
print("x + [10, 20, 30] =", shifted)

// Copies share storage until one is written; the original never changes.
var y = x
y[scalarAt: 0, 0] = 100
print("after writing y, x[0, 0] is still", x[scalarAt: 0, 0])

// Randomness comes from an explicit, seedable generator: the same seed, the same numbers.
var rng = RandomGenerator(seed: 42)
let w = Tensor<Float>(randomNormal: [3, 4], using: &rng)
print("w ~ N(0, 1) =", w)

// Matrix products go to the system's CBLAS (OpenBLAS); transposes are flags, not copies.
let product = matmul(x, w)
print("x · w =", product)
print("xᵀ · x =", matmul(x, x, transposeA: true))

// A large product, to see BLAS at work.
let a = Tensor<Float>(randomNormal: [512, 512], using: &rng)
let b = Tensor<Float>(randomNormal: [512, 512], using: &rng)
print("a 512×512 product, summarised:", matmul(a, b))
