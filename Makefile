# The two commands of the README. Each one does all set-up itself.
#   make demo            peer-tidy over examples/ (and more as it lands)
#   make test            every test: lit (checks, tool, explorer) + the runtime's GoogleTests
#   make test LLVM=22    the same against LLVM 22
LLVM ?= 19
BUILD ?= build/llvm$(LLVM)
JOBS ?= $(shell nproc)

.PHONY: all demo test setup configure build clean

all: build

setup:
	@scripts/install-deps.sh $(LLVM)

$(BUILD)/build.ninja: | setup
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release -DPEER_LLVM_VERSION=$(LLVM)

configure: setup $(BUILD)/build.ninja

build: configure
	cmake --build $(BUILD) -j $(JOBS)

demo: build
	@scripts/demo.sh $(BUILD)

test: build
	cmake --build $(BUILD) --target check

clean:
	rm -rf build
