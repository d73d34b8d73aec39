// Test main for the runtime suites. ThreadSanitizer needs a non-randomized
// address space on kernels with high mmap randomization (it aborts with
// "unexpected memory mapping"); rather than touching the system setting we
// re-exec ourselves once under `setarch -R` when built with TSan.
#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <string>
#include <sys/personality.h>
#include <unistd.h>

#if defined(__SANITIZE_THREAD__)
#define PEER_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define PEER_TSAN 1
#endif
#endif

int main(int argc, char** argv) {
#ifdef PEER_TSAN
  int current = personality(0xffffffff);
  if (current != -1 && !(current & ADDR_NO_RANDOMIZE) && !std::getenv("PEER_TSAN_REEXECED")) {
    setenv("PEER_TSAN_REEXECED", "1", 1);
    if (personality(static_cast<unsigned long>(current) | ADDR_NO_RANDOMIZE) != -1) {
      execv("/proc/self/exe", argv);  // falls through on failure
    }
  }
#endif
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
