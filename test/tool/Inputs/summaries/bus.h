// The project's D-Bus-like API, configured in the test's .clang-tidy options.
#pragma once
#include <string>
namespace bus {
void call(const std::string &service, int request);
void watch(const std::string &service); // an edge monitor
bool isUp(const std::string &service);   // a state query
} // namespace bus

// Helpers, each defined in its own .cpp.
void watchService(const std::string &service);     // watch.cpp
void watchAndLog(const std::string &service);      // chain.cpp, via watchService
bool serviceIsUp(const std::string &service);      // watch.cpp
