//===- EventSetTest.cpp - per-key event sets of the flow analysis --------===//

#include "analysis/Lattice.h"

#include "gtest/gtest.h"

#include <vector>

using namespace peer;

namespace {

/// An event as the sets order them: by key, then position.
struct Event {
  unsigned Key;
  unsigned Pos;
  bool operator<(const Event &O) const {
    return Key != O.Key ? Key < O.Key : Pos < O.Pos;
  }
  bool operator==(const Event &O) const { return Key == O.Key && Pos == O.Pos; }
};

using Events = EventSet<Event, 3>;

std::vector<Event> contents(const Events &S) {
  return std::vector<Event>(S.begin(), S.end());
}

TEST(EventSets, KeepEachKeysEarliestWhateverTheInsertionOrder) {
  Events S;
  for (unsigned Pos : {50u, 10u, 40u, 20u, 30u})
    S.insert({7, Pos});
  S.insert({2, 99});
  S.insert({9, 1});
  EXPECT_EQ(contents(S),
            (std::vector<Event>{{2, 99}, {7, 10}, {7, 20}, {7, 30}, {9, 1}}));
  // Full: a later event is dropped, an earlier one takes the latest's place.
  S.insert({7, 35});
  S.insert({7, 5});
  EXPECT_EQ(contents(S),
            (std::vector<Event>{{2, 99}, {7, 5}, {7, 10}, {7, 20}, {9, 1}}));
  S.insert({7, 10});
  EXPECT_EQ(S.size(), 5u);
}

TEST(EventSets, MergeIsAUnionTrimmedPerKey) {
  Events A, B;
  for (unsigned Pos : {10u, 30u, 50u})
    A.insert({1, Pos});
  for (unsigned Pos : {20u, 40u})
    B.insert({1, Pos});
  B.insert({4, 8});
  A.merge(B);
  EXPECT_EQ(contents(A),
            (std::vector<Event>{{1, 10}, {1, 20}, {1, 30}, {4, 8}}));
  Events Before = A;
  A.merge(A);
  A.merge(Events());
  EXPECT_TRUE(A == Before);
}

TEST(EventSets, EraseIfForgetsAKey) {
  Events S;
  S.insert({1, 1});
  S.insert({2, 2});
  S.insert({1, 3});
  S.eraseIf([](const Event &E) { return E.Key == 1; });
  EXPECT_EQ(contents(S), (std::vector<Event>{{2, 2}}));
}

} // namespace
