#include "electric/storage.h"

namespace peer::electric {

std::string_view variant_name(StartupVariant v) {
  switch (v) {
    case StartupVariant::seed_original: return "seed_original";
    case StartupVariant::electric_shipped: return "electric_shipped";
    case StartupVariant::corrected: return "corrected";
  }
  return "?";
}

std::optional<StartupVariant> parse_variant(std::string_view name) {
  for (auto v : {StartupVariant::seed_original, StartupVariant::electric_shipped, StartupVariant::corrected}) {
    if (variant_name(v) == name) return v;
  }
  return std::nullopt;
}

bool ShapeStorage::has_snapshot(const Self& self) const {
  self.touch(object_, false);
  std::lock_guard lk(mu_);
  return snapshot_.has_value();
}

void ShapeStorage::write_snapshot(const Self& self, std::vector<int> rows) {
  self.touch(object_, true);
  std::lock_guard lk(mu_);
  snapshot_ = std::move(rows);
}

std::uint64_t ShapeStorage::append(const Self& self, Change::Op op, int value) {
  self.touch(object_, true);
  std::lock_guard lk(mu_);
  log_.push_back(Change{op, value, log_.size() + 1});
  return log_.size();
}

std::set<int> ShapeStorage::read(const Self& self, std::uint64_t up_to) const {
  self.touch(object_, false);
  return apply_up_to(up_to);
}

std::set<int> ShapeStorage::data() const { return apply_up_to(UINT64_MAX); }

std::uint64_t ShapeStorage::last_offset() const {
  std::lock_guard lk(mu_);
  return log_.size();
}

std::set<int> ShapeStorage::apply_up_to(std::uint64_t up_to) const {
  std::lock_guard lk(mu_);
  std::set<int> values;
  if (snapshot_) values.insert(snapshot_->begin(), snapshot_->end());
  for (const auto& c : log_) {
    if (c.offset > up_to) break;
    if (c.op == Change::Op::insert) {
      values.insert(c.value);
    } else {
      values.erase(c.value);
    }
  }
  return values;
}

}  // namespace peer::electric
