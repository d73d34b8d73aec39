#include "bus.h"
void log(const char *);
void watchAndLog(const std::string &service) {
  watchService(service);
  log("watching");
}
