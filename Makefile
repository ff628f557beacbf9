# nova-layers front door.
#   make        set up the machine (once), build the native engine, CLI and wasm modules
#   make test   every suite: C (+ASan/UBSan, valgrind), SQL, JS, Deno, browser, package
#   make demo   the real flow on an embedded PostgreSQL (ARGS=--full: whole prompts)
#   make preview  serve the prompt preview page on 127.0.0.1 and print its URL
#   make golden regenerate the golden prompts on purpose (review the diff!)
#   make fuzz   libFuzzer on every entry point, FUZZ_SECONDS each (or FUZZ_RUNS executions);
#               findings land in tests/fuzz/crashers (tests/fuzz/fuzz.sh)
SHELL := /bin/bash
JOBS ?= 2
BUILD := build
BUILD_ASAN := build-asan

.PHONY: all setup native asan wasm examples test demo preview golden bench clean

all: native wasm examples

setup:
	@bash scripts/setup.sh

$(BUILD)/CMakeCache.txt: | setup
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release >/dev/null

native: setup $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j$(JOBS)

$(BUILD_ASAN)/CMakeCache.txt: | setup
	CC=clang cmake -S . -B $(BUILD_ASAN) -DCMAKE_BUILD_TYPE=Debug -DNOVA_SANITIZE=ON >/dev/null

asan: setup $(BUILD_ASAN)/CMakeCache.txt
	cmake --build $(BUILD_ASAN) -j$(JOBS)

wasm: setup
	@if [ -x wasm/build.sh ]; then bash wasm/build.sh; fi

# The preview page's examples, generated from the golden requests (dist/preview-examples.js).
examples:
	@node scripts/preview-examples.mjs

test: native asan wasm examples
	@bash scripts/run-tests.sh

demo: wasm
	@bash scripts/demo.sh $(ARGS)

preview: wasm examples
	@node js/cli/nova-layers.js preview $(ARGS)

golden: native
	@bash tests/golden/regenerate.sh

fuzz: setup
	@FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_RUNS=$(FUZZ_RUNS) FUZZ_TARGETS="$(FUZZ_TARGETS)" \
	  JOBS=$(JOBS) bash tests/fuzz/fuzz.sh

bench: native wasm
	@bash bench/run.sh

clean:
	rm -rf $(BUILD) $(BUILD_ASAN) build-fuzz build-fuzz-long dist
