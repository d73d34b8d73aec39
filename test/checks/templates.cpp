// Templates are analysed once, as written, when their roles do not depend on
// the instantiation; otherwise each instantiation is analysed and a finding
// is reported once at its place in the template.
// RUN: %check_peer_tidy --checks='-*,peer-monitor-after-call' --config="{CheckOptions: {PeerLookupFunctions: 'find', PeerCallFunctions: 'ask', PeerMonitorFunctions: 'watch'}}" %s %t

struct Ref {
  int ask(int question);
  explicit operator bool() const;
};
Ref find(int key);
void watch(Ref target);

template <typename T> void independent(T value) {
  Ref worker = find(1);
  if (!worker)
    return;
  worker.ask(2);
  watch(worker);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'worker' is monitored only after it was called; {{.*}} [peer-monitor-after-call]
  // CHECK-MESSAGES: :[[@LINE-3]]:3: note: called here, before it is monitored
}

template <typename Handle> void dependent(int key) {
  Handle worker = find(key);
  if (!worker)
    return;
  worker.ask(2);
  watch(worker);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'worker' is monitored only after it was called; {{.*}} [peer-monitor-after-call]
  // CHECK-MESSAGES: :[[@LINE-3]]:3: note: called here, before it is monitored
}

void instantiate() {
  independent(1);
  independent(2.0);
  dependent<Ref>(1);
}
