// What the runtime suites share: a fixture that runs each test under both
// schedulers, and a process that parks until it is killed.
#ifndef PEER_TEST_RUNTIME_SUPPORT_H
#define PEER_TEST_RUNTIME_SUPPORT_H

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>

#include "peer/runtime/runtime.h"

namespace peer::testing {

// Parameterised by the scheduler: threaded (2 workers) or deterministic.
class BothModes : public ::testing::TestWithParam<Runtime::Mode> {
 protected:
  void SetUp() override {
    rt_ = GetParam() == Runtime::Mode::threaded ? Runtime::threaded(2) : Runtime::deterministic();
  }
  // Runs body as a root process and returns its exit reason.
  ExitReason run(ProcessBody body, std::chrono::seconds timeout) {
    Pid root = rt_->spawn("root", std::move(body));
    auto reason = rt_->wait_exit(root, timeout);
    EXPECT_TRUE(reason.has_value()) << "root did not finish";
    return reason.value_or(ExitReason::error("did not finish"));
  }
  std::unique_ptr<Runtime> rt_;
};

// Names the instantiations "Threaded" and "Deterministic".
inline std::string mode_name(const ::testing::TestParamInfo<Runtime::Mode>& info) {
  return info.param == Runtime::Mode::threaded ? "Threaded" : "Deterministic";
}

// Parks forever (until killed).
inline Task<void> park(Self self) {
  co_await self.receive([](const Envelope&) { return false; });
}
inline ProcessBody parked() {
  return [](Self self) { return park(self); };
}

}  // namespace peer::testing

#endif  // PEER_TEST_RUNTIME_SUPPORT_H
