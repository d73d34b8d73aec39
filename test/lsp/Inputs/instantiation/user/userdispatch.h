#pragma once
// The same in a user header (whose bodies a preamble always keeps).
template <class T> void user_dispatch(T task) { user_run(task); }
