#include "bus.h"
void callThenWatch(const std::string &service) {
  bus::call(service, 1);
  watchService(service);
}
void queryThenWatch(const std::string &service) {
  if (!serviceIsUp(service))
    return;
  watchAndLog(service);
}
void watchThenCall(const std::string &service) {
  watchService(service);
  bus::call(service, 1);
}
