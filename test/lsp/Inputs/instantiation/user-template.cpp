#include "job.h"
#include "userdispatch.h"
// As in system.cpp, through a user header's template.
template <class T> void user_run(T job) {
  if (typename T::Handle worker = find(job.key)) {
    worker.ask(3);
    watch(worker);
  }
}
void start(Job job) { user_dispatch(job); }
