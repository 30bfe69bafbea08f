# Flux for Swift. `make run` and `make test` do all the set-up on Debian/Ubuntu.
SWIFT ?= swift
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# Workloads for `make bench` (see ../shared/peers/README.md); the peers' compare.sh sets this.
WORKLOADS ?= gemm tiny mlp conv elementwise chain csv
# The peers run under these allocator settings; the benchmark uses the same.
BENCH_ENV := OPENBLAS_NUM_THREADS=$${OPENBLAS_NUM_THREADS:-2} MALLOC_MMAP_THRESHOLD_=$${MALLOC_MMAP_THRESHOLD_:-33554432} \
             MALLOC_TRIM_THRESHOLD_=$${MALLOC_TRIM_THRESHOLD_:-1073741824}
# `make bench NATIVE=1`: the benchmark built for this CPU (e.g. AVX-512), opt-in because the
# package itself must stay portable (no unsafeFlags); a scratch path of its own keeps the two
# builds from rebuilding each other.
ifeq ($(NATIVE),1)
BENCH_BUILD := --scratch-path .build-native -Xswiftc -target-cpu -Xswiftc native
endif

.PHONY: deps build test run run-perceptron bench bench-csv fuzz lint docs clean

## deps: install the system BLAS (OpenBLAS) when pkg-config cannot find it
deps:
	@if command -v pkg-config >/dev/null 2>&1 && pkg-config --exists openblas; then \
	    echo "deps: OpenBLAS found ($$(pkg-config --modversion openblas))"; \
	else \
	    echo "deps: OpenBLAS not found; installing libopenblas-dev and pkg-config with apt-get"; \
	    $(SUDO) apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq libopenblas-dev pkg-config; \
	fi

## build: build everything in release mode
build: deps
	$(SWIFT) build -c release

## test: run every test
test: deps
	$(SWIFT) test

## run: the main tutorial, a convolutional network on the shipped handwritten digits
## (Tutorials/Digits; `swift run -c release digits --idx ...` trains it on MNIST files)
run: deps
	$(SWIFT) run -c release digits

## run-perceptron: the seed's Perceptron tells 3s from 8s (Tutorials/Perceptron)
run-perceptron: deps
	$(SWIFT) run -c release perceptron

## bench: the peers' workloads, in their line format (NATIVE=1: built with -target-cpu native;
## WORKLOADS=mlp-memory: resident memory after 1,000 and 10,000 mlp steps; lstm-memory: after 100 and 1,000 lstm steps;
## conv-memory: after 500 and 5,000 conv steps)
bench: deps
	@$(SWIFT) build -c release $(BENCH_BUILD) --product flux-bench >/dev/null
	@$(BENCH_ENV) $$($(SWIFT) build -c release $(BENCH_BUILD) --show-bin-path)/flux-bench $(WORKLOADS)

## bench-csv: reading a ~21 MB numeric CSV file, Flux against numpy.loadtxt on the same bytes
## (NumPy from the peers' .peers-venv when present, else python3)
PYTHON := $(shell [ -x .peers-venv/bin/python ] && echo .peers-venv/bin/python || echo python3)
bench-csv: WORKLOADS = csv
bench-csv: bench
	@if $(PYTHON) -c 'import numpy' 2>/dev/null; then \
	    $(PYTHON) Tools/csv_loadtxt_bench.py; \
	else \
	    echo "bench-csv: no NumPy for $(PYTHON): the numpy.loadtxt line is skipped (../shared/peers/setup.sh installs it)"; \
	fi

## fuzz: mutated CSV, IDX and safetensors files against their readers for FUZZ_SECONDS (60,
## shared) from FUZZ_SEED (1); FUZZ_TARGET=csv, idx or safetensors runs one alone. It fails on
## any input that traps a reader or that it reads wrongly
FUZZ_SECONDS ?= 60
FUZZ_SEED ?= 1
FUZZ_TARGET ?= all
fuzz: deps
	@$(SWIFT) build -c release --product flux-fuzz >/dev/null
	@$$($(SWIFT) build -c release --show-bin-path)/flux-fuzz $(FUZZ_SECONDS) $(FUZZ_SEED) $(FUZZ_TARGET)

## docs: DocC documentation of Flux and FluxTesting in .build/docs, from the compiler's
## symbol graphs with the toolchain's own docc (no plugin package); any docc warning fails it
DOCS := .build/docs
docs: deps
	@rm -rf $(DOCS) && mkdir -p $(DOCS)/Flux.symbols $(DOCS)/FluxTesting.symbols
	@# It may fail for the package's synthesized test modules; the libraries' graphs are what count.
	@$(SWIFT) package --scratch-path .build-docs dump-symbol-graph --minimum-access-level public >/dev/null 2>&1 || true
	@graphs=$$(find .build-docs -path '*/symbolgraph' -type d | head -1); \
	    cp $$graphs/Flux.symbols.json $$graphs/Flux@*.symbols.json $(DOCS)/Flux.symbols/ && \
	    cp $$graphs/FluxTesting.symbols.json $(DOCS)/FluxTesting.symbols/
	@for module in Flux FluxTesting; do \
	    docc convert Sources/$$module/$$module.docc --additional-symbol-graph-dir $(DOCS)/$$module.symbols \
	        --fallback-display-name $$module --fallback-bundle-identifier org.fluxswift.$$module \
	        --output-path $(DOCS)/$$module --transform-for-static-hosting --warnings-as-errors || exit 1; \
	done
	@echo "docs: $(DOCS)/Flux/index.html and $(DOCS)/FluxTesting/index.html (serve the folder over HTTP to browse)"

## lint: the toolchain's formatter, in lint mode
lint:
	$(SWIFT) format lint --recursive Package.swift Sources Tests Tutorials

clean:
	rm -rf .build
