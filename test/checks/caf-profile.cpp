// The CAF profile, against CAF 0.17's real headers (Debian's libcaf-dev).
// REQUIRES: caf
// RUN: %check_peer_tidy --checks='-*,peer-*' --config="{CheckOptions: {PeerProfiles: caf}}" %s %t -- -std=c++17

#include "caf/all.hpp"

using namespace caf;

// Seed order: look the worker up, talk to it, and only then monitor it.
void seed_order(event_based_actor *self) {
  strong_actor_ptr worker = self->system().registry().get(atom("worker"));
  self->send(actor_cast<actor>(worker), atom("ping"));
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'worker' comes from a lookup that may find nothing, and is not checked for that on every path to this call [peer-unchecked-lookup]
  // CHECK-MESSAGES: :[[@LINE-3]]:29: note: looked up here
  self->monitor(worker);
  // Two findings at one place: clang-tidy releases differ in their order.
  // CHECK-MESSAGES-DAG: :[[@LINE-2]]:3: warning: 'worker' is monitored only after it was called; {{.*}} [peer-monitor-after-call]
  // CHECK-MESSAGES-DAG: :[[@LINE-6]]:3: note: called here, before it is monitored
  // CHECK-MESSAGES-DAG: :[[@LINE-4]]:3: warning: 'worker' comes from a lookup {{.*}} this monitor [peer-unchecked-lookup]
  // CHECK-MESSAGES-DAG: :[[@LINE-9]]:29: note: looked up here
}

// Corrected: one lookup, checked, monitored first, then talked to.
void corrected(event_based_actor *self) {
  strong_actor_ptr worker = self->system().registry().get(atom("worker"));
  if (!worker)
    return;
  self->monitor(worker);
  self->send(actor_cast<actor>(worker), atom("ping"));
  self->request(actor_cast<actor>(worker), infinite, atom("get"))
      .then([](int) {});
}

// Two lookups of the same name, each fed an operation.
void repeated(event_based_actor *self) {
  auto first = self->system().registry().get(atom("worker"));
  if (first)
    self->monitor(first);
  auto second = self->system().registry().get(atom("worker"));
  // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: 'self->system().registry().get(atom("worker"))' is looked up again {{.*}} [peer-repeated-lookup]
  // CHECK-MESSAGES: :[[@LINE-5]]:16: note: earlier lookup of 'self->system().registry().get(atom("worker"))' here
  if (second)
    self->send(actor_cast<actor>(second), atom("ping"));
}

// Actors from spawn are owned, not looked up: not tracked (a variable made
// by a call that is no lookup holds what this function created).
behavior owner(event_based_actor *self) {
  auto child = self->spawn([]() -> behavior { return {[](int x) { return x; }}; });
  self->send(child, 1);
  self->monitor(child);
  return {[](int) {}};
}
