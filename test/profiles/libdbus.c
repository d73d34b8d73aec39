// Every entry of the libdbus profile, racy and correct, against libdbus-1's
// real headers: state queries, the caller, calls by name, and a match rule on
// NameOwnerChanged (an edge monitor of its arg0), literal or printf-built.
// REQUIRES: libdbus
// RUN: %check_peer_tidy --checks='-*,peer-*' --config="{CheckOptions: {PeerProfiles: libdbus}}" %s %t -- -std=gnu11 %libdbus-flags
#define _GNU_SOURCE
#include <dbus/dbus.h>
#include <stdio.h>
#include <stdlib.h>

#define OWNER_RULE "type='signal',sender='org.freedesktop.DBus',interface='org.freedesktop.DBus',member='NameOwnerChanged',arg0="

// --- state queries: dbus_bus_name_has_owner, dbus_bus_get_unix_user ------
void hasOwnerThenWatch(DBusConnection *c) {
  if (!dbus_bus_name_has_owner(c, "org.example.S", NULL))
    return;
  dbus_bus_add_match(c, OWNER_RULE "'org.example.S'", NULL);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: '"org.example.S"' is watched by an edge monitor only after it was looked up or called{{.*}} [peer-monitor-after-call]
  // CHECK-MESSAGES: :[[@LINE-4]]:8: note: looked up here, before the watch starts
}
void watchThenHasOwner(DBusConnection *c) {
  dbus_bus_add_match(c, OWNER_RULE "'org.example.S'", NULL);
  if (!dbus_bus_name_has_owner(c, "org.example.S", NULL))
    return;
}
void userThenWatch(DBusConnection *c, const char *name) {
  char rule[512];
  unsigned long uid = dbus_bus_get_unix_user(c, name, NULL);
  if (uid == (unsigned long)-1)
    return;
  snprintf(rule, sizeof rule, OWNER_RULE "'%s'", name);
  dbus_bus_add_match(c, rule, NULL);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'name' is watched by an edge monitor only after it was looked up or called{{.*}} [peer-monitor-after-call]
  // CHECK-MESSAGES: :[[@LINE-6]]:23: note: looked up here, before the watch starts
}
// Another name's rule says nothing about this one.
void userThenWatchOther(DBusConnection *c, const char *name, const char *other) {
  char *rule = NULL;
  if (dbus_bus_get_unix_user(c, name, NULL) == (unsigned long)-1)
    return;
  if (asprintf(&rule, OWNER_RULE "'%s'", other) < 0)
    return;
  dbus_bus_add_match(c, rule, NULL);
  free(rule);
}

// --- the caller, then a watch of it ----------------------------------------
void handle(DBusConnection *c, DBusMessage *request) {
  const char *sender = dbus_message_get_sender(request);
  char *rule = NULL;
  if (asprintf(&rule, OWNER_RULE "'%s'", sender) < 0)
    return;
  dbus_bus_add_match(c, rule, NULL);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'sender' is watched by an edge monitor only after it was looked up or called{{.*}} [peer-monitor-after-call]
  // CHECK-MESSAGES: :[[@LINE-6]]:24: note: its request arrived here, before the watch starts
  free(rule);
}
void handleChecked(DBusConnection *c, DBusMessage *request) {
  const char *sender = dbus_message_get_sender(request);
  char *rule = NULL;
  if (asprintf(&rule, OWNER_RULE "'%s'", sender) < 0)
    return;
  dbus_bus_add_match(c, rule, NULL);
  free(rule);
  if (!dbus_bus_name_has_owner(c, sender, NULL))
    return;
}

// A rule built by a function that returns it, assigned to a variable
// declared earlier (gvfs 1.50's ensure_name_owner_changed_for_unique_name,
// with g_strdup_printf), in a helper that watches its parameter.
char *rule_printf(const char *format, ...);
static void watchName(DBusConnection *c, const char *name) {
  char *rule;
  if (!name)
    return;
  rule = rule_printf(OWNER_RULE "'%s'", name);
  dbus_bus_add_match(c, rule, NULL);
  free(rule);
}
void handleThroughHelper(DBusConnection *c, DBusMessage *request) {
  watchName(c, dbus_message_get_sender(request));
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'dbus_message_get_sender(request)' is watched by an edge monitor only after it was looked up or called{{.*}} [peer-monitor-after-call]
  // CHECK-MESSAGES: :[[@LINE-2]]:16: note: its request arrived here, before the watch starts
}
// The rule last assigned before the watch is the one watched.
void lastRuleCounts(DBusConnection *c, DBusMessage *request, const char *other) {
  const char *sender = dbus_message_get_sender(request);
  char *rule;
  rule = rule_printf(OWNER_RULE "'%s'", sender);
  free(rule);
  rule = rule_printf(OWNER_RULE "'%s'", other);
  dbus_bus_add_match(c, rule, NULL);
  free(rule);
}

