//===- Caf.cpp - the C++ Actor Framework profile ----------------*- C++ -*-===//
//
// Roles of CAF 0.17's API, as declared in Debian's libcaf-dev 0.17.6
// (/usr/include/caf). Names are the class or namespace that DECLARES the
// function; mixin members are named after their class template
// (caf::mixin::sender, caf::mixin::requester) without template arguments.
// docs/profiles/caf.md has the header and line of every entry, and what was
// left out and why.
//
//===----------------------------------------------------------------------===//

#include "../Roles.h"

namespace peer::profiles {

static const RoleEntry CafEntries[] = {
    // --- Lookups -----------------------------------------------------------
    // actor_registry.hpp: get(actor_id) and get(atom_value) return the actor
    // registered under the key, or a null strong_actor_ptr when none is.
    {Role::Lookup, "caf::actor_registry::get", DefaultPeerIndex},
    // io/middleman.hpp: the actor registered under a name on a remote node;
    // null when the node is not connected or has nothing under that name.
    {Role::Lookup, "caf::io::middleman::remote_lookup", DefaultPeerIndex},
    // io/middleman.hpp, io/remote_actor.hpp: the actor published at
    // host:port, as expected<Handle> carrying an error when there is none.
    {Role::Lookup, "caf::io::middleman::remote_actor", DefaultPeerIndex},
    {Role::Lookup, "caf::io::remote_actor", DefaultPeerIndex},

    // --- Calls: members of the sender/requester mixins ----------------------
    // mixin/sender.hpp: every send variant takes the destination first (the
    // message_priority P is a template argument, not a parameter).
    {Role::Call, "caf::mixin::sender::send", 0},
    {Role::Call, "caf::mixin::sender::anon_send", 0},
    {Role::Call, "caf::mixin::sender::delayed_send", 0},
    {Role::Call, "caf::mixin::sender::scheduled_send", 0},
    {Role::Call, "caf::mixin::sender::delayed_anon_send", 0},
    {Role::Call, "caf::mixin::sender::scheduled_anon_send", 0},
    // mixin/requester.hpp: request(dest, timeout, xs...) on event-based,
    // blocking and scoped actors alike.
    {Role::Call, "caf::mixin::requester::request", 0},
    // local_actor.hpp: delegate(dest, xs...) and send_exit(dest, reason).
    {Role::Call, "caf::local_actor::delegate", 0},
    {Role::Call, "caf::local_actor::send_exit", 0},
    // response_promise.hpp, typed_response_promise.hpp: delegate(dest, ...).
    {Role::Call, "caf::response_promise::delegate", 0},
    {Role::Call, "caf::typed_response_promise::delegate", 0},

    // --- Calls: free functions (send.hpp) -----------------------------------
    // send_as(src, dest, xs...) and unsafe_send_as(src, dest, xs...) talk to
    // their SECOND parameter; the others to their first.
    {Role::Call, "caf::anon_send", 0},
    {Role::Call, "caf::delayed_anon_send", 0},
    {Role::Call, "caf::anon_send_exit", 0},
    {Role::Call, "caf::send_as", 1},
    {Role::Call, "caf::unsafe_send_as", 1},

    // --- Calls on the handle itself -----------------------------------------
    // function_view.hpp: f(xs...) is a blocking request to the viewed actor.
    {Role::Call, "caf::function_view::operator()", DefaultPeerIndex},
    // abstract_channel.hpp, abstract_actor.hpp, actor_control_block.hpp:
    // hdl->enqueue(...) / hdl->eq_impl(...) put a message into the peer's
    // mailbox directly.
    {Role::Call, "caf::abstract_channel::enqueue", DefaultPeerIndex},
    {Role::Call, "caf::abstract_actor::enqueue", DefaultPeerIndex},
    {Role::Call, "caf::abstract_actor::eq_impl", DefaultPeerIndex},
    {Role::Call, "caf::actor_control_block::enqueue", DefaultPeerIndex},

    // --- Monitors (all state-reporting) -------------------------------------
    // local_actor.hpp: monitor(whom) attaches a monitor to whom; attaching to
    // a terminated actor runs it at once (monitorable_actor::attach), so a
    // down_msg arrives even when the peer was already gone.
    {Role::Monitor, "caf::local_actor::monitor", 0},
    // monitorable_actor.hpp: link_to(x); linking to a terminated actor sends
    // its exit_msg back at once (add_backlink on the dead peer).
    {Role::Monitor, "caf::monitorable_actor::link_to", 0},
    // abstract_actor.hpp, monitorable_actor.hpp: hdl->attach(...) and
    // hdl->attach_functor(f) watch the actor they are called on; "or
    // immediately if it already finished execution".
    {Role::Monitor, "caf::abstract_actor::attach", DefaultPeerIndex},
    {Role::Monitor, "caf::monitorable_actor::attach", DefaultPeerIndex},
    {Role::Monitor, "caf::abstract_actor::attach_functor", DefaultPeerIndex},
    // blocking_actor.hpp: wait_for(xs...) blocks until xs... have
    // terminated, returning at once for one that already has.
    {Role::Monitor, "caf::blocking_actor::wait_for", 0},

    // --- Monitored calls -----------------------------------------------------
    // None: CAF 0.17 has no request that is guaranteed to report the
    // receiver's death (see docs/profiles/caf.md).
};

const llvm::ArrayRef<RoleEntry> Caf = CafEntries;

} // namespace peer::profiles
