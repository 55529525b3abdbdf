# eddy: user-facing targets. The engine builds with CMake; these wrap it.
BUILD      ?= build
JOBS       ?= $(shell nproc)
CMAKE_REL   = cmake -S . -B $(BUILD)/release -DCMAKE_BUILD_TYPE=Release -DEDDY_TESTS=OFF
CMAKE_TEST  = cmake -S . -B $(BUILD)/test -DCMAKE_BUILD_TYPE=Debug -DEDDY_SANITIZE=ON
# Second compiler: the code must build warning-free (-Werror) with clang too.
CMAKE_CLANG = cmake -S . -B $(BUILD)/clang -DCMAKE_BUILD_TYPE=Debug -DCMAKE_C_COMPILER=clang
CMAKE_FUZZ  = cmake -S . -B $(BUILD)/fuzz -DCMAKE_BUILD_TYPE=Debug -DCMAKE_C_COMPILER=clang \
              -DEDDY_FUZZ=ON -DEDDY_TESTS=OFF
FUZZ_SECONDS ?= 60

.PHONY: all deps build ext run test check-clang fuzz-build fuzz-replay fuzz bench clean

all: build

deps:
	@scripts/deps.sh

build: deps
	@$(CMAKE_REL) >/dev/null
	@cmake --build $(BUILD)/release -j $(JOBS) -- --no-print-directory

# The PHP extension, out of tree: $(BUILD)/ext/modules/swoole.so
# (phpize && ./configure && make over symlinks to ext/; see scripts/build_ext.sh).
ext: deps
	@scripts/build_ext.sh $(BUILD)/ext --enable-eddy-werror

# Builds the extension and serves examples/http_server.php (Swoole's hello
# world) on http://127.0.0.1:9501/; Ctrl-C stops master, manager and workers.
# -n: no php.ini, so an installed Swoole cannot be loaded twice.
run: ext
	@php -n -d extension=$(BUILD)/ext/modules/swoole.so examples/http_server.php 9501

test: deps check-clang fuzz-replay
	@$(CMAKE_TEST) >/dev/null
	@cmake --build $(BUILD)/test -j $(JOBS) -- --no-print-directory
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 LSAN_OPTIONS=exitcode=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  EXT_BUILD=$(BUILD)/ext scripts/test.sh $(BUILD)/test

check-clang: deps
	@$(CMAKE_CLANG) >/dev/null
	@cmake --build $(BUILD)/clang -j $(JOBS) -- --no-print-directory >$(BUILD)/clang.log 2>&1 || \
	  { grep -E "error|warning" -A3 $(BUILD)/clang.log | head -60; echo "clang build failed"; exit 1; }

# libFuzzer targets fuzz/<name>.c with corpora in fuzz/corpus/<name>/.
fuzz-build: deps
	@$(CMAKE_FUZZ) >/dev/null
	@cmake --build $(BUILD)/fuzz -j $(JOBS) -- --no-print-directory >$(BUILD)/fuzz.log 2>&1 || \
	  { tail -40 $(BUILD)/fuzz.log; echo "fuzz build failed"; exit 1; }

# Replays every corpus once (make test runs this): a past crash stays fixed.
fuzz-replay: fuzz-build
	@for f in $(BUILD)/fuzz/fuzz_*; do n=$${f##*/fuzz_}; \
	  $$f -runs=0 fuzz/corpus/$$n >$(BUILD)/fuzz/$$n.log 2>&1 || \
	  { tail -30 $(BUILD)/fuzz/$$n.log; echo "fuzz corpus replay failed: $$n"; exit 1; }; done

# Fuzzes each target for FUZZ_SECONDS, growing its corpus.
fuzz: fuzz-build
	@for f in $(BUILD)/fuzz/fuzz_*; do n=$${f##*/fuzz_}; \
	  $$f -max_total_time=$(FUZZ_SECONDS) -dict=fuzz/$$n.dict fuzz/corpus/$$n || exit 1; done

bench: build
	@bench/run.sh $(BUILD)/release

clean:
	rm -rf $(BUILD)
