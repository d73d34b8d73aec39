// A helper that watches a copy of its parameter (ConnMan 1.15's
// __connman_private_network_request: pn->owner = g_strdup(owner), then
// g_dbus_add_disconnect_watch(connection, pn->owner, ...)) is a wrapper by
// that parameter, as one that watches the parameter itself.
// RUN: %check_peer_tidy --checks='-*,peer-*' --config="{CheckOptions: {PeerCallerFunctions: 'sender_of', PeerEdgeMonitorFunctions: 'watch_name', PeerLookupFunctions: 'has_owner'}}" %s %t -- -std=gnu11
#include <stdlib.h>
#include <string.h>

struct message;
const char *sender_of(struct message *m);
unsigned watch_name(const char *name);
int has_owner(const char *name);

struct client { char *owner; unsigned watch; };

// Copied into a member of a record it makes, then watched.
static struct client *client_new(const char *owner) {
  struct client *c = calloc(1, sizeof *c);
  c->owner = strdup(owner);
  c->watch = watch_name(c->owner);
  return c;
}
// Copied into a local, then watched.
static unsigned watch_copy(const char *owner) {
  const char *name = strdup(owner);
  return watch_name(name);
}
// The copy is replaced before the watch: it watches another name.
static unsigned watch_other(const char *owner, const char *fallback) {
  const char *name = strdup(owner);
  name = fallback;
  return watch_name(name);
}
// The record is replaced before the watch: its member is another's name.
static unsigned watch_replaced(const char *owner, struct client *other) {
  struct client *c = calloc(1, sizeof *c);
  c->owner = strdup(owner);
  c = other;
  return watch_name(c->owner);
}
// Watched, then re-checked through the copy: a state-reporting watch.
static struct client *client_new_checked(const char *owner) {
  struct client *c = calloc(1, sizeof *c);
  c->owner = strdup(owner);
  c->watch = watch_name(c->owner);
  if (!has_owner(c->owner))
    c->watch = 0;
  return c;
}

void handle_member(struct message *m) {
  client_new(sender_of(m));
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'sender_of(m)' is watched by an edge monitor only after it was looked up or called{{.*}} [peer-monitor-after-call]
  // CHECK-MESSAGES: :[[@LINE-2]]:14: note: its request arrived here, before the watch starts
}
void handle_local(struct message *m) {
  const char *sender = sender_of(m);
  watch_copy(sender);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'sender' is watched by an edge monitor only after it was looked up or called{{.*}} [peer-monitor-after-call]
  // CHECK-MESSAGES: :[[@LINE-3]]:24: note: its request arrived here, before the watch starts
}
void handle_other(struct message *m, const char *fallback) {
  watch_other(sender_of(m), fallback);
}
void handle_replaced(struct message *m, struct client *other) {
  watch_replaced(sender_of(m), other);
}
void handle_checked(struct message *m) {
  client_new_checked(sender_of(m));
}
