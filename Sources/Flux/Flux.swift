// Flux for Swift: tensors on CBLAS, differentiable models as values.
//
// Layout: Tensor/ holds the n-dimensional array and its kernels; later layers of the
// architecture (autodiff, models, composition, optimizers) sit in folders beside it.
