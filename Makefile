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

.PHONY: deps deps-blas build test run run-perceptron run-data-parallel bench bench-csv bench-distributed fuzz lint docs clean

## deps: install what pkg-config cannot find: the system BLAS (OpenBLAS), which Flux needs,
## and Open MPI (libopenmpi-dev, mpirun), which only FluxDistributed and its tests and tutorial
## need; deps-blas: OpenBLAS alone (what `make run` and `make bench` need)
deps: WANTS_MPI := 1
deps-blas: WANTS_MPI := 0
deps deps-blas:
	@missing=""; \
	command -v pkg-config >/dev/null 2>&1 || missing="pkg-config"; \
	if command -v pkg-config >/dev/null 2>&1 && pkg-config --exists openblas; then \
	    echo "deps: OpenBLAS found ($$(pkg-config --modversion openblas))"; \
	else missing="$$missing libopenblas-dev"; fi; \
	if [ "$(WANTS_MPI)" = 1 ]; then \
	    if command -v pkg-config >/dev/null 2>&1 && pkg-config --exists ompi-c && command -v mpirun >/dev/null 2>&1; then \
	        echo "deps: Open MPI found ($$(pkg-config --modversion ompi-c))"; \
	    else missing="$$missing libopenmpi-dev openmpi-bin"; fi; \
	fi; \
	if [ -n "$$missing" ]; then \
	    echo "deps: installing$$missing with apt-get"; \
	    $(SUDO) apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing pkg-config; \
	fi

## build: build everything in release mode
build: deps
	$(SWIFT) build -c release

## test: run every test
test: deps
	$(SWIFT) test

## run: the main tutorial, a convolutional network on the shipped handwritten digits
## (Tutorials/Digits; `swift run -c release digits --idx ...` trains it on MNIST files)
run: deps-blas
	$(SWIFT) run -c release digits

## run-perceptron: the seed's Perceptron tells 3s from 8s (Tutorials/Perceptron)
run-perceptron: deps-blas
	$(SWIFT) run -c release perceptron

## run-data-parallel: the digits network trained by NP (2) processes with mpirun, each taking its
## part of every batch (Tutorials/DataParallel; README, "Training on several processes")
NP ?= 2
# Open MPI runs as root only when told to; --oversubscribe lets NP exceed the cores; one BLAS
# thread per process, as the processes share the cores.
MPIRUN := mpirun --oversubscribe $(shell [ "$$(id -u)" = 0 ] && echo --allow-run-as-root) -x OPENBLAS_NUM_THREADS=1
run-data-parallel: deps
	@$(SWIFT) build -c release --product data-parallel >/dev/null
	$(MPIRUN) -np $(NP) $$($(SWIFT) build -c release --show-bin-path)/data-parallel

## bench-distributed: the peers' mlp step on 1 process (2 BLAS threads, then 1) and data-parallel
## on NP (2) processes, the gradient all-reduced after the backward pass and overlapped with it
bench-distributed: deps
	@$(SWIFT) build -c release --product flux-distributed-bench >/dev/null
	@bin=$$($(SWIFT) build -c release --show-bin-path)/flux-distributed-bench; \
	$(BENCH_ENV) OPENBLAS_NUM_THREADS=2 $$bin alone && \
	$(BENCH_ENV) OPENBLAS_NUM_THREADS=1 $$bin alone && \
	for mode in after-backward overlapped; do \
	    $(BENCH_ENV) $(MPIRUN) -np $(NP) -x MALLOC_MMAP_THRESHOLD_ -x MALLOC_TRIM_THRESHOLD_ $$bin $$mode || exit 1; \
	done

## bench: the peers' workloads, in their line format (NATIVE=1: built with -target-cpu native;
## WORKLOADS=mlp-memory: resident memory after 1,000 and 10,000 mlp steps; lstm-memory: after 100 and 1,000 lstm steps;
## conv-memory: after 500 and 5,000 conv steps)
bench: deps-blas
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
fuzz: deps-blas
	@$(SWIFT) build -c release --product flux-fuzz >/dev/null
	@$$($(SWIFT) build -c release --show-bin-path)/flux-fuzz $(FUZZ_SECONDS) $(FUZZ_SEED) $(FUZZ_TARGET)

## docs: DocC documentation of Flux, FluxTesting and FluxDistributed in .build/docs, from the compiler's
## symbol graphs with the toolchain's own docc (no plugin package); any docc warning fails it
DOCS := .build/docs
docs: deps
	@rm -rf $(DOCS) && mkdir -p $(DOCS)/Flux.symbols $(DOCS)/FluxTesting.symbols $(DOCS)/FluxDistributed.symbols
	@# It may fail for the package's synthesized test modules; the libraries' graphs are what count.
	@$(SWIFT) package --scratch-path .build-docs dump-symbol-graph --minimum-access-level public >/dev/null 2>&1 || true
	@graphs=$$(find .build-docs -path '*/symbolgraph' -type d | head -1); \
	    cp $$graphs/Flux.symbols.json $$graphs/Flux@*.symbols.json $(DOCS)/Flux.symbols/ && \
	    cp $$graphs/FluxTesting.symbols.json $(DOCS)/FluxTesting.symbols/ && \
	    cp $$graphs/FluxDistributed.symbols.json $$graphs/FluxDistributed@*.symbols.json $(DOCS)/FluxDistributed.symbols/
	@for module in Flux FluxTesting FluxDistributed; do \
	    docc convert Sources/$$module/$$module.docc --additional-symbol-graph-dir $(DOCS)/$$module.symbols \
	        --fallback-display-name $$module --fallback-bundle-identifier org.fluxswift.$$module \
	        --output-path $(DOCS)/$$module --transform-for-static-hosting --warnings-as-errors || exit 1; \
	done
	@echo "docs: $(DOCS)/Flux, $(DOCS)/FluxTesting and $(DOCS)/FluxDistributed (serve the folder over HTTP to browse)"

## lint: the toolchain's formatter, in lint mode
lint:
	$(SWIFT) format lint --recursive Package.swift Sources Tests Tutorials

clean:
	rm -rf .build
