// An API with no annotations, configured through .clang-tidy options (the
// '@N' suffix names the peer's argument), with one check overriding them.
// RUN: %check_peer_tidy --checks='-*,peer-*' --config="{CheckOptions: {PeerLookupFunctions: '::hive::find', PeerCallFunctions: 'hive::Ref::ask;hive::tell@1', PeerMonitorFunctions: 'hive::watch@0', peer-unchecked-lookup.PeerLookupFunctions: ''}}" %s %t

namespace hive {
struct Ref {
  int ask(int question);
  explicit operator bool() const;
};
Ref find(const char *name);
void tell(int priority, Ref to);
void watch(Ref target);
namespace detail {
Ref find(const char *name); // not '::hive::find': the leading '::' anchors
} // namespace detail
} // namespace hive

void configured(const char *name) {
  hive::Ref worker = hive::find(name);
  hive::tell(1, worker);
  worker.ask(2);
  hive::watch(worker);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'worker' is monitored only after it was called; {{.*}} [peer-monitor-after-call]
  // CHECK-MESSAGES: :[[@LINE-4]]:3: note: called here, before it is monitored
  // CHECK-MESSAGES: :[[@LINE-4]]:3: note: called here, before it is monitored
  // peer-unchecked-lookup has no lookups configured: it stays silent here.
}

void anchored(const char *name) {
  // hive::detail::find is no lookup: asking twice is no repeated lookup.
  hive::Ref first = hive::detail::find(name);
  first.ask(1);
  hive::Ref again = hive::detail::find(name);
  again.ask(2);
}

void template_args_and_keys(const char *name) {
  hive::Ref first = hive::find(name);
  if (first)
    first.ask(1);
  hive::Ref again = hive::find(name);
  // CHECK-MESSAGES: :[[@LINE-1]]:21: warning: 'hive::find(name)' is looked up again {{.*}} [peer-repeated-lookup]
  // CHECK-MESSAGES: :[[@LINE-5]]:21: note: earlier lookup of 'hive::find(name)' here
  if (again)
    hive::watch(again);
  // The key was called (through 'first') before this monitor: the same peer.
  // CHECK-MESSAGES: :[[@LINE-2]]:5: warning: 'again' is monitored only after it was called; {{.*}} [peer-monitor-after-call]
  // CHECK-MESSAGES: :[[@LINE-8]]:5: note: called here, before it is monitored
}
