#pragma once
// A system header's template that calls back into the user's code by
// argument-dependent lookup: its instantiation instantiates the user's
// template, and nothing else does.
template <class T> void sys_dispatch(T task) { sys_run(task); }
