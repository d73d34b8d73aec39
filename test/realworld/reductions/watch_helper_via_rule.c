// Reduction of BlueZ 5.66 src/adapter.c start_discovery, set_discovery_filter,
// src/profile.c register_profile, src/agent.c and obexd/src/manager.c
// register_agent with PeerProfiles: libdbus alone (corpus: bluez-5.66-*).
// RACY (both functions): the caller is watched by a NameOwnerChanged match
// (an edge watch: later disconnects only) after its request arrived, and
// nothing re-checks it.
// What the analysis did (main 7792cb9, PeerProfiles: libdbus):
//   other_tu(): nothing - BlueZ's g_dbus_add_disconnect_watch is defined in
//     gdbus/watch.c, another translation unit, where it builds the rule
//     several calls deep; the profile has no entry for it. A project names it
//     (PeerEdgeMonitorFunctions: 'g_dbus_add_disconnect_watch@1'); BlueZ's
//     gdbus helper library is copied into BlueZ, obexd, ConnMan, oFono and
//     neard, so a profile entry (an edge monitor for
//     g_dbus_add_disconnect_watch@1) would serve them all.
//   same_tu(): nothing either - the helper watches its parameter through a
//     match rule written by snprintf (which 708454e parses when the call is
//     in the function itself), but a helper that does so is not inferred to
//     watch its parameter.
// Run: peer-tidy --checks='-*,peer-*' --config="{CheckOptions: {PeerProfiles:
//   libdbus}}" watch_helper_via_rule.c -- $(pkg-config --cflags dbus-1)
#include <dbus/dbus.h>
#include <stdio.h>

typedef void (*GDBusWatchFunction)(DBusConnection *connection, void *user_data);
unsigned g_dbus_add_disconnect_watch(DBusConnection *connection, const char *name,
                                     GDBusWatchFunction function, void *user_data,
                                     void (*destroy)(void *)); // BlueZ gdbus/gdbus.h
static void gone(DBusConnection *c, void *d) { (void)c; (void)d; }

static void local_disconnect_watch(DBusConnection *conn, const char *name) {
  char rule[256];
  snprintf(rule, sizeof rule,
           "type='signal',sender='org.freedesktop.DBus',interface='org.freedesktop.DBus',"
           "member='NameOwnerChanged',arg0='%s'", name);
  dbus_bus_add_match(conn, rule, NULL);
}

unsigned other_tu(DBusConnection *conn, DBusMessage *msg) {
  const char *sender = dbus_message_get_sender(msg);
  return g_dbus_add_disconnect_watch(conn, sender, gone, NULL, NULL); // missed
}

void same_tu(DBusConnection *conn, DBusMessage *msg) {
  const char *sender = dbus_message_get_sender(msg);
  local_disconnect_watch(conn, sender); // missed
}
