#pragma once
// The roles, by name in the test's configuration: find looks a worker up,
// ask calls it, watch monitors it.
struct Ref {
  int ask(int question);
  explicit operator bool() const;
};
Ref find(int key);
void watch(Ref target);
struct Job {
  using Handle = Ref;
  int key;
};
