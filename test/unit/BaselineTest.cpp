//===- BaselineTest.cpp - what a fingerprint reads of a line --------------===//

#include "Baseline.h"

#include "gtest/gtest.h"

using namespace peer::tool;

namespace {

TEST(Fingerprints, WhitespaceIsNormalised) {
  EXPECT_EQ(normaliseWhitespace("  rt.call( p ,\t1 );  "), "rt.call( p , 1 );");
  EXPECT_EQ(normaliseWhitespace("a\n\n  b"), "a b");
  EXPECT_EQ(normaliseWhitespace(" \t\n"), "");
  // Indentation alone (a block moved into an if) changes nothing.
  EXPECT_EQ(normaliseWhitespace("    monitor(p);"),
            normaliseWhitespace("monitor(p);"));
}

} // namespace
