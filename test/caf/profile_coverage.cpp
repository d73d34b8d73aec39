// One call of every function the 'caf' profile names
// (checks/analysis/profiles/Caf.cpp), each in a function of its own named
// after the entry, against Debian's libcaf-dev 0.17.6. It only has to parse:
//   clang++-19 -std=c++17 -fsyntax-only test/caf/profile_coverage.cpp
// and serves to confirm that each profile name matches the callee clang
// resolves (mixin members are instantiated as, e.g.,
// caf::mixin::requester<caf::local_actor, caf::blocking_actor>::request).
// Not a lit test (test/lit.cfg.py excludes test/caf).
#include "caf/all.hpp"
#include "caf/io/all.hpp"

#include <chrono>
#include <string>

using namespace caf;

using adder = typed_actor<replies_to<int, int>::with<int>>;

// --- Lookups ---------------------------------------------------------------
actor lookup_registry_get(actor_system& sys) {
  strong_actor_ptr byname = sys.registry().get(atom("worker"));
  actor byid = sys.registry().get<actor>(actor_id{42});
  return byname ? actor_cast<actor>(byname) : byid;
}

strong_actor_ptr lookup_remote_lookup(actor_system& sys, const node_id& nid) {
  return sys.middleman().remote_lookup(atom("worker"), nid);
}

expected<actor> lookup_middleman_remote_actor(actor_system& sys) {
  return sys.middleman().remote_actor("localhost", 4242);
}

expected<actor> lookup_io_remote_actor(actor_system& sys) {
  return io::remote_actor(sys, "localhost", 4242);
}

// --- Calls -------------------------------------------------------------------
void call_sender_members(event_based_actor* self, const actor& peer) {
  self->send(peer, atom("a"));
  self->send<message_priority::high>(peer, atom("a"));
  self->anon_send(peer, atom("a"));
  self->delayed_send(peer, std::chrono::seconds(1), atom("a"));
  self->scheduled_send(peer, self->clock().now(), atom("a"));
  self->delayed_anon_send(peer, std::chrono::seconds(1), atom("a"));
  self->scheduled_anon_send(peer, self->clock().now(), atom("a"));
}

void call_request_event_based(event_based_actor* self, const adder& peer) {
  self->request(peer, infinite, 1, 2).then([](int) {});
}

void call_request_blocking(actor_system& sys, const adder& peer) {
  scoped_actor self{sys};
  self->request(peer, std::chrono::seconds(1), 1, 2)
    .receive([](int) {}, [](error&) {});
  self->send(peer, 1, 2);
}

result<int> call_delegate(event_based_actor* self, const adder& peer) {
  return self->delegate(peer, 1, 2);
}

void call_send_exit(event_based_actor* self, const actor& peer) {
  self->send_exit(peer, exit_reason::user_shutdown);
}

void call_promise_delegate(event_based_actor* self, const actor& peer) {
  response_promise rp = self->make_response_promise();
  rp.delegate(peer, atom("a"));
  typed_response_promise<int> trp = self->make_response_promise<int>();
  trp.delegate(peer, atom("a"));
}

void call_free_functions(const actor& src, const actor& peer) {
  anon_send(peer, atom("a"));
  delayed_anon_send(peer, std::chrono::seconds(1), atom("a"));
  anon_send_exit(peer, exit_reason::user_shutdown);
  send_as(src, peer, atom("a"));
}

void call_unsafe_send_as(event_based_actor* self, const actor& peer) {
  unsafe_send_as(self, peer, atom("a"));
}

expected<int> call_function_view(const adder& peer) {
  auto f = make_function_view(peer);
  return f(1, 2);
}

void call_enqueue(const actor& peer, const strong_actor_ptr& ptr) {
  peer->enqueue(nullptr, make_message_id(), make_message(atom("a")), nullptr);
  peer->eq_impl(make_message_id(), nullptr, nullptr, atom("a"));
  ptr->enqueue(nullptr, make_message_id(), make_message(atom("a")), nullptr);
  abstract_channel* chan = actor_cast<abstract_actor*>(peer);
  chan->enqueue(nullptr, make_message_id(), make_message(atom("a")), nullptr);
}

// --- Monitors ------------------------------------------------------------------
void monitor_monitor(event_based_actor* self, const actor& peer) {
  self->monitor(peer);
}

void monitor_link_to(event_based_actor* self, const actor& peer) {
  self->link_to(peer);
}

void monitor_attach(const actor& peer) {
  peer->attach_functor([](const error&) {});
  peer->attach(attachable_ptr{});
}

void monitor_attach_self(event_based_actor* self) {
  self->attach_functor([] {});
  self->attach(attachable_ptr{});
}

void monitor_wait_for(actor_system& sys, const actor& peer) {
  scoped_actor self{sys};
  self->wait_for(peer);
}
