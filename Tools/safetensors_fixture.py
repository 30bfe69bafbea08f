# Writes Tests/FluxTests/Checkpoint/Fixtures/reference.safetensors with the reference
# implementation (PyPI `safetensors`, 0.8.0 when it was made, with NumPy), so that the tests
# check that Flux reads what others write. Run: python3 Tools/safetensors_fixture.py
import pathlib

import numpy as np
from safetensors.numpy import save_file

tensors = {
    "weight": (np.arange(6, dtype=np.float32).reshape(2, 3) / 4),
    "double": np.array([np.pi, np.e, -1.5], dtype=np.float64),
    "half": np.array([0.5, -2, 65504, 2.0**-14, 2.0**-24, np.inf], dtype=np.float16),
    "counts": np.array([-3, 7], dtype=np.int32),
    "big": np.array([2**40, -1], dtype=np.int64),
    "empty": np.zeros((0, 4), dtype=np.float32),
    "scalar": np.array(2.5, dtype=np.float32),
}
metadata = {"format": "np", "source": "Flux for Swift test fixture"}
out = pathlib.Path(__file__).resolve().parent.parent / "Tests/FluxTests/Checkpoint/Fixtures/reference.safetensors"
save_file(tensors, str(out), metadata=metadata)
print(out)
