#include <sysdispatch.h>
#include "job.h"
// The roles depend on the instantiation (worker's type is T's): each
// instantiation is analysed. Only the system header's template instantiates
// this one, by argument-dependent lookup: over a preamble without the system
// headers' bodies, sys_run<Job> would not exist.
template <class T> void sys_run(T job) {
  typename T::Handle worker = find(job.key);
  if (!worker)
    return;
  worker.ask(2);
  watch(worker);
}
void start(Job job) { sys_dispatch(job); }
