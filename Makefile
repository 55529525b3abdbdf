# eddy: user-facing targets. The engine builds with CMake; these wrap it.
BUILD      ?= build
JOBS       ?= $(shell nproc)
CMAKE_REL   = cmake -S . -B $(BUILD)/release -DCMAKE_BUILD_TYPE=Release -DEDDY_TESTS=OFF
CMAKE_TEST  = cmake -S . -B $(BUILD)/test -DCMAKE_BUILD_TYPE=Debug -DEDDY_SANITIZE=ON
# Second compiler: the code must build warning-free (-Werror) with clang too.
CMAKE_CLANG = cmake -S . -B $(BUILD)/clang -DCMAKE_BUILD_TYPE=Debug -DCMAKE_C_COMPILER=clang

.PHONY: all deps build ext run test check-clang bench clean

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

# Until the PHP extension exists: the coroutine echo server on port 9501.
run: build
	$(BUILD)/release/echo_server 9501

test: deps check-clang
	@$(CMAKE_TEST) >/dev/null
	@cmake --build $(BUILD)/test -j $(JOBS) -- --no-print-directory
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 LSAN_OPTIONS=exitcode=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  EXT_BUILD=$(BUILD)/ext scripts/test.sh $(BUILD)/test

check-clang: deps
	@$(CMAKE_CLANG) >/dev/null
	@cmake --build $(BUILD)/clang -j $(JOBS) -- --no-print-directory >$(BUILD)/clang.log 2>&1 || \
	  { grep -E "error|warning" -A3 $(BUILD)/clang.log | head -60; echo "clang build failed"; exit 1; }

bench: build
	@bench/run.sh $(BUILD)/release

clean:
	rm -rf $(BUILD)
