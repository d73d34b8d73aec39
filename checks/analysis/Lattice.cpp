//===- Lattice.cpp - the state the flow analysis carries ------------------===//

#include "Lattice.h"

#include <algorithm>
#include <iterator>

namespace peer {

void State::join(const State &O) {
  if (!O.Reached)
    return;
  if (!Reached) {
    *this = O;
    return;
  }
  for (const auto &[VD, Info] : O.Handles) {
    auto [It, New] = Handles.try_emplace(VD, Info);
    if (New)
      continue;
    HandleInfo &Mine = It->second;
    // Proxies of two different peers: which one is unknown.
    if (Mine.ProxyKey != Info.ProxyKey)
      Mine.ProxyKey = ~0u;
    Mine.Origins.insert(Info.Origins.begin(), Info.Origins.end());
    Mine.MaybeUnchecked |= Info.MaybeUnchecked;
    // The whole variable on either path holds it on some path.
    if (Mine.Fields.empty() || Info.Fields.empty())
      Mine.Fields.clear();
    else
      Mine.Fields.insert(Info.Fields.begin(), Info.Fields.end());
  }
  std::set<unsigned> Both;
  std::set_intersection(MonitoredOnAllPaths.begin(), MonitoredOnAllPaths.end(),
                        O.MonitoredOnAllPaths.begin(),
                        O.MonitoredOnAllPaths.end(),
                        std::inserter(Both, Both.begin()));
  MonitoredOnAllPaths = std::move(Both);
  Unmonitored.merge(O.Unmonitored);
  FedLookups.merge(O.FedLookups);
  Pending.insert(O.Pending.begin(), O.Pending.end());
  Frozen = Frozen && O.Frozen;
  std::set<const clang::Expr *> ScannedOnBoth;
  if (Frozen)
    std::set_intersection(FrozenScans.begin(), FrozenScans.end(),
                          O.FrozenScans.begin(), O.FrozenScans.end(),
                          std::inserter(ScannedOnBoth, ScannedOnBoth.begin()));
  FrozenScans = std::move(ScannedOnBoth);
}

} // namespace peer
