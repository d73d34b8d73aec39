//===- RolesTest.cpp - role lists as .clang-tidy options spell them -------===//

#include "analysis/Roles.h"

#include "gtest/gtest.h"

using namespace peer;

namespace {

std::vector<RoleEntry> parse(llvm::StringRef Text, Role Kind,
                             std::string *Error = nullptr) {
  std::vector<RoleEntry> Entries;
  std::string Message;
  bool Parsed =
      parseRoleList(Text, Kind, "PeerTestFunctions", Entries, Message);
  if (Error)
    *Error = Message;
  EXPECT_EQ(Parsed, Message.empty()) << Text.str();
  return Entries;
}

TEST(RoleLists, IndexesAndForms) {
  std::vector<RoleEntry> E =
      parse(" ::hive::send@1 ; watch ; ask@ ; add_match@1:rule ", Role::Call);
  ASSERT_EQ(E.size(), 4u);
  EXPECT_EQ(E[0].Name, "::hive::send");
  EXPECT_EQ(E[0].PeerIndex, 1);
  EXPECT_EQ(E[1].PeerIndex, DefaultPeerIndex);
  EXPECT_EQ(E[2].PeerIndex, DefaultPeerIndex);
  EXPECT_TRUE(E[3].InMatchRule);
  EXPECT_EQ(E[3].PeerIndex, 1);
  for (const RoleEntry &Entry : E)
    EXPECT_EQ(Entry.Option, "PeerTestFunctions");
}

TEST(RoleLists, SignaturesAndConditions) {
  std::vector<RoleEntry> E =
      parse("ns::f(const QString &, int)@0;"
            "g@1?arg4!=null;h@5?arg3=='NameOwnerChanged'",
            Role::EdgeMonitor);
  ASSERT_EQ(E.size(), 3u);
  EXPECT_TRUE(E[0].HasSignature);
  EXPECT_EQ(E[0].ParamTypes, (std::vector<std::string>{"QString", "int"}));
  EXPECT_EQ(E[1].When.Arg, 4);
  EXPECT_EQ(E[1].When.Kind, ArgCondition::NonNull);
  EXPECT_EQ(E[2].When.Kind, ArgCondition::Equals);
  EXPECT_EQ(E[2].When.Text, "NameOwnerChanged");
}

TEST(RoleLists, TypeConditions) {
  std::vector<RoleEntry> E =
      parse("read_num@1:out?arg1:pid_t;g?arg0:pid_t&&arg1==-1", Role::Scan);
  ASSERT_EQ(E.size(), 2u);
  EXPECT_TRUE(E[0].ResultInArg);
  EXPECT_EQ(E[0].When.Arg, 1);
  EXPECT_EQ(E[0].When.Kind, ArgCondition::OfType);
  EXPECT_EQ(E[0].When.Text, "pid_t");
  EXPECT_EQ(E[0].When.str(), "arg1:pid_t");
  ASSERT_TRUE(E[1].When.And);
  EXPECT_EQ(E[1].When.And->Kind, ArgCondition::IntEquals);
  for (const char *Bad : {"f?arg1:", "f?arg1:pid t", "f?arg1:1pid"}) {
    std::string Error;
    parse(Bad, Role::Scan, &Error);
    EXPECT_NE(Error.find("malformed entry"), std::string::npos) << Bad;
  }
}

TEST(RoleLists, OutArgumentsOnlyOnLookups) {
  std::vector<RoleEntry> E = parse("procfs_dirent_get_pid@1:out", Role::Lookup);
  ASSERT_EQ(E.size(), 1u);
  EXPECT_TRUE(E[0].ResultInArg);
  EXPECT_EQ(E[0].PeerIndex, 1);
  std::string Error;
  parse("send@1:out", Role::Call, &Error);
  EXPECT_NE(Error.find("only a lookup"), std::string::npos) << Error;
}

TEST(RoleLists, MalformedEntriesAreErrors) {
  for (const char *Bad : {"name@x", "@1", "f@:rule", "f@:out", "f(int@0"}) {
    std::string Error;
    parse(Bad, Role::Lookup, &Error);
    EXPECT_NE(Error.find("malformed entry"), std::string::npos) << Bad;
  }
  std::string Error;
  parse("f(int)@3", Role::Call, &Error);
  EXPECT_NE(Error.find("names parameter 3"), std::string::npos) << Error;
}

TEST(RoleLists, ProfilesParse) {
  // Every built-in profile's entries parse (entriesOf asserts it) and name
  // something.
  for (const Profile &P : builtinProfiles()) {
    std::vector<RoleEntry> Entries = entriesOf(P);
    EXPECT_FALSE(Entries.empty()) << P.Name.str();
    for (const RoleEntry &E : Entries)
      EXPECT_FALSE(E.Name.empty() && !E.HasSignature) << P.Name.str();
  }
}

} // namespace
