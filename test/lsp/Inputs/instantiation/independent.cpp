#include <sysdispatch.h>
#include "job.h"
// A template that the system header's template instantiates, but whose roles
// do not depend on the instantiation: the checks analyse it as written, so
// the fast preamble does (without sys_run<Job>).
template <class T> void sys_run(T) {
  Ref worker = find(1);
  if (!worker)
    return;
  worker.ask(4);
  watch(worker);
}
void start(Job job) { sys_dispatch(job); }
