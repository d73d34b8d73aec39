// Peers named by value: parameters, members, locals, literals and copies;
// calls keyed by such a value; callers; watch-then-recheck; callbacks that
// run later; wrappers by parameter; make_unique; tests of pids and replies.
// RUN: %check_peer_tidy --checks='-*,peer-*' %s %t

#include <peer/annotations.h>

namespace std {
template <class T> struct unique_ptr {
  explicit unique_ptr(T *p) : p(p) {}
  T *p;
};
template <class T, class... A> unique_ptr<T> make_unique(A &&...a) {
  return unique_ptr<T>(new T(static_cast<A &&>(a)...));
}
} // namespace std

namespace bus {
struct Name {
  Name(const char *s);
  Name(const Name &);
  bool isEmpty() const;
};
struct Reply {
  bool isValid() const;
  operator bool() const;
};
PEER_LOOKUP Reply isRegistered(const Name &n);
PEER_CALL(0) int call(const Name &n, int method);
PEER_EDGE_MONITOR(0) void watch(const Name &n);
PEER_MONITOR(0) void track(const Name &n);
struct Message {
  PEER_CALLER Name sender() const;
};
struct Watcher {
  PEER_EDGE_MONITOR(0) Watcher(const Name &n, int mode);
};
void connect(int signal, void (*)(int));
template <class F> void onReply(int call, F callback) {}
void parse(Message *m);
} // namespace bus

using namespace bus;

// A parameter: the state query, then the edge watch.
bool byParameter(const Name &service) {
  if (!isRegistered(service))
    return false;
  watch(service);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'service' is watched by an edge monitor only after it was looked up or called; changes before the watch starts are never reported: start watching first, or re-check its state after the watch starts [peer-monitor-after-call]
  // CHECK-MESSAGES: :[[@LINE-4]]:8: note: looked up here, before the watch starts
  return true;
}

// Watch first, then query: correct.
bool watchFirst(const Name &service) {
  watch(service);
  return bool(isRegistered(service));
}

// A call keyed by a value, then a state-reporting monitor.
void callByValue(const Name &service) {
  call(service, 1);
  track(service);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'service' is monitored only after it was called; if it dies or is replaced in between, that goes unnoticed: monitor it before the first call [peer-monitor-after-call]
  // CHECK-MESSAGES: :[[@LINE-3]]:3: note: called here, before it is monitored
}

// Equal literals name the same peer; a member too.
struct Holder {
  Name m_name;
  void literal() {
    call("org.example.A", 1);
    track(Name("org.example.A"));
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'Name("org.example.A")' is monitored only after it was called{{.*}}
    // CHECK-MESSAGES: :[[@LINE-3]]:5: note: called here, before it is monitored
  }
  void distinctLiterals() {
    call("org.example.A", 1);
    track("org.example.B");
  }
  void member() {
    call(m_name, 2);
    track(m_name);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'm_name' is monitored only after it was called{{.*}}
    // CHECK-MESSAGES: :[[@LINE-3]]:5: note: called here, before it is monitored
  }
};

// A copy carries the identity; a write ends it.
void copies(const Name &service, Name other) {
  const Name copy = service;
  call(copy, 1);
  track(service);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'service' is monitored only after it was called{{.*}}
  // CHECK-MESSAGES: :[[@LINE-3]]:3: note: called here, before it is monitored
  Name changing = service;
  call(changing, 1);
  changing = other;
  track(changing);
}

// The caller of the request being handled: an edge watch of it is late
// unless its state is re-checked after the watch.
void callerLate(const Message &m) {
  const Name who = m.sender();
  watch(who);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'who' is watched by an edge monitor only after it was looked up or called{{.*}}
  // CHECK-MESSAGES: :[[@LINE-3]]:20: note: its request arrived here, before the watch starts
}
void callerRechecked(const Message &m) {
  const Name who = m.sender();
  watch(who);
  if (!isRegistered(who))
    return;
}
void callerRecheckDiscarded(const Message &m) {
  const Name who = m.sender();
  watch(who);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'who' is watched by an edge monitor only after it was looked up or called{{.*}}
  // CHECK-MESSAGES: :[[@LINE-3]]:20: note: its request arrived here, before the watch starts
  isRegistered(who); // the answer is dropped: no re-check
}
// A caller is never empty and never stale: no unchecked or repeated lookup.
void callerUsed(const Message &m) {
  call(m.sender(), 1);
  call(m.sender(), 2);
}

