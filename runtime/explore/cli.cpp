#include "explore/cli.h"

#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <memory>

namespace peer::explore::cli {

namespace {

// At most 60 characters of what the user gave, for an error message.
std::string quoted(std::string_view text) {
  constexpr std::size_t kShown = 60;
  std::string out = "'";
  out.append(text.substr(0, kShown));
  if (text.size() <= kShown) return out += '\'';
  return out += "...' (" + std::to_string(text.size()) + " characters)";
}

struct NumberFlag {
  const char* name;
  std::uint64_t min;
  std::uint64_t max;
};

constexpr NumberFlag kNumberFlags[] = {
    {"--max-steps", 1, kMaxSteps}, {"--max-preemptions", 0, kMaxPreemptions},
    {"--faults", 0, kMaxFaults},   {"--random", 0, kMaxRuns},
    {"--seed", 0, UINT64_MAX},     {"--pct", 0, kMaxPctDepth},
    {"-j", 1, kMaxWorkers},        {"--split", 0, kMaxSplit},
};

void set_number(Options& out, std::string_view flag, std::uint64_t n) {
  if (flag == "--max-steps") out.bounds.max_steps = static_cast<int>(n);
  if (flag == "--max-preemptions") out.bounds.max_preemptions = static_cast<int>(n);
  if (flag == "--faults") out.bounds.max_faults = static_cast<int>(n);
  if (flag == "--random") out.random_runs = n;
  if (flag == "--seed") {
    out.seed = n;
    out.seed_given = true;
  }
  if (flag == "--pct") out.pct = static_cast<int>(n);
  if (flag == "-j") out.workers = static_cast<unsigned>(n);
  if (flag == "--split") out.split_units = static_cast<unsigned>(n);
}

std::optional<Error> set_strategy(Options& out, std::string_view name) {
  if (name == "none") {
    out.sleep_sets = out.dpor = out.optimal = false;
  } else if (name == "sleep") {
    out.sleep_sets = true;
    out.dpor = out.optimal = false;
  } else if (name == "source") {
    out.sleep_sets = out.dpor = true;
    out.optimal = false;
  } else if (name == "optimal") {
    out.sleep_sets = out.dpor = out.optimal = true;
  } else {
    return Error{"unknown strategy " + quoted(name) + " (strategies: optimal, source, sleep, none)"};
  }
  return std::nullopt;
}

// The checks that need every flag.
std::optional<Error> check_combination(const Options& o) {
  if (o.help || o.list) return std::nullopt;
  if (o.scenario.empty()) return Error{"missing SCENARIO"};
  if (o.seed_given && !o.random_runs) return Error{"--seed goes with --random"};
  if (o.pct > 0 && !o.random_runs) return Error{"--pct goes with --random"};
  if (o.replay_text && o.replay_file) return Error{"give either --replay or --replay-from"};
  if (o.traces_file && (o.random_runs || o.replay_text || o.replay_file)) {
    return Error{"--traces goes with the exhaustive search"};
  }
  if (o.optimal && (!o.sleep_sets || !o.dpor)) return Error{"--strategy optimal needs sleep sets and DPOR"};
  if (o.workers > 1) {
    if (o.random_runs || o.replay_text || o.replay_file) return Error{"-j goes with the exhaustive search"};
    if (o.first_only) return Error{"-j explores the whole space: not with --first"};
    if (o.dpor && !o.optimal && o.bounds.max_preemptions < 0) {
      return Error{
          "-j splits optimal DPOR and the search without DPOR, not source-DPOR: give --strategy optimal, sleep "
          "or none, or --max-preemptions (source-DPOR runs on one thread)"};
    }
    if (o.optimal && o.dpor && o.bounds.max_preemptions < 0 && o.split_units == 0) {
      return Error{"-j with --split 0: the unsplit optimal search runs on one thread"};
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::uint64_t> parse_number(std::string_view text, std::uint64_t min, std::uint64_t max) {
  std::uint64_t n = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, n);
  if (text.empty() || ec != std::errc() || ptr != end || n < min || n > max) return std::nullopt;
  return n;
}

namespace {

// A flag without a value: false when arg is none.
bool set_switch(Options& out, const std::string& arg) {
  if (arg == "--first") {
    out.first_only = true;
  } else if (arg == "--suspend") {
    out.suspend = true;
  } else if (arg == "--no-sleep-sets") {
    out.sleep_sets = false;
    out.optimal = false;
  } else if (arg == "--no-dpor") {
    out.dpor = false;
    out.optimal = false;
  } else if (arg == "--list") {
    out.list = true;
  } else if (arg == "-h" || arg == "--help") {
    out.help = true;
  } else {
    return false;
  }
  return true;
}

// A number flag's value: digits, then in the flag's range.
std::optional<Error> set_number_flag(Options& out, const std::string& arg, const std::string& value,
                                     const NumberFlag& number) {
  std::uint64_t any = 0;
  auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), any);
  bool digits = !value.empty() && ptr == value.data() + value.size() &&
                (ec == std::errc() || ec == std::errc::result_out_of_range);
  if (!digits) return Error{arg + " needs a non-negative number, not " + quoted(value)};
  auto n = parse_number(value, number.min, number.max);
  if (!n) {
    return Error{arg + " " + quoted(value) + " is out of range (" + std::to_string(number.min) + " to " +
                 std::to_string(number.max) + ")"};
  }
  set_number(out, arg, *n);
  return std::nullopt;
}

// What a flag with a value needs ("a name"), or nullptr for other flags.
const char* value_needed(const std::string& arg, const NumberFlag* number) {
  if (number) return "a non-negative number";
  if (arg == "--variant" || arg == "--strategy") return "a name";
  if (arg == "--replay") return "a schedule";
  if (arg == "--replay-from" || arg == "--traces") return "a file";
  return nullptr;
}

// A flag with its value.
std::optional<Error> set_valued(Options& out, const std::string& arg, const std::string& value,
                                const NumberFlag* number) {
  if (number) return set_number_flag(out, arg, value, *number);
  if (arg == "--variant") {
    out.variant = value;
  } else if (arg == "--strategy") {
    return set_strategy(out, value);
  } else if (arg == "--replay") {
    out.replay_text = value;
  } else if (arg == "--traces") {
    out.traces_file = value;
  } else {  // --replay-from
    out.replay_file = value;
  }
  return std::nullopt;
}

const NumberFlag* number_flag(const std::string& arg) {
  for (const NumberFlag& f : kNumberFlags) {
    if (arg == f.name) return &f;
  }
  return nullptr;
}

}  // namespace

std::variant<Options, Error> parse_arguments(const std::vector<std::string>& args) {
  Options out;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    const NumberFlag* number = number_flag(arg);
    if (arg.size() > 2 && arg.compare(0, 2, "-j") == 0) {  // -jN
      auto n = parse_number(std::string_view(arg).substr(2), 1, kMaxWorkers);
      if (!n)
        return Error{"-j needs a number of workers from 1 to " + std::to_string(kMaxWorkers) + ", not " + quoted(arg)};
      out.workers = static_cast<unsigned>(*n);
    } else if (const char* what = value_needed(arg, number)) {
      if (i + 1 >= args.size()) return Error{arg + " needs " + what};
      if (auto e = set_valued(out, arg, args[++i], number)) return *e;
    } else if (set_switch(out, arg)) {
      continue;
    } else if (!arg.empty() && arg[0] == '-') {
      return Error{"unknown option " + quoted(arg)};
    } else if (out.scenario.empty()) {
      out.scenario = arg;
    } else {
      return Error{"unexpected argument " + quoted(arg)};
    }
  }
  if (auto e = check_combination(out)) return *e;
  return out;
}

std::optional<std::vector<Choice>> parse_schedule(std::string_view text, std::string* why) {
  auto fail = [&](std::string message) -> std::optional<std::vector<Choice>> {
    if (why) *why = std::move(message);
    return std::nullopt;
  };
  std::vector<Choice> out;
  if (text.empty()) return out;  // replays the default policy from the start
  std::size_t at = 0;
  while (at <= text.size()) {
    std::size_t dot = text.find('.', at);
    std::string_view item = text.substr(at, dot == std::string_view::npos ? std::string_view::npos : dot - at);
    if (out.size() == kMaxSteps) {
      return fail("schedule has more than " + std::to_string(kMaxSteps) + " choices");
    }
    Choice c;
    if (item == "w" || item == "n") {
      out.push_back(Choice{item == "w" ? Choice::Kind::wait : Choice::Kind::no_fault, Pid{}});
      if (dot == std::string_view::npos) break;
      at = dot + 1;
      continue;
    }
    if (!item.empty() && item[0] == 'k') {
      c.kind = Choice::Kind::kill;
      item.remove_prefix(1);
    }
    auto id = parse_number(item, 1, UINT64_MAX);
    if (!id) return fail("malformed schedule " + quoted(text));
    c.pid = Pid{*id};
    out.push_back(c);
    if (dot == std::string_view::npos) break;
    at = dot + 1;
  }
  return out;
}

std::optional<std::string> find_schedule_line(std::string_view contents) {
  constexpr std::string_view kPrefix = "schedule: ";
  std::size_t at = 0;
  while (at < contents.size()) {
    std::size_t end = contents.find('\n', at);
    std::string_view line = contents.substr(at, end == std::string_view::npos ? std::string_view::npos : end - at);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.substr(0, kPrefix.size()) == kPrefix) return std::string(line.substr(kPrefix.size()));
    if (end == std::string_view::npos) break;
    at = end + 1;
  }
  return std::nullopt;
}

std::variant<std::string, Error> read_bounded(const std::string& path, std::size_t limit) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!file) return Error{"--replay-from: cannot open '" + path + "': " + std::strerror(errno)};
  std::string out;
  char buffer[1 << 16];
  for (;;) {
    std::size_t n = std::fread(buffer, 1, sizeof buffer, file.get());
    if (n == 0) break;
    if (out.size() + n > limit) {
      return Error{"--replay-from: '" + path + "' is larger than " + std::to_string(limit >> 20) +
                   " MiB; give the output of peer-explore (its 'schedule:' line)"};
    }
    out.append(buffer, n);
  }
  if (std::ferror(file.get())) return Error{"--replay-from: cannot read '" + path + "': " + std::strerror(errno)};
  return out;
}

}  // namespace peer::explore::cli
