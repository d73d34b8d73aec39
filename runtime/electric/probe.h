// electric/probe.h - what the shape's processes publish about themselves so
// that invariants can be checked from outside. Instrumentation only: it is
// not part of the protocol and takes no part in the explorer's footprints.
#ifndef PEER_ELECTRIC_PROBE_H
#define PEER_ELECTRIC_PROBE_H

#include <cstdint>
#include <map>
#include <mutex>
#include <set>
#include <vector>

#include "peer/runtime/runtime.h"

namespace peer::electric {

struct MaterializerView {
  std::set<int> values;
};

class ShapeProbe {
 public:
  void consumer_subscribers(Pid consumer, std::set<std::uint64_t> subscribers) {
    std::lock_guard lk(mu_);
    consumers_[consumer.id] = std::move(subscribers);
  }
  void materializer(Pid pid, MaterializerView view) {
    std::lock_guard lk(mu_);
    materializers_[pid.id] = std::move(view);
  }
  void dependent(Pid pid, std::set<int> values) {
    std::lock_guard lk(mu_);
    dependents_[pid.id] = std::move(values);
  }
  std::map<std::uint64_t, std::set<std::uint64_t>> consumers() const {
    std::lock_guard lk(mu_);
    return consumers_;
  }
  // The consumer incarnations, in order, without copying their subscribers
  // (the explorer asks at every decision).
  std::vector<std::uint64_t> consumer_ids() const {
    std::lock_guard lk(mu_);
    std::vector<std::uint64_t> out;
    out.reserve(consumers_.size());
    for (const auto& entry : consumers_) out.push_back(entry.first);
    return out;
  }
  std::map<std::uint64_t, MaterializerView> materializers() const {
    std::lock_guard lk(mu_);
    return materializers_;
  }
  std::map<std::uint64_t, std::set<int>> dependents() const {
    std::lock_guard lk(mu_);
    return dependents_;
  }

 private:
  mutable std::mutex mu_;
  std::map<std::uint64_t, std::set<std::uint64_t>> consumers_;
  std::map<std::uint64_t, MaterializerView> materializers_;
  std::map<std::uint64_t, std::set<int>> dependents_;
};

}  // namespace peer::electric

#endif  // PEER_ELECTRIC_PROBE_H
