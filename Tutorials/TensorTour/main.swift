import Flux
let x: Tensor<Float> = [[1, 2, 3], [4, 5, 6]]
print(x.shape, (x * 2 + 1).scalars)
