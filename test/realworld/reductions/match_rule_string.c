// Reduction of BlueZ 5.66 gdbus/watch.c g_dbus_add_disconnect_watch (what
// src/adapter.c start_discovery, set_discovery_filter, src/profile.c
// register_profile, src/agent.c and obexd register_agent call; corpus:
// bluez-5.66-*) and of the same idiom in sd-bus (sd_bus_add_match).
// RACY (both): the caller is watched with a NameOwnerChanged match rule naming
// it in arg0 - an edge watch - only after its request arrived, no re-check.
// What the analysis did (PeerProfiles: libdbus,sd-bus): nothing - the name is
// inside the rule string; neither profile parses rules (docs/profiles/
// libdbus.md, sd-bus.md: "left out"). With the profile alone the five BlueZ
// functions are missed for this reason; naming the project's helper
// (PeerEdgeMonitorFunctions: 'g_dbus_add_disconnect_watch@1') recovers those
// whose caller is initialised, not assigned (see caller_assigned_later.c).
// Run: peer-tidy --checks='-*,peer-*' --config="{CheckOptions: {PeerProfiles:
//   'libdbus,sd-bus'}}" match_rule_string.c -- $(pkg-config --cflags dbus-1)
#include <dbus/dbus.h>
#include <stdio.h>
#include <systemd/sd-bus.h>

#define NAME_OWNER_CHANGED_RULE                                                         \
  "type='signal',sender='org.freedesktop.DBus',interface='org.freedesktop.DBus',"      \
  "member='NameOwnerChanged',arg0='%s'"

void libdbus_watch(DBusConnection *conn, DBusMessage *msg) {
  const char *sender = dbus_message_get_sender(msg);
  char rule[512];
  snprintf(rule, sizeof rule, NAME_OWNER_CHANGED_RULE, sender);
  dbus_bus_add_match(conn, rule, NULL); // missed
}

static int changed(sd_bus_message *m, void *userdata, sd_bus_error *e) { return 0; }

int sdbus_watch(sd_bus *bus, sd_bus_message *m) {
  const char *sender = sd_bus_message_get_sender(m);
  char rule[512];
  snprintf(rule, sizeof rule, NAME_OWNER_CHANGED_RULE, sender);
  return sd_bus_add_match(bus, NULL, rule, changed, NULL); // missed
}