// --- calls by name: new_method_call, set_destination, start_service_by_name
void callThenWatch(DBusConnection *c) {
  DBusMessage *m = dbus_message_new_method_call("org.example.S", "/", "org.example.I", "Hold");
  dbus_connection_send(c, m, NULL);
  dbus_bus_add_match(c, OWNER_RULE "'org.example.S'", NULL);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: '"org.example.S"' is watched by an edge monitor only after it was looked up or called{{.*}} [peer-monitor-after-call]
  // CHECK-MESSAGES: :[[@LINE-4]]:20: note: called here, before it is monitored
  dbus_message_unref(m);
}
void watchThenCall(DBusConnection *c) {
  dbus_bus_add_match(c, OWNER_RULE "'org.example.S'", NULL);
  DBusMessage *m = dbus_message_new_method_call("org.example.S", "/", "org.example.I", "Hold");
  dbus_connection_send(c, m, NULL);
  dbus_message_unref(m);
}
void redirectThenWatch(DBusConnection *c, DBusMessage *m, const char *name) {
  char *rule = NULL;
  dbus_message_set_destination(m, name);
  dbus_connection_send(c, m, NULL);
  if (asprintf(&rule, OWNER_RULE "'%s'", name) < 0)
    return;
  dbus_bus_add_match(c, rule, NULL);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'name' is watched by an edge monitor only after it was looked up or called{{.*}} [peer-monitor-after-call]
  // CHECK-MESSAGES: :[[@LINE-6]]:3: note: called here, before it is monitored
  free(rule);
}
void startThenWatch(DBusConnection *c, const char *name) {
  dbus_bus_start_service_by_name(c, name, 0, NULL, NULL);
  char *rule = NULL;
  if (asprintf(&rule, OWNER_RULE "'%s'", name) < 0)
    return;
  dbus_bus_add_match(c, rule, NULL);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'name' is watched by an edge monitor only after it was looked up or called{{.*}} [peer-monitor-after-call]
  // CHECK-MESSAGES: :[[@LINE-6]]:3: note: called here, before it is monitored
  free(rule);
}
// A rule that is not on NameOwnerChanged watches no one's death.
void startThenSubscribe(DBusConnection *c, const char *name) {
  dbus_bus_start_service_by_name(c, name, 0, NULL, NULL);
  dbus_bus_add_match(c, "type='signal',interface='org.example.I',member='Changed'", NULL);
}

// --- BlueZ's gdbus helpers (declared as in BlueZ 5.66 gdbus/gdbus.h) -------
typedef void (*GDBusWatchFunction)(DBusConnection *connection, void *user_data);
typedef void (*GDBusDestroyFunction)(void *user_data);
unsigned g_dbus_add_disconnect_watch(DBusConnection *connection, const char *name,
                                     GDBusWatchFunction function, void *user_data,
                                     GDBusDestroyFunction destroy);
unsigned g_dbus_add_service_watch(DBusConnection *connection, const char *name,
                                  GDBusWatchFunction connect, GDBusWatchFunction disconnect,
                                  void *user_data, GDBusDestroyFunction destroy);
static void onConnect(DBusConnection *c, void *d) {}
static void onDisconnect(DBusConnection *c, void *d) {}

unsigned registerAgent(DBusConnection *c, DBusMessage *request) {
  const char *sender = dbus_message_get_sender(request);
  return g_dbus_add_disconnect_watch(c, sender, onDisconnect, NULL, NULL);
  // CHECK-MESSAGES: :[[@LINE-1]]:10: warning: 'sender' is watched by an edge monitor only after it was looked up or called{{.*}} [peer-monitor-after-call]
  // CHECK-MESSAGES: :[[@LINE-3]]:24: note: its request arrived here, before the watch starts
}
// With a connect callback the service watch reports the current owner first.
unsigned callThenServiceWatch(DBusConnection *c, const char *name) {
  dbus_bus_start_service_by_name(c, name, 0, NULL, NULL);
  return g_dbus_add_service_watch(c, name, onConnect, onDisconnect, NULL, NULL);
  // CHECK-MESSAGES: :[[@LINE-1]]:10: warning: 'name' is monitored only after it was called{{.*}} [peer-monitor-after-call]
  // CHECK-MESSAGES: :[[@LINE-3]]:3: note: called here, before it is monitored
}
unsigned startThenEdgeServiceWatch(DBusConnection *c, const char *name) {
  dbus_bus_start_service_by_name(c, name, 0, NULL, NULL);
  return g_dbus_add_service_watch(c, name, NULL, onDisconnect, NULL, NULL);
  // CHECK-MESSAGES: :[[@LINE-1]]:10: warning: 'name' is watched by an edge monitor only after it was looked up or called{{.*}} [peer-monitor-after-call]
  // CHECK-MESSAGES: :[[@LINE-3]]:3: note: called here, before it is monitored
}
unsigned handleWithServiceWatch(DBusConnection *c, DBusMessage *request) {
  const char *sender = dbus_message_get_sender(request);
  return g_dbus_add_service_watch(c, sender, onConnect, onDisconnect, NULL, NULL);
}
