//===- SdBus.cpp - the systemd sd-bus profile -------------------*- C++ -*-===//
//
// Roles of sd-bus as declared in Debian 12's libsystemd-dev 252
// (/usr/include/systemd/sd-bus.h). A peer is a D-Bus connection, named by a
// bus name (const char *). docs/profiles/sd-bus.md has the line of every
// entry.
//
//===----------------------------------------------------------------------===//

#include "../Roles.h"

namespace peer::profiles {

static const RoleEntry SdBusEntries[] = {
    // The owner of a name as it is now: its credentials, its machine.
    {Role::Lookup, "::sd_bus_get_name_creds", 1},
    {Role::Lookup, "::sd_bus_get_name_machine_id", 1},
    // The sender of the message being handled.
    {Role::Caller, "::sd_bus_message_get_sender", 0},
    // Calls addressed to a destination name.
    {Role::Call, "::sd_bus_call_method", 1},
    {Role::Call, "::sd_bus_call_method_async", 2},
    {Role::Call, "::sd_bus_message_new_method_call", 2},
    {Role::Call, "::sd_bus_set_property", 1},
    {Role::Call, "::sd_bus_get_property", 1},
    // sd_bus_track_add_name(track, name): a tracked name that is already
    // gone is reported at once; a state-reporting monitor.
    {Role::Monitor, "::sd_bus_track_add_name", 1},
    // sd_bus_add_match*(bus, slot, rule, ...) with a rule on the bus's
    // NameOwnerChanged for arg0 = a name: only later owner changes of it.
    {Role::EdgeMonitor, "::sd_bus_add_match@2:rule"},
    {Role::EdgeMonitor, "::sd_bus_add_match_async@2:rule"},
    // Not sd_bus_match_signal*(bus, slot, sender, ...): it subscribes to
    // the sender's signals, which says nothing of the sender's death, and it
    // has no arg0 filter to watch one name's NameOwnerChanged.
};

const llvm::ArrayRef<RoleEntry> SdBus = SdBusEntries;

} // namespace peer::profiles