// A pointer passed by value does not change the variable.
void pointerByValue(Message *m) {
  const Name who = m->sender();
  parse(m);
  watch(who);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'who' is watched by an edge monitor only after it was looked up or called{{.*}}
  // CHECK-MESSAGES: :[[@LINE-4]]:20: note: its request arrived here, before the watch starts
}

// A lambda handed to an asynchronous API runs later.
void watchInCallback(const Name &service) {
  bool up = isRegistered(service);
  onReply(1, [&service] {
    watch(service);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'service' is watched by an edge monitor only after it was looked up or called{{.*}}
    // CHECK-MESSAGES: :[[@LINE-4]]:13: note: looked up here, before the watch starts
  });
  (void)up;
}
void callbackWatchesFirst(const Name &service) {
  onReply(1, [&service] {
    watch(service);
    if (!isRegistered(service))
      return;
  });
}

// A helper that watches its parameter is an edge monitor of its argument.
void watchHelper(const Name &n) { watch(n); }
void viaHelper(const Message &m) {
  watchHelper(m.sender());
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'm.sender()' is watched by an edge monitor only after it was looked up or called{{.*}}
  // CHECK-MESSAGES: :[[@LINE-2]]:15: note: its request arrived here, before the watch starts
}
// A helper that returns a state query's answer as bool is a lookup.
bool isUp(const Name &n) { return isRegistered(n); }
void viaBoolHelper() {
  isUp("org.example.C");
  watch("org.example.C");
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: '"org.example.C"' is watched by an edge monitor only after it was looked up or called{{.*}}
  // CHECK-MESSAGES: :[[@LINE-3]]:3: note: looked up here, before the watch starts
}

// Constructors reached through new and std::make_unique.
void viaNew(const Name &service) {
  isRegistered(service);
  Watcher *w = new Watcher(service, 0);
  // CHECK-MESSAGES: :[[@LINE-1]]:20: warning: 'service' is watched by an edge monitor only after it was looked up or called{{.*}}
  // CHECK-MESSAGES: :[[@LINE-3]]:3: note: looked up here, before the watch starts
  (void)w;
}
void viaMakeUnique(const Name &service) {
  isRegistered(service);
  auto u = std::make_unique<Watcher>(service, 0);
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: 'service' is watched by an edge monitor only after it was looked up or called{{.*}}
  // CHECK-MESSAGES: :[[@LINE-3]]:3: note: looked up here, before the watch starts
}

// Tests the analysis understands: isValid(), pids against 0 and -1, an
// assignment in a loop condition.
typedef int pid_t;
PEER_LOOKUP pid_t findPid(const char *name);
PEER_CALL(0) int signalPid(pid_t pid, int sig);
void replyTested(const Name &n) {
  Reply r = isRegistered(n);
  if (!r.isValid())
    return;
}
void pidTests(const char *name) {
  pid_t p = findPid(name);
  if (p <= 0)
    return;
  signalPid(p, 0);
  pid_t q = findPid("other");
  if (q == -1)
    return;
  signalPid(q, 0);
  pid_t u = findPid("third");
  signalPid(u, 0);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'u' comes from a lookup that may find nothing, and is not checked for that on every path to this call [peer-unchecked-lookup]
  // CHECK-MESSAGES: :[[@LINE-3]]:13: note: looked up here
}
void loopCondition(const char *name) {
  pid_t p;
  while (!(p = findPid(name))) {
  }
  signalPid(p, 0);
}

// A callback with its own race is reported once, with the enclosing
// function's events too.
void callbackRace(const Name &service) {
  call(service, 1);
  onReply(1, [&service] {
    call(service, 2);
    track(service);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'service' is monitored only after it was called{{.*}}
    // CHECK-MESSAGES: :[[@LINE-5]]:3: note: called here, before it is monitored
    // CHECK-MESSAGES: :[[@LINE-4]]:5: note: called here, before it is monitored
  });
}
