//===- PluginVersionGuard.cpp - refuse to load into another LLVM ----------===//
//
// A module built for one LLVM major version and loaded into another
// clang-tidy crashes or silently reports nothing: the C++ ABI of clang's
// classes changes with every major release. Before any of our static
// initialisers touch the host's clang-tidy (registering the module does), we
// look at which libclang-cpp / libLLVM the host process has loaded; if it is
// another major version, we say so and stop the host with exit code 2, so a
// CI job fails loudly instead of passing with no checks run.
//
//===----------------------------------------------------------------------===//

#include "llvm/Config/llvm-config.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <link.h>

namespace {

/// The major version in a loaded library's path such as
/// ".../libclang-cpp.so.22.1" or ".../libLLVM.so.19.1"; 0 when the object is
/// neither library.
int majorVersionOf(const char *Path) {
  static const char *const Stems[] = {"libclang-cpp.so.", "libLLVM.so.",
                                      "libLLVM-"};
  for (const char *Stem : Stems) {
    const char *Found = std::strstr(Path, Stem);
    if (Found)
      return std::atoi(Found + std::strlen(Stem));
  }
  return 0;
}

int hostMajor = 0;

int inspect(dl_phdr_info *Info, size_t, void *) {
  if (Info->dlpi_name && *Info->dlpi_name) {
    int Major = majorVersionOf(Info->dlpi_name);
    if (Major > 0 && Major != LLVM_VERSION_MAJOR) {
      hostMajor = Major;
      return 1;
    }
  }
  return 0;
}

// Priority 101 runs before every ordinary static initialiser of this module.
__attribute__((constructor(101))) void refuseForeignHost() {
  dl_iterate_phdr(inspect, nullptr);
  if (hostMajor == 0)
    return;
  std::fprintf(stderr,
               "error: PeerTidyModule-%d.so was built for LLVM %d but was "
               "loaded into a process using LLVM %d; load "
               "PeerTidyModule-%d.so (built against LLVM %d) instead\n",
               LLVM_VERSION_MAJOR, LLVM_VERSION_MAJOR, hostMajor, hostMajor,
               hostMajor);
  std::fflush(stderr);
  std::_Exit(2);
}

} // namespace
