// peer/runtime/task.h - the coroutine type every process and helper returns.
//
// A Task is lazy: it starts when awaited and resumes its awaiter when done
// (symmetric transfer, so deep call chains do not grow the native stack).
// A process body is a Task<void> driven by the scheduler; helpers such as
// Self::call are Task<T> awaited from inside it. Exceptions travel outward
// through co_await like ordinary exceptions.
#ifndef PEER_RUNTIME_TASK_H
#define PEER_RUNTIME_TASK_H

#include <coroutine>
#include <exception>
#include <optional>
#include <utility>

namespace peer {

namespace detail {

struct TaskPromiseBase {
  std::coroutine_handle<> continuation;
  std::exception_ptr error;

  struct FinalAwaiter {
    bool await_ready() const noexcept { return false; }
    template <class Promise>
    std::coroutine_handle<> await_suspend(std::coroutine_handle<Promise> h) noexcept {
      // Resume whoever awaited us; a top-level task returns to the scheduler.
      if (auto next = h.promise().continuation) return next;
      return std::noop_coroutine();
    }
    void await_resume() const noexcept {}
  };

  std::suspend_always initial_suspend() const noexcept { return {}; }
  FinalAwaiter final_suspend() const noexcept { return {}; }
  void unhandled_exception() noexcept { error = std::current_exception(); }
};

// What a Task<T> returns: the value (or nothing, for void), or the
// exception that ended the coroutine.
template <class T>
struct TaskPromise : TaskPromiseBase {
  std::optional<T> value;
  template <class U>
  void return_value(U&& v) {
    value.emplace(std::forward<U>(v));
  }
  T take() {
    if (error) std::rethrow_exception(error);
    return std::move(*value);
  }
};

template <>
struct TaskPromise<void> : TaskPromiseBase {
  void return_void() noexcept {}
  void take() {
    if (error) std::rethrow_exception(error);
  }
};

}  // namespace detail

// One class for every T; only the promise is specialised (for void).
template <class T = void>
class [[nodiscard]] Task {
 public:
  struct promise_type : detail::TaskPromise<T> {
    Task get_return_object() { return Task(std::coroutine_handle<promise_type>::from_promise(*this)); }
  };

  Task(Task&& other) noexcept : handle_(std::exchange(other.handle_, {})) {}
  Task& operator=(Task&& other) noexcept {
    if (this != &other) {
      if (handle_) handle_.destroy();
      handle_ = std::exchange(other.handle_, {});
    }
    return *this;
  }
  Task(const Task&) = delete;
  Task& operator=(const Task&) = delete;
  ~Task() {
    if (handle_) handle_.destroy();
  }

  bool await_ready() const noexcept { return false; }
  std::coroutine_handle<> await_suspend(std::coroutine_handle<> awaiter) noexcept {
    handle_.promise().continuation = awaiter;
    return handle_;
  }
  T await_resume() { return handle_.promise().take(); }

  std::coroutine_handle<promise_type> handle() const noexcept { return handle_; }

 private:
  explicit Task(std::coroutine_handle<promise_type> h) : handle_(h) {}
  std::coroutine_handle<promise_type> handle_;
};

}  // namespace peer

#endif  // PEER_RUNTIME_TASK_H
