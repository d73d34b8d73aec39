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
    HandleInfo &Mine = Handles[VD];
    Mine.Origins.insert(Info.Origins.begin(), Info.Origins.end());
    Mine.MaybeUnchecked |= Info.MaybeUnchecked;
  }
  std::set<unsigned> Both;
  std::set_intersection(MonitoredOnAllPaths.begin(), MonitoredOnAllPaths.end(),
                        O.MonitoredOnAllPaths.begin(),
                        O.MonitoredOnAllPaths.end(),
                        std::inserter(Both, Both.begin()));
  MonitoredOnAllPaths = std::move(Both);
  Unmonitored.insert(O.Unmonitored.begin(), O.Unmonitored.end());
  FedLookups.insert(O.FedLookups.begin(), O.FedLookups.end());
  Pending.insert(O.Pending.begin(), O.Pending.end());
}

} // namespace peer
