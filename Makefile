# The two commands of the README. Each one does all set-up itself.
#   make demo            peer-tidy over examples/ (and more as it lands)
#   make test            every test: lit (checks, tool, explorer) + the runtime's GoogleTests
#   make test LLVM=22    the same against LLVM 22
#   make format          rewrite the C/C++ sources with clang-format 19
#   make format-check    list the sources that differ from it, exit 1 if any
LLVM ?= 19
BUILD ?= build/llvm$(LLVM)
JOBS ?= $(shell nproc)

.PHONY: all demo test setup configure build clean format format-check

all: build

# The package check runs once per build tree, and again when the list of
# packages changes (scripts/install-deps.sh is newer than the stamp);
# `make setup` forces it.
setup:
	@scripts/install-deps.sh $(LLVM)
	@mkdir -p $(BUILD) && touch $(BUILD)/.deps-installed

$(BUILD)/.deps-installed: scripts/install-deps.sh
	@scripts/install-deps.sh $(LLVM)
	@mkdir -p $(BUILD) && touch $@

$(BUILD)/build.ninja: | $(BUILD)/.deps-installed
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release -DPEER_LLVM_VERSION=$(LLVM) \
	  -DPEER_TIDY_TEST_HOOKS=ON

configure: $(BUILD)/.deps-installed $(BUILD)/build.ninja

build: configure
	cmake --build $(BUILD) -j $(JOBS)

demo: build
	@scripts/demo.sh $(BUILD)

# The test hooks (tool/lsp/CMakeLists.txt) are on in this build; a build tree
# configured before they existed gets them here, so no test is skipped.
test: configure
	@grep -q '^PEER_TIDY_TEST_HOOKS:BOOL=ON' $(BUILD)/CMakeCache.txt || \
	  cmake -B $(BUILD) -DPEER_TIDY_TEST_HOOKS=ON
	cmake --build $(BUILD) -j $(JOBS)
	cmake --build $(BUILD) --target check

# scripts/format.sh says which files and which styles (.clang-format files).
format:
	@scripts/format.sh

format-check:
	@scripts/format.sh --check

clean:
	rm -rf build
