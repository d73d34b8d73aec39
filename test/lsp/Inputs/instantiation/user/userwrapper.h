#pragma once
// A user header's function that the checks read the body of (a wrapper of
// a call): a preamble keeps the user headers' bodies.
#include "job.h"
inline int ask_via(Ref target, int question) { return target.ask(question); }
