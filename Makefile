# The two commands of the quick start: `make run` and `make test`.
# Both install missing Debian packages, configure and build with -j2.
PRESET ?= release
BUILD_DIR := build/$(PRESET)
JOBS ?= 2

.PHONY: all bootstrap configure build run test package asan clean format

all: build

bootstrap:
	@packaging/bootstrap-debian.sh

configure: bootstrap
	@cmake --preset $(PRESET) >/dev/null

build: configure
	@cmake --build $(BUILD_DIR) -j$(JOBS)

run: build
	@packaging/run-local.sh $(BUILD_DIR)

test: build
	@cd $(BUILD_DIR) && ctest --output-on-failure -j$(JOBS) --timeout 600

package: build
	@cd $(BUILD_DIR) && cpack -G DEB

asan:
	@$(MAKE) test PRESET=asan

format:
	@git ls-files '*.cpp' '*.h' | xargs clang-format -i

clean:
	@rm -rf build
