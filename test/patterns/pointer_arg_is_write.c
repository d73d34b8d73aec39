// The message pointer is passed by value to a helper between getting the
// sender and watching it: that does not change which sender it is.
// RUN: %check_peer_tidy --checks='-*,peer-*' --config="{CheckOptions: {PeerProfiles: libdbus, PeerEdgeMonitorFunctions: 'g_dbus_add_disconnect_watch@1'}}" %s %t -- -std=gnu11
typedef struct DBusMessage DBusMessage;
typedef struct DBusConnection DBusConnection;
typedef void (*watch_fn)(DBusConnection *, void *);
const char *dbus_message_get_sender(DBusMessage *msg);
unsigned g_dbus_add_disconnect_watch(DBusConnection *c, const char *name, watch_fn f, void *data, void *destroy);
int parse_filter(DBusMessage *msg);
void gone(DBusConnection *c, void *d);
unsigned direct(DBusConnection *c, DBusMessage *msg) {
  const char *sender = dbus_message_get_sender(msg);
  return g_dbus_add_disconnect_watch(c, sender, gone, 0, 0);
  // CHECK-MESSAGES: :[[@LINE-1]]:10: warning: 'sender' is watched by an edge monitor only after it was looked up or called{{.*}} [peer-monitor-after-call]
  // CHECK-MESSAGES: :[[@LINE-3]]:24: note: its request arrived here, before the watch starts
}
unsigned withHelper(DBusConnection *c, DBusMessage *msg) {
  const char *sender = dbus_message_get_sender(msg);
  parse_filter(msg);
  return g_dbus_add_disconnect_watch(c, sender, gone, 0, 0);
  // CHECK-MESSAGES: :[[@LINE-1]]:10: warning: 'sender' is watched by an edge monitor only after it was looked up or called{{.*}} [peer-monitor-after-call]
  // CHECK-MESSAGES: :[[@LINE-4]]:24: note: its request arrived here, before the watch starts
}
