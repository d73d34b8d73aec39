#include "bus.h"
void watchService(const std::string &service) { bus::watch(service); }
bool serviceIsUp(const std::string &service) { return bus::isUp(service); }
