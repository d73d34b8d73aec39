// Every entry of the sd-bus profile, racy and correct, against libsystemd's
// real sd-bus.h.
// REQUIRES: sd-bus
// RUN: %check_peer_tidy --checks='-*,peer-*' --config="{CheckOptions: {PeerProfiles: sd-bus}}" %s %t -- -std=gnu11 %sd-bus-flags
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <systemd/sd-bus.h>

#define OWNER_RULE "type='signal',sender='org.freedesktop.DBus',interface='org.freedesktop.DBus',member='NameOwnerChanged',arg0="
static int onOwner(sd_bus_message *m, void *userdata, sd_bus_error *e) { return 0; }

// --- calls by name, then a state-reporting track ---------------------------
void callThenTrack(sd_bus *bus, sd_bus_track *track, const char *name) {
  sd_bus_call_method(bus, name, "/", "org.example.I", "Hold", NULL, NULL, "");
  sd_bus_track_add_name(track, name);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'name' is monitored only after it was called{{.*}} [peer-monitor-after-call]
  // CHECK-MESSAGES: :[[@LINE-3]]:3: note: called here, before it is monitored
}
void trackThenCall(sd_bus *bus, sd_bus_track *track, const char *name) {
  sd_bus_track_add_name(track, name);
  sd_bus_call_method(bus, name, "/", "org.example.I", "Hold", NULL, NULL, "");
}
void asyncCallsThenTrack(sd_bus *bus, sd_bus_track *track, const char *name) {
  sd_bus_message *m = NULL;
  sd_bus_call_method_async(bus, NULL, name, "/", "org.example.I", "Hold", NULL, NULL, "");
  sd_bus_message_new_method_call(bus, &m, name, "/", "org.example.I", "Hold");
  sd_bus_set_property(bus, name, "/", "org.example.I", "Level", NULL, "u", 3);
  sd_bus_get_property(bus, name, "/", "org.example.I", "Level", NULL, &m, "u");
  sd_bus_track_add_name(track, name);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'name' is monitored only after it was called{{.*}} [peer-monitor-after-call]
  // CHECK-MESSAGES: :[[@LINE-6]]:3: note: called here, before it is monitored
  // CHECK-MESSAGES: :[[@LINE-6]]:3: note: called here, before it is monitored
  // CHECK-MESSAGES: :[[@LINE-6]]:3: note: called here, before it is monitored
  // CHECK-MESSAGES: :[[@LINE-6]]:3: note: called here, before it is monitored
}
// A state query before a state-reporting monitor is no window.
void credsThenTrack(sd_bus *bus, sd_bus_track *track, const char *name) {
  sd_bus_creds *creds = NULL;
  if (sd_bus_get_name_creds(bus, name, SD_BUS_CREDS_PID, &creds) < 0)
    return;
  sd_bus_track_add_name(track, name);
}

// --- state queries and the caller, then a NameOwnerChanged match -----------
void machineThenMatch(sd_bus *bus, const char *name) {
  sd_id128_t machine;
  char *rule = NULL;
  if (sd_bus_get_name_machine_id(bus, name, &machine) < 0)
    return;
  if (asprintf(&rule, OWNER_RULE "'%s'", name) < 0)
    return;
  sd_bus_add_match(bus, NULL, rule, onOwner, NULL);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'name' is watched by an edge monitor only after it was looked up or called{{.*}} [peer-monitor-after-call]
  // CHECK-MESSAGES: :[[@LINE-6]]:7: note: looked up here, before the watch starts
  free(rule);
}
void matchThenCreds(sd_bus *bus, const char *name) {
  sd_bus_creds *creds = NULL;
  char *rule = NULL;
  if (asprintf(&rule, OWNER_RULE "'%s'", name) < 0)
    return;
  sd_bus_add_match_async(bus, NULL, rule, onOwner, NULL, NULL);
  free(rule);
  if (sd_bus_get_name_creds(bus, name, SD_BUS_CREDS_PID, &creds) < 0)
    return;
}
static int handler(sd_bus_message *m, void *userdata, sd_bus_error *e) {
  sd_bus *bus = sd_bus_message_get_bus(m);
  const char *sender = sd_bus_message_get_sender(m);
  char *rule = NULL;
  if (asprintf(&rule, OWNER_RULE "'%s'", sender) < 0)
    return -1;
  sd_bus_add_match(bus, NULL, rule, onOwner, NULL);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'sender' is watched by an edge monitor only after it was looked up or called{{.*}} [peer-monitor-after-call]
  // CHECK-MESSAGES: :[[@LINE-6]]:24: note: its request arrived here, before the watch starts
  free(rule);
  return 0;
}
static int handlerTracked(sd_bus_message *m, void *userdata, sd_bus_error *e) {
  sd_bus_track *track = userdata;
  return sd_bus_track_add_name(track, sd_bus_message_get_sender(m));
}
