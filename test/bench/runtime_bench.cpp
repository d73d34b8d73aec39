// Google Benchmark for the threaded runtime (see test/bench/runtime_vs_erlang.sh).
#include <benchmark/benchmark.h>

#include "peer/runtime/gen_server.h"

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
}
