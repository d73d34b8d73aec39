// electric/storage.h - per shape: a snapshot and an append-only change log,
// in memory, shared by the processes of that shape.
#ifndef PEER_ELECTRIC_STORAGE_H
#define PEER_ELECTRIC_STORAGE_H

#include <cstdint>
#include <mutex>
#include <optional>
#include <set>
#include <vector>

#include "electric/protocol.h"

namespace peer::electric {

class ShapeStorage {
 public:
  // object_id names this storage in the explorer's footprints.
  explicit ShapeStorage(std::uint64_t object_id) : object_(object::shared(object_id)) {}

  bool has_snapshot(const Self& self) const;
  void write_snapshot(const Self& self, std::vector<int> rows);
  std::uint64_t append(const Self& self, Change::Op op, int value);  // returns the new offset
  // Snapshot rows plus log changes with offset <= up_to, applied in order.
  std::set<int> read(const Self& self, std::uint64_t up_to) const;

  // For invariant checks (outside any process).
  std::set<int> data() const;
  std::uint64_t last_offset() const;

 private:
  std::set<int> apply_up_to(std::uint64_t up_to) const;
  std::uint64_t object_;
  mutable std::mutex mu_;
  std::optional<std::vector<int>> snapshot_;
  std::vector<Change> log_;
};

}  // namespace peer::electric

#endif  // PEER_ELECTRIC_STORAGE_H
