// A Promise that settles on the main thread when a task group on nninit's pool finishes: the N-API
// lifetime code of every async binding that computes on the pool (fill_async.cc,
// orthonormalize.cc), written once. writeBehind (write_behind.cc) runs on libuv's pool through
// Napi::AsyncWorker instead: it touches no JS memory and no pool, so none of this applies.
//
// The rules, each one a crash seen or reasoned about (docs/contributing.md, "Pitfalls";
// docs/safety.md §4, §5):
// - A pool thread never writes into an ordinary ArrayBuffer: JS may transfer/detach it (and the
//   new owner may free it) while the group runs. The group writes memory of its own; settle() copies
//   it into the array on the main thread if the array is still attached and as long.
// - Completion reaches the main thread through a thread-safe function (tsfn), whose callback runs
//   with env == nullptr when the environment is being torn down: then only memory is freed.
// - A pool thread only ever calls the tsfn; the callback, on the main thread, releases it. Once
//   the callback ran, the env may go away (a worker that settled its last promise and ended), and
//   with it the tsfn: a release from the pool thread after the call could land on freed memory
//   (test/stress.test.ts workers, SIGABRT in a released tsfn's mutex).
// - An env cleanup hook, registered AFTER the tsfn (hooks run last-in first-out, so it runs before
//   the tsfn's own teardown), cancels the group and waits for its running tasks, so no pool thread
//   touches the tsfn or a SharedArrayBuffer after its environment (e.g. a terminated worker) died.
// - cancel() on the Promise (an AbortSignal's abort, lib/backend/native.ts) holds only a weak_ptr
//   to the group, set after the group started: a no-op before, after completion, and after the state
//   was freed.
#ifndef NNINIT_BINDING_POOL_PROMISE_H_
#define NNINIT_BINDING_POOL_PROMISE_H_

#include <napi.h>

#include <functional>
#include <memory>
#include <string>

#include "../core/pool.h"

namespace nninit {

// What an async binding keeps while its group runs. Subclasses add their buffers and results.
class PoolTask {
 public:
  virtual ~PoolTask() = default;
  // Main thread, the group finished and the environment is alive: the rejection, or nullptr to
  // resolve. `array` is the argument passed to start_pool_promise (its reference; it may have
  // been detached or resized meanwhile).
  virtual napi_value settle(napi_env env, napi_ref array) = 0;
  // The environment is being torn down while the group may run: called before the group is cancelled
  // and waited for (e.g. to stop a computation that checks a flag of its own).
  virtual void teardown() {}
  // The group, set by start_pool_promise.
  std::shared_ptr<TaskGroup> group;

 private:
  friend napi_value start_pool_promise(napi_env, std::unique_ptr<PoolTask>, napi_value, const char*, bool,
                                       const std::function<std::shared_ptr<TaskGroup>(std::function<void()>)>&);
  friend struct PoolPromiseCallbacks;
  napi_deferred deferred_ = nullptr;
  napi_ref array_ = nullptr;
  napi_threadsafe_function tsfn_ = nullptr;
};

// Starts `task`'s task group and returns its Promise. `launch(on_done)` starts the task group with
// `on_done` as its completion callback and returns it; it may throw, and then everything is
// undone (the task is freed, no Promise exists) and the exception propagates. `array` is kept
// referenced until the Promise settles. With `cancellable`, the Promise gets a cancel() method.
// Main thread only; throws a JS error (Napi) when N-API fails.
napi_value start_pool_promise(napi_env env, std::unique_ptr<PoolTask> task, napi_value array, const char* name,
                              bool cancellable, const std::function<std::shared_ptr<TaskGroup>(std::function<void()>)>& launch);

// Shared by the tasks' settle(); main thread only.
// An Error (RangeError when `range`) with Node's `code`.
napi_value make_error(napi_env env, bool range, const char* code, const std::string& msg);
// Copies `bytes` from `src` into the typed array behind `ref` if it is still attached and still
// `length` elements long; false (nothing written) otherwise.
bool copy_if_attached(napi_env env, napi_ref ref, size_t length, const void* src, size_t bytes);

}  // namespace nninit

#endif  // NNINIT_BINDING_POOL_PROMISE_H_
