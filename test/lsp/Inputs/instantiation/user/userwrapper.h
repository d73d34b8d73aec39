#pragma once
// A user header's function that the checks read the body of (a wrapper of
// a call): a preamble keeps the user headers' bodies.
#include "job.h"
inline int ask_via(Ref target, int question) { return target.ask(question); }
// A header's template whose calls depend on the instantiation: only the
// main file's templates decide how the file is parsed.
template <class Targets> int ask_all(Targets &targets) {
  int Sum = 0;
  for (auto &Target : targets)
    Sum += Target.ask(1);
  return Sum;
}
