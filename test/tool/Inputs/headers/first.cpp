#include "race.h"
void first(Runtime &rt) { start_in_header(rt, 1); }
