#include "sub/../race.h"
void second(Runtime &rt) { start_in_header(rt, 2); }
