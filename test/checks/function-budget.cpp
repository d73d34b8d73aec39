// A function whose fixpoint needs more block visits than its budget
// (PeerMaxBlockVisits) is skipped: no finding is reported in it, never one
// from a state short of the fixpoint. peer-tidy --verbose (the option
// PeerReportSkippedFunctions) says so with a remark; without it the skip is
// silent. Smaller functions of the same unit are still analysed.
// RUN: %peer-tidy --checks='-*,peer-*' --config="{CheckOptions: {PeerMaxBlockVisits: 12}}" --verbose %s -- -I%S/Inputs -I%peer-include > %t.verbose 2>&1
// RUN: FileCheck %s --check-prefixes=CHECK,VERBOSE --input-file=%t.verbose --implicit-check-not='warning:' --implicit-check-not='remark:'
// RUN: %peer-tidy --checks='-*,peer-*' --config="{CheckOptions: {PeerMaxBlockVisits: 12}}" %s -- -I%S/Inputs -I%peer-include > %t.quiet 2>&1
// RUN: FileCheck %s --input-file=%t.quiet --implicit-check-not='warning:' --implicit-check-not='remark:'
// The same through clang-tidy --load, with the option set in the configuration.
// RUN: %clang-tidy -load=%peer-module --checks='-*,peer-*' --config="{CheckOptions: {PeerMaxBlockVisits: 12, PeerReportSkippedFunctions: true}}" %s -- -I%S/Inputs -I%peer-include > %t.load 2>&1
// RUN: FileCheck %s --check-prefixes=CHECK,VERBOSE --input-file=%t.load --implicit-check-not='warning:' --implicit-check-not='remark:'
// A value that is not a boolean is a configuration error.
// RUN: %expect-exit 2 %peer-tidy --checks='-*,peer-*' --config="{CheckOptions: {PeerReportSkippedFunctions: maybe}}" %s -- -I%S/Inputs -I%peer-include 2>&1 | FileCheck %s --check-prefix=NOT-BOOL
// NOT-BOOL: invalid value for PeerReportSkippedFunctions: 'maybe' is not a boolean
// The default budget analyses both.
// RUN: %peer-tidy --checks='-*,peer-*' --verbose %s -- -I%S/Inputs -I%peer-include > %t.default 2>&1
// RUN: FileCheck %s --check-prefixes=CHECK,DEFAULT --input-file=%t.default --implicit-check-not='warning:' --implicit-check-not='remark:'

#include "runtime_api.h"

void small(Runtime &rt, Key key) {
  auto consumer = rt.whereis(key);
  if (!consumer)
    return;
  rt.call(*consumer, 1);
  rt.monitor(*consumer);
  // CHECK: function-budget.cpp:[[@LINE-1]]:3: warning: 'consumer' is monitored only after it was called
}

// VERBOSE: function-budget.cpp:[[@LINE+1]]:6: remark: 'branchy' was not analysed: it needs more than 12 block visits ({{[0-9]+}} CFG blocks); no peer-* finding is reported in it; raise PeerMaxBlockVisits to analyse it
void branchy(Runtime &rt, Key key, int n) {
  auto consumer = rt.whereis(key);
  if (!consumer)
    return;
  for (int i = 0; i < n; ++i) {
    if (i % 2)
      rt.call(*consumer, i);
    else if (i % 3)
      rt.call(*consumer, -i);
  }
  rt.monitor(*consumer);
  // DEFAULT: function-budget.cpp:[[@LINE-1]]:3: warning: 'consumer' is monitored only after it was called
}
