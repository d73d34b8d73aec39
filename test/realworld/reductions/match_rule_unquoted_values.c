// RACY (a latent cause: the corpus's code of this shape is correct): a
// method handler watches its sender, after the request, through a
// NameOwnerChanged match rule whose values are not quoted
// ("interface=%s,member=NameOwnerChanged,arg0=%s", which dbus-daemon
// accepts), with no re-check: a client gone before the match is never
// reported.
// Stands for: GNOME/at-spi2-core 2.46.0 registryd/deviceeventcontroller.c
// spi_dbus_add_disconnect_match, called for the caller of
// impl_register_keystroke_listener and impl_register_device_event_listener.
// Those are correct (the registry matched every NameOwnerChanged at
// startup), and silent; but their silence is not the analysis knowing that.
// What the analysis did (main 9b8e201, the bin-snapshot): nothing. The
// libdbus profile reads a NameOwnerChanged rule with quoted values
// (member='NameOwnerChanged',arg0='%s'); with unquoted ones the rule is no
// watch. `quoted`, the same with quotes, is reported. (In at-spi2-core the
// caller also reaches the helper through a listener record made by another
// helper, spi_dec_key_listener_new, which is not followed either.)
// Run: peer-tidy --checks='-*,peer-*' --config="{CheckOptions: {PeerProfiles:
//   libdbus}}" match_rule_unquoted_values.c -- $(pkg-config --cflags dbus-1)
#include <dbus/dbus.h>
#include <stdio.h>

static void add_disconnect_match(DBusConnection *bus, const char *name) {
  char match[256];
  snprintf(match, sizeof match,
           "interface=%s,member=NameOwnerChanged,arg0=%s",
           DBUS_INTERFACE_DBUS, name);
  dbus_bus_add_match(bus, match, NULL);
}

static void add_disconnect_match_quoted(DBusConnection *bus, const char *name) {
  char match[256];
  snprintf(match, sizeof match,
           "interface='%s',member='NameOwnerChanged',arg0='%s'",
           DBUS_INTERFACE_DBUS, name);
  dbus_bus_add_match(bus, match, NULL);
}

DBusMessage *unquoted(DBusConnection *bus, DBusMessage *message) {
  add_disconnect_match(bus, dbus_message_get_sender(message)); // the race
  return dbus_message_new_method_return(message);
}

DBusMessage *quoted(DBusConnection *bus, DBusMessage *message) {
  add_disconnect_match_quoted(bus, dbus_message_get_sender(message));
  return dbus_message_new_method_return(message);
}
