# The two commands of the quick start: `make run` and `make test`.
# Both install missing Debian packages, configure and build with -j2.
PRESET ?= release
BUILD_DIR := build/$(PRESET)
JOBS ?= 2

.PHONY: all bootstrap configure build run test bench fuzz package asan tsan clean format

all: build

bootstrap:
	@packaging/bootstrap-debian.sh

# CI=true (set by .ci/run) makes every warning an error.
configure: bootstrap
	@cmake --preset $(PRESET) -DCERTKEEPER_WERROR=$(if $(filter true,$(CI)),ON,OFF) >/dev/null

build: configure
	@cmake --build $(BUILD_DIR) -j$(JOBS)

run: build
	@packaging/run-local.sh $(BUILD_DIR)

test: build
	@cd $(BUILD_DIR) && ctest --output-on-failure -j$(JOBS) --timeout 600

# The benchmarks of tests/bench, with what only they need (certbot and its RFC 2136 plugin, lego,
# wrk). They print numbers side by side with the tools users would otherwise pick; they never
# fail on them.
bench: build
	@packaging/bootstrap-debian.sh --bench
	@tests/bench/api.sh $(BUILD_DIR)
	@tests/bench/issuance.sh $(BUILD_DIR)
	@tests/bench/dns_issuance.sh $(BUILD_DIR)
	@tests/bench/flood.py --service $(BUILD_DIR)/service/certkeeper-service

# The libFuzzer targets (clang, ASan + UBSan) for FUZZ_SECONDS each; fails on any finding.
FUZZ_SECONDS ?= 60
fuzz: bootstrap
	@cmake --preset fuzz >/dev/null
	@cmake --build build/fuzz -j$(JOBS)
	@tests/fuzz/run.sh build/fuzz $(FUZZ_SECONDS)

# The .deb, then lintian on it: an error fails the target, warnings are printed. Older packages
# are removed first so that lintian checks the one just made.
package: build
	@packaging/bootstrap-debian.sh --package
	@rm -f $(BUILD_DIR)/certkeeper_*.deb
	@cd $(BUILD_DIR) && cpack -G DEB
	@lintian --fail-on error $(BUILD_DIR)/certkeeper_*.deb

asan:
	@$(MAKE) test PRESET=asan

# ThreadSanitizer on the service-side suites (the store's thread, the process pool, the network
# thread); the suites are listed in CMakePresets.json.
tsan: bootstrap
	@cmake --preset tsan >/dev/null
	@cmake --build build/tsan -j$(JOBS)
	@ctest --preset tsan -j$(JOBS) --timeout 900

format:
	@git ls-files '*.cpp' '*.h' | xargs clang-format -i

clean:
	@rm -rf build
