// RACY: a libdbus filter function hands the sender of every call to a helper
// that adds a NameOwnerChanged match rule for it (g_strdup_printf of
// "arg0='%s'", dbus_bus_add_match), which hears only later owner changes,
// after the request arrived and with no re-check: a client gone before the
// rule is never seen to go.
// Stands for: GNOME/gvfs cc34b3774e (before the GDBus port 8315eaf84e)
// monitor/proxy/gvfsproxyvolumemonitordaemon.c filter_function, through
// ensure_name_owner_changed_for_unique_name.
// What the analysis did (/work/wt/bin-round6, this session's round-six
// binary): nothing for `gvfs_shape`. The helper is summarised as an edge
// monitor of its parameter when the rule's variable is declared where the
// rule is made (`plain`, the same function otherwise, reported at its call
// in `filter_plain`); declared at the top, before the early `goto out` (or
// an early `return`) and given the g_strdup_printf'd rule after it, as
// gvfs has it, the helper is not summarised, whatever follows
// dbus_bus_add_match. The same shape with a literal rule was not tried.
// Run: peer-tidy --checks='-*,peer-*' --config="{CheckOptions: {PeerProfiles:
//   libdbus}}" helper_rule_declared_before_early_exit.c -- -std=gnu99
//   $(pkg-config --cflags dbus-1 glib-2.0)
#include <dbus/dbus.h>
#include <glib.h>

static DBusConnection *connection;
static GHashTable *watched;

static void gvfs_shape(const gchar *unique_name) {
  gchar *match_rule;
  DBusError dbus_error;
  if (g_hash_table_lookup(watched, unique_name) != NULL)
    goto out;
  match_rule = g_strdup_printf("type='signal',"
                               "interface='org.freedesktop.DBus',"
                               "member='NameOwnerChanged',"
                               "arg0='%s'",
                               unique_name);
  dbus_error_init(&dbus_error);
  dbus_bus_add_match(connection, match_rule, &dbus_error);
  if (dbus_error_is_set(&dbus_error)) {
    dbus_error_free(&dbus_error);
    g_free(match_rule);
    goto out;
  }
  g_hash_table_insert(watched, g_strdup(unique_name), match_rule);
out:
  ;
}

static void plain(const gchar *unique_name) { /* the rule declared where it is made */
  DBusError dbus_error;
  if (g_hash_table_lookup(watched, unique_name) != NULL)
    goto out;
  gchar *match_rule = g_strdup_printf("type='signal',"
                                      "interface='org.freedesktop.DBus',"
                                      "member='NameOwnerChanged',"
                                      "arg0='%s'",
                                      unique_name);
  dbus_error_init(&dbus_error);
  dbus_bus_add_match(connection, match_rule, &dbus_error);
  if (dbus_error_is_set(&dbus_error)) {
    dbus_error_free(&dbus_error);
    g_free(match_rule);
    goto out;
  }
  g_hash_table_insert(watched, g_strdup(unique_name), match_rule);
out:
  ;
}

DBusHandlerResult filter_gvfs(DBusConnection *c, DBusMessage *message, void *user_data) {
  gvfs_shape(dbus_message_get_sender(message)); // the race: missed
  return DBUS_HANDLER_RESULT_HANDLED;
}

DBusHandlerResult filter_plain(DBusConnection *c, DBusMessage *message, void *user_data) {
  plain(dbus_message_get_sender(message)); // reported
  return DBUS_HANDLER_RESULT_HANDLED;
}
