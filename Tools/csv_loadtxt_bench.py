"""The `csv` workload of `make bench` for NumPy: numpy.loadtxt on the same bytes that
Sources/FluxBench/CSVWorkload.swift writes (2,000 lines of 1,000 fields, ~21 MB), timed the
same way (the median of 5 reads after one warm-up read), printed in the same line format.

Usage: python3 Tools/csv_loadtxt_bench.py [--write PATH]   (--write: only write the file)
"""
import os
import sys
import tempfile
import time

ROWS, COLUMNS = 2000, 1000
MASK = (1 << 64) - 1


def hash64(i):
    """SplitMix64's output function applied to i + 1 steps of its increment."""
    z = ((i + 1) * 0x9E3779B97F4A7C15) & MASK
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return z ^ (z >> 31)


def field(r):
    v = r >> 3
    kind = r & 7
    if kind < 4:
        return f"{'-' if v & 1 else ''}{(v >> 1) % 100}.{(v >> 8) % 1_000_000:06d}"
    if kind == 4:
        return str(v % 100_000)
    if kind == 5:
        return f"{v % 10}.{(v >> 4) % 10**16:016d}"
    if kind == 6:
        return f"{v % 10}.{(v >> 4) % 10_000:04d}e{'-' if (v >> 20) & 1 else ''}{(v >> 21) % 40:02d}"
    return f"{v % 10}.{(v >> 4) % 100}"


def benchmark_csv():
    lines = (
        ",".join(field(hash64(row * COLUMNS + column)) for column in range(COLUMNS)) + "\n"
        for row in range(ROWS)
    )
    return "".join(lines).encode()


def main():
    data = benchmark_csv()
    if len(sys.argv) == 3 and sys.argv[1] == "--write":
        with open(sys.argv[2], "wb") as f:
            f.write(data)
        return
    import numpy as np

    with tempfile.TemporaryDirectory() as directory:
        path = os.path.join(directory, "numbers.csv")
        with open(path, "wb") as f:
            f.write(data)
        times = []
        for read in range(6):
            start = time.perf_counter()
            table = np.loadtxt(path, delimiter=",", dtype=np.float64)
            if read > 0:
                times.append(time.perf_counter() - start)
            assert table.shape == (ROWS, COLUMNS), table.shape
    t = sorted(times)[len(times) // 2]
    megabytes = len(data) / 1e6
    print(f"peer=numpy workload=csv mb_per_s={megabytes / t:.4f} ms_per_read={t * 1e3:.4f} megabytes={megabytes:.4f}")


if __name__ == "__main__":
    main()
