// What docs/configuring.md says of option entries, checked here so that the
// page and the code cannot drift apart again.
//
// "How names match": a member of a class template is named without the
// template arguments, so one entry covers every specialization
// ('lib::Handle::ask' matches lib::Handle<int>::ask and
// lib::Handle<long>::ask); an entry that spells the arguments out matches
// nothing.
// RUN: %peer-tidy --checks='-*,peer-monitor-after-call' --config="{CheckOptions: {PeerLookupFunctions: 'lib::find', PeerCallFunctions: 'lib::Handle::ask', PeerMonitorFunctions: 'lib::watch'}}" %s -- -std=c++20 2>/dev/null | FileCheck %s --check-prefix=BOTH
// RUN: %peer-tidy --checks='-*,peer-monitor-after-call' --config="{CheckOptions: {PeerLookupFunctions: 'lib::find', PeerCallFunctions: '::lib::Handle::ask', PeerMonitorFunctions: 'lib::watch'}}" %s -- -std=c++20 2>/dev/null | FileCheck %s --check-prefix=BOTH
// RUN: %peer-tidy --checks='-*,peer-monitor-after-call' --config="{CheckOptions: {PeerLookupFunctions: 'lib::find', PeerCallFunctions: 'lib::Handle<int>::ask', PeerMonitorFunctions: 'lib::watch'}}" %s -- -std=c++20 2>/dev/null | count 0
// BOTH: configuring-docs.cpp:[[@LINE+33]]:3: warning: 'h' is monitored only after it was called{{.*}} [peer-monitor-after-call]
// BOTH: configuring-docs.cpp:[[@LINE+40]]:3: warning: 'h' is monitored only after it was called{{.*}} [peer-monitor-after-call]
//
// "Malformed entries": an error, not a warning. peer-tidy exits 2 before
// analysing anything; clang-tidy --load reports a [clang-tidy-config] error,
// keeps the entries before the malformed one and drops the rest of that list.
// RUN: %expect-exit 2 %peer-tidy --checks='-*,peer-monitor-after-call' --config="{CheckOptions: {PeerLookupFunctions: 'lib::find', PeerCallFunctions: 'lib::Handle::ask;bad@x', PeerMonitorFunctions: 'lib::watch'}}" %s -- -std=c++20 > %t.out 2> %t.err
// RUN: count 0 < %t.out
// RUN: FileCheck %s --check-prefix=REFUSED < %t.err
// REFUSED: peer-tidy: error: invalid configuration: invalid value for PeerCallFunctions: malformed entry 'bad@x'
// RUN: %clang-tidy -load=%peer-module --checks='-*,peer-monitor-after-call' --config="{CheckOptions: {PeerLookupFunctions: 'lib::find', PeerCallFunctions: 'lib::Handle::ask;bad@x', PeerMonitorFunctions: 'lib::watch'}}" %s -- -std=c++20 > %t.before 2>&1 || true
// RUN: FileCheck %s --check-prefix=LOADED < %t.before
// RUN: FileCheck %s --check-prefix=BOTH < %t.before
// RUN: %clang-tidy -load=%peer-module --checks='-*,peer-monitor-after-call' --config="{CheckOptions: {PeerLookupFunctions: 'lib::find', PeerCallFunctions: 'bad@x;lib::Handle::ask', PeerMonitorFunctions: 'lib::watch'}}" %s -- -std=c++20 > %t.after 2>&1 || true
// RUN: FileCheck %s --check-prefix=LOADED --implicit-check-not=peer-monitor-after-call < %t.after
// LOADED: error: invalid value for PeerCallFunctions: malformed entry 'bad@x'{{.*}} [clang-tidy-config]

namespace lib {
template <typename T> struct Handle {
  int ask(int question);
  explicit operator bool() const;
};
Handle<int> find(int key);
Handle<long> find(long key);
void watch(Handle<int> target);
void watch(Handle<long> target);
} // namespace lib

void talk_int() {
  lib::Handle<int> h = lib::find(1);
  if (!h)
    return;
  h.ask(2);
  lib::watch(h);
}

void talk_long() {
  lib::Handle<long> h = lib::find(1L);
  if (!h)
    return;
  h.ask(2);
  lib::watch(h);
}
