//===- PeerTidyModule.cpp - the 'peer' clang-tidy module ------------------===//
//
// The single registry of peer-* checks. Adding a check is one class and one
// line here; every delivery (peer-tidy, the clang-tidy --load module, the
// editor server) links this file and so sees the same checks.
//
//===----------------------------------------------------------------------===//

#include "ClangTidyModule.h"
#include "MonitorAfterCallCheck.h"
#include "RepeatedLookupCheck.h"
#include "TidyModuleRegistry.h"
#include "UncheckedLookupCheck.h"
#include "UnpinnedCallCheck.h"

namespace peer {

class PeerTidyModule : public clang::tidy::ClangTidyModule {
public:
  void
  addCheckFactories(clang::tidy::ClangTidyCheckFactories &Factories) override {
    Factories.registerCheck<MonitorAfterCallCheck>("peer-monitor-after-call");
    Factories.registerCheck<RepeatedLookupCheck>("peer-repeated-lookup");
    Factories.registerCheck<UncheckedLookupCheck>("peer-unchecked-lookup");
    Factories.registerCheck<UnpinnedCallCheck>("peer-unpinned-call");
  }
};

} // namespace peer

static clang::tidy::ClangTidyModuleRegistry::Add<peer::PeerTidyModule>
    Registration("peer-module", "Checks for lookup-call-monitor races on peers "
                                "(processes, actors, services).");
