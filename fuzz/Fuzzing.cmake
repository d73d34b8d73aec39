# Included by the top-level CMakeLists.txt: builds fuzz/ (a project of its
# own, compiled with clang-N) as an ExternalProject when PEER_FUZZ is on, which
# it is by default when clang-N and its libFuzzer runtime (libclang-rt-N-dev)
# are installed. Sets PEER_FUZZ_BIN_DIR (empty when off) for the lit tests.
find_program(PEER_CLANGXX clang++-${PEER_LLVM_VERSION} PATHS "${PEER_LLVM_PREFIX}/bin")
set(PEER_FUZZ_RUNTIME "")
if(PEER_CLANGXX)
  file(GLOB PEER_FUZZ_RUNTIME
    "${PEER_CLANG_RESOURCE_DIR}/lib/*/libclang_rt.fuzzer*.a")
endif()
if(PEER_CLANGXX AND PEER_FUZZ_RUNTIME)
  set(PEER_FUZZ_DEFAULT ON)
else()
  set(PEER_FUZZ_DEFAULT OFF)
endif()
option(PEER_FUZZ "Build the libFuzzer targets (fuzz/) and run them briefly in make test"
  ${PEER_FUZZ_DEFAULT})

set(PEER_FUZZ_BIN_DIR "")
if(PEER_FUZZ)
  if(NOT PEER_CLANGXX OR NOT PEER_FUZZ_RUNTIME)
    message(FATAL_ERROR "PEER_FUZZ needs clang++-${PEER_LLVM_VERSION} and its libFuzzer runtime (apt-get install clang-${PEER_LLVM_VERSION} libclang-rt-${PEER_LLVM_VERSION}-dev)")
  endif()
  include(ExternalProject)
  ExternalProject_Add(peer-fuzz
    SOURCE_DIR ${CMAKE_CURRENT_LIST_DIR}
    BINARY_DIR ${CMAKE_BINARY_DIR}/fuzz
    CMAKE_GENERATOR ${CMAKE_GENERATOR}
    CMAKE_ARGS
      -DCMAKE_CXX_COMPILER=${PEER_CLANGXX}
      -DCMAKE_C_COMPILER=${PEER_CLANG}
      -DCMAKE_BUILD_TYPE=RelWithDebInfo
      -DPEER_LLVM_VERSION=${PEER_LLVM_VERSION}
      -DPEER_LLVM_PREFIX=${PEER_LLVM_PREFIX}
    INSTALL_COMMAND ""
    BUILD_ALWAYS ON       # its sources are the main tree's: let ninja decide
    USES_TERMINAL_BUILD ON)
  set(PEER_FUZZ_BIN_DIR ${CMAKE_BINARY_DIR}/fuzz/bin)
  message(STATUS "peer-tidy: fuzz targets with ${PEER_CLANGXX} (PEER_FUZZ=ON)")
else()
  message(STATUS "peer-tidy: no fuzz targets (PEER_FUZZ=OFF; needs clang++-${PEER_LLVM_VERSION} and libclang-rt-${PEER_LLVM_VERSION}-dev)")
endif()
