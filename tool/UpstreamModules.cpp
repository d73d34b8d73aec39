//===- UpstreamModules.cpp - clang-tidy's check modules, linked in --------===//
//
// A reference to each module's anchor keeps its registration in the binary
// (static libraries are linked only for the symbols something uses). The
// list is every libclangTidy*Module.a of the LLVM peer-tidy is built against
// (tool/CMakeLists.txt), so LLVM 19 and 22 each get all of theirs. Only the
// standalone peer-tidy links them: the --load module gets them from its host.
//
//===----------------------------------------------------------------------===//

namespace clang::tidy {
#define PEER_UPSTREAM_MODULE(Name)                                             \
  extern volatile int Name##ModuleAnchorSource;                                \
  [[maybe_unused]] static int Name##ModuleAnchorDestination =                  \
      Name##ModuleAnchorSource;
#include "UpstreamModules.inc"
#undef PEER_UPSTREAM_MODULE
} // namespace clang::tidy
