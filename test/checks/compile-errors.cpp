// A function where a compile error may hide a peer operation is not
// analysed: clang keeps what it could not make sense of as RecoveryExprs, so
// a re-check or a watch that did not compile would be missing from the body
// the analysis sees, and the function would be reported for what it lacks (a
// header not generated yet, an edit in progress in the editor). An error
// that can hide no operation (an undeclared variable, an argument of a
// function without a role) leaves the function analysed. peer-tidy --verbose
// (PeerReportSkippedFunctions) reports each skip with a remark. The unit
// still fails (exit 3) for its errors.
// RUN: %expect-exit 3 %peer-tidy --checks='-*,peer-*' %s -- -I%S/Inputs -I%peer-include > %t.out 2>&1
// RUN: FileCheck %s --input-file=%t.out --implicit-check-not='warning:' --implicit-check-not='remark:'
// RUN: %expect-exit 3 %peer-tidy --checks='-*,peer-*' --verbose %s -- -I%S/Inputs -I%peer-include > %t.verbose 2>&1
// RUN: FileCheck %s --check-prefixes=CHECK,VERBOSE --input-file=%t.verbose --implicit-check-not='warning:' --implicit-check-not='remark:'
// The same through clang-tidy --load.
// RUN: not %clang-tidy -load=%peer-module --checks='-*,peer-*' --config="{CheckOptions: {PeerReportSkippedFunctions: true}}" %s -- -I%S/Inputs -I%peer-include > %t.load 2>&1
// RUN: FileCheck %s --check-prefixes=CHECK,VERBOSE --input-file=%t.load --implicit-check-not='warning:' --implicit-check-not='remark:'

#include "runtime_api.h"

struct Incomplete;
Incomplete &registry();

// The re-check after the watch does not compile (a member of an incomplete
// type): without it the function would look racy.
// VERBOSE: compile-errors.cpp:[[@LINE+1]]:6: remark: 'watch_then_recheck' was not analysed: a compile error in it may hide a peer operation; no peer-* finding is reported in it
void watch_then_recheck(Runtime &rt, const char *name) {
  rt.find(name);
  rt.watch_name(name);
  if (!registry().is_registered(name))
    log(0);
}

// An operation whose call did not compile (an undeclared argument).
// VERBOSE: compile-errors.cpp:[[@LINE+1]]:6: remark: 'watch_undeclared' was not analysed: a compile error in it may hide a peer operation; no peer-* finding is reported in it
void watch_undeclared(Runtime &rt, Key key) {
  auto consumer = rt.whereis(key);
  if (!consumer)
    return;
  rt.call(*consumer, 1);
  rt.monitor(*consumer, undeclared_flag);
}

// An error that can hide no operation: the function is analysed.
void error_elsewhere(Runtime &rt, Key key) {
  auto consumer = rt.whereis(key);
  if (!consumer)
    return;
  rt.call(*consumer, 1);
  rt.monitor(*consumer);
  // CHECK: compile-errors.cpp:[[@LINE-1]]:3: warning: 'consumer' is monitored only after it was called
  log(undeclared_value);
  int unused = undeclared_variable;
}

// A callback that does not compile is not followed (nor analysed on its own);
// the function that hands it over is still analysed.
void callback_with_error(Runtime &rt, Key key) {
  auto consumer = rt.whereis(key);
  if (!consumer)
    return;
  rt.call(*consumer, 1);
  rt.monitor(*consumer);
  // CHECK: compile-errors.cpp:[[@LINE-1]]:3: warning: 'consumer' is monitored only after it was called
  // VERBOSE: compile-errors.cpp:[[@LINE+1]]:16: remark: 'operator()' was not analysed: a compile error in it may hide a peer operation; no peer-* finding is reported in it
  auto later = [&] {
    rt.call(*consumer, 2);
    registry().forget(*consumer);
  };
  later();
}

// The rest of the unit is analysed as usual.
void racy(Runtime &rt, Key key) {
  auto consumer = rt.whereis(key);
  if (!consumer)
    return;
  rt.call(*consumer, 1);
  rt.monitor(*consumer);
  // CHECK: compile-errors.cpp:[[@LINE-1]]:3: warning: 'consumer' is monitored only after it was called
}
