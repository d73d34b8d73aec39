// explore/explorer.cpp - what every strategy shares: recording a run's
// result, schedules as text, replay, traces. The strategies have a file each:
// source_dpor.cpp (exhaustive: source-DPOR, sleep sets, none), optimal.cpp
// (optimal DPOR), sampling.cpp (random, PCT).
#include "explore/explorer.h"

#include <algorithm>
#include <map>
#include <set>
#include <sstream>

#include "explore/cli.h"
#include "explore/engine.h"

namespace peer::explore {

namespace detail {

void record(ExploreResult& out, const RunResult& run, const ScenarioFactory& make, const ExploreOptions& options) {
  const Bounds& bounds = options.bounds;
  if (run.blocked && !run.violation) {  // a violation before the cut is real
    ++out.sleep_blocked;
    return;
  }
  ++out.schedules;
  // A run cut by a sleep set after a violation has no final state: its
  // outcome is that of the equivalent run explored elsewhere.
  if (options.collect_outcomes && !run.blocked) out.outcomes.try_emplace(run.outcome, run.schedule);
  if (options.collect_traces && !run.trace.empty() && !out.traces.try_emplace(run.trace, run.schedule).second) {
    ++out.repeated_traces;
  }
  if (run.step_bound_hit) ++out.step_bound_hits;
  if (!run.violation) return;
  ++out.violations;
  int invariant = run.violation->invariant;
  ++out.violations_by_invariant[invariant];
  ++out.violations_by_kind[run.violation->kind];
  std::vector<Choice> schedule(run.schedule.begin(),
                               run.schedule.begin() + static_cast<std::ptrdiff_t>(run.violation_at));
  auto known = out.shortest_by_invariant.find(invariant);
  if (out.first && known != out.shortest_by_invariant.end() && known->second.schedule.size() <= schedule.size()) {
    return;
  }
  Counterexample cx;
  cx.violation = *run.violation;
  cx.schedule = std::move(schedule);
  if (auto again = replay(make, cx.schedule, bounds)) cx.trace = std::move(again->trace);
  if (!out.first) out.first = cx;
  out.shortest_by_invariant[invariant] = std::move(cx);
}

Footprint predicted_footprint(const Decision& d, const Choice& c) {
  if (c.kind == Choice::Kind::no_fault) return Footprint{kFaultBudget | kWrite};
  if (c.kind == Choice::Kind::wait) return Footprint{kEverything};
  if (c.kind != Choice::Kind::kill) return {};
  if (!d.budget_left) return Footprint{kFaultBudget};
  if (std::find(d.targets->begin(), d.targets->end(), c.pid) == d.targets->end()) {
    return normalize({kFaultBudget, fault_offer(c.pid)});
  }
  std::vector<std::uint64_t> raw{kFaultBudget | kWrite, fault_offer(c.pid)};
  for (const auto& [object, write] : d.runtime->exit_footprint(c.pid)) {
    raw.push_back(write ? object | kWrite : object);
    // A process the fault takes along (the target too) leaves the targets.
    if (write && (object >> 56) == (object::life(Pid{}) >> 56)) {
      raw.push_back(fault_offer(Pid{object & ((1ULL << 56) - 1)}) | kWrite);
    }
  }
  return normalize(std::move(raw));
}

std::string trace_key(const std::vector<TraceEvent>& events) {
  std::vector<std::string> label;
  std::map<std::string, int> seen;
  for (const TraceEvent& e : events) {
    std::string actor = to_string({e.choice});
    label.push_back(actor + "#" + std::to_string(seen[actor]++));
  }
  std::set<std::string> items;
  for (std::size_t i = 0; i < events.size(); ++i) {
    items.insert("E " + label[i]);
    for (std::size_t j = 0; j < i; ++j) {
      if (events[i].choice == events[j].choice || !independent(events[j].footprint, events[i].footprint)) {
        items.insert("D " + label[j] + "<" + label[i]);
      }
    }
  }
  std::string out;
  for (const std::string& item : items) out += item + ";";
  return out;
}

}  // namespace detail

using namespace detail;

std::string to_string(const std::vector<Choice>& schedule) {
  std::string out;
  for (const auto& c : schedule) {
    if (!out.empty()) out += '.';
    if (c.kind == Choice::Kind::wait || c.kind == Choice::Kind::no_fault) {
      out += c.kind == Choice::Kind::wait ? 'w' : 'n';
      continue;
    }
    if (c.kind == Choice::Kind::kill) out += 'k';
    out += std::to_string(c.pid.id);
  }
  return out;
}

std::optional<std::vector<Choice>> parse_schedule(const std::string& text) {
  return cli::parse_schedule(text, nullptr);
}

std::optional<ReplayResult> replay(const ScenarioFactory& make, const std::vector<Choice>& schedule,
                                   const Bounds& bounds) {
  bool misfit = false;
  auto choose = [&](const Decision& d) -> std::optional<std::size_t> {
    auto depth = static_cast<std::size_t>(d.depth);
    if (depth < schedule.size()) {
      auto it = std::find(d.enabled.begin(), d.enabled.end(), schedule[depth]);
      if (it == d.enabled.end()) {
        misfit = true;
        return std::nullopt;
      }
      return static_cast<std::size_t>(it - d.enabled.begin());
    }
    // Past the schedule: keep running the last process, else the lowest
    // pid; with none ready, give up the faults, then let time pass; the
    // fault actors left then strike nothing.
    auto rank = [&](const Choice& c) {
      if (c == Choice{Choice::Kind::step, d.last_run}) return 0;
      if (c.kind == Choice::Kind::step) return 1;
      if (c.kind == Choice::Kind::no_fault) return 2;
      return c.kind == Choice::Kind::wait ? 3 : 4;
    };
    std::size_t index = 0;
    for (std::size_t i = 1; i < d.enabled.size(); ++i) {
      if (rank(d.enabled[i]) < rank(d.enabled[index])) index = i;
    }
    return index;
  };
  auto executed = [](int, const Choice&, Footprint) {};
  ReplayResult out;
  Bounds unbounded_steps = bounds;
  unbounded_steps.max_steps = std::max<int>(bounds.max_steps, static_cast<int>(schedule.size()));
  RunResult run = execute(make, unbounded_steps, choose, executed, &out.trace, true);
  if (misfit) return std::nullopt;
  out.violation = std::move(run.violation);
  out.schedule = std::move(run.schedule);
  return out;
}

std::string format_trace(const std::vector<TraceLine>& trace) {
  std::size_t width = 0;
  for (const auto& line : trace) width = std::max(width, line.actor.size());
  std::ostringstream out;
  for (const auto& line : trace) {
    std::string step = line.step ? std::to_string(line.step) : "-";
    out << "  " << std::string(step.size() < 4 ? 4 - step.size() : 0, ' ') << step << "  " << line.actor
        << std::string(width - line.actor.size() + 2, ' ') << line.text << '\n';
  }
  return out.str();
}

}  // namespace peer::explore
