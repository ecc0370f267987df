// Async fills (native/binding/fill_async.h).
//
// Lifetime rules, each one a crash seen or reasoned about (docs/contributing.md, "Pitfalls"; docs/safety.md §4, §5):
// - A worker thread never writes into an ordinary ArrayBuffer: JS may transfer/detach it (and the
//   new owner may free it) while the fill runs. It writes into `scratch`, owned here, and the main
//   thread copies it into `out` at the end if `out` is still attached with the same length.
// - Completion reaches the main thread through a thread-safe function (napi_tsfn), whose callback
//   runs with env == nullptr when the environment is being torn down: then only memory is freed.
// - A pool thread only ever calls the tsfn (on_done); call_js, on the main thread, releases it.
//   Once call_js ran, the env may go away (a worker that settled its last promise and ended), and
//   with it the tsfn: a release from the pool thread after the call could land on freed memory.
// - An env cleanup hook, registered AFTER the tsfn (hooks run last-in first-out, so it runs before
//   the tsfn's own teardown), cancels the job and waits for running tasks, so no pool thread
//   touches the tsfn or a SharedArrayBuffer after its environment (e.g. a terminated worker) died.
// - The Promise carries cancel() (an AbortSignal's abort, lib/backend/native.ts): it marks the job
//   cancelled, the pool skips the tasks not yet started, and settle() rejects once the running
//   ones finished. cancel() holds only a weak_ptr to the job, set on the main thread after the
//   job started, so it is a no-op before, after completion, and after the state was freed.
#include "fill_async.h"

#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>

#include "errors.h"

namespace nninit {
namespace {

struct AsyncFill {
  napi_deferred deferred = nullptr;
  napi_ref out_ref = nullptr;
  napi_threadsafe_function tsfn = nullptr;
  std::shared_ptr<Job> job;
  void* scratch = nullptr;  // null: writing in place (SharedArrayBuffer or empty)
  size_t bytes = 0;
  size_t length = 0;        // out.length at the start
};

void free_state(AsyncFill* a) {
  std::free(a->scratch);
  delete a;
}

void cleanup_hook(void* arg) {
  AsyncFill* a = static_cast<AsyncFill*>(arg);
  a->job->cancel();
  a->job->wait();  // on_done has queued the completion (the tsfn's teardown frees `a` through call_js)
}

// On the main thread: copy scratch into out if out is still what it was; settle the promise.
void settle(napi_env env, AsyncFill* a) {
  napi_value error = nullptr;
  if (a->job->cancelled()) {
    error = make_error(env, false, "ERR_NNINIT_CANCELLED", "nninit: the async fill was cancelled");
  } else if (a->scratch != nullptr) {
    if (!copy_if_attached(env, a->out_ref, a->length, a->scratch, a->bytes)) {
      error = make_error(env, true, "ERR_INVALID_STATE",
                         "The \"out\" argument was detached, transferred or resized while the async fill ran; "
                         "nothing was written");
    }
  }
  settle_deferred(env, a->deferred, error);
}

void call_js(napi_env env, napi_value, void*, void* data) {
  AsyncFill* a = static_cast<AsyncFill*>(data);
  if (env != nullptr) {
    napi_remove_env_cleanup_hook(env, cleanup_hook, a);
    settle(env, a);
    napi_delete_reference(env, a->out_ref);
    napi_release_threadsafe_function(a->tsfn, napi_tsfn_release);  // its one reference (see on_done)
  }
  free_state(a);  // env == nullptr: the environment is going away; only free memory
}

void* alloc_scratch(size_t bytes) {
  const size_t rounded = (bytes + 63) / 64 * 64;
  return std::aligned_alloc(64, rounded == 0 ? 64 : rounded);
}

}  // namespace

Napi::Value start_async(Napi::Env env, FillSpec spec, const OutArg& out) {
  AsyncFill* a = new AsyncFill();
  a->length = spec.n;
  a->bytes = spec.n * dtype_size(spec.dtype);
  if (!out.shared && spec.n > 0) {
    a->scratch = alloc_scratch(a->bytes);
    if (a->scratch == nullptr) {
      const size_t bytes = a->bytes;
      delete a;
      throw Napi::Error::New(env, "nninit: out of memory for the async fill's buffer (" + std::to_string(bytes) + " bytes)");
    }
    spec.dst = a->scratch;
    if (spec.nt_mode == 0) spec.nt_mode = -1;  // read back soon by the copy: keep it in cache
  }
  napi_value promise = nullptr, name = nullptr;
  napi_status st = napi_create_promise(env, &a->deferred, &promise);
  if (st == napi_ok) st = napi_create_reference(env, out.array, 1, &a->out_ref);
  if (st == napi_ok) st = napi_create_string_utf8(env, "nninit.fillAsync", NAPI_AUTO_LENGTH, &name);
  if (st == napi_ok) st = napi_create_threadsafe_function(env, nullptr, nullptr, name, 0, 1, nullptr, nullptr, nullptr, call_js, &a->tsfn);
  if (st != napi_ok) {
    if (a->out_ref != nullptr) napi_delete_reference(env, a->out_ref);
    free_state(a);
    NAPI_THROW_IF_FAILED(env, st, Napi::Value());
  }
  napi_threadsafe_function tsfn = a->tsfn;
  auto on_done = [a, tsfn] {
    // The pool thread's last touch of the tsfn: call_js releases it on the main thread. Releasing
    // it here raced with call_js (settle -> the worker finishes -> its env frees the tsfn) and
    // crashed the process in a released tsfn's mutex (test/stress.test.ts workers, SIGABRT).
    napi_call_threadsafe_function(tsfn, a, napi_tsfn_nonblocking);
  };
  auto slot = std::make_shared<std::weak_ptr<Job>>();  // cancel()'s view of the job
  try {
    Napi::Object(env, promise).Set("cancel", Napi::Function::New(env, [slot](const Napi::CallbackInfo& info) -> Napi::Value {
      if (std::shared_ptr<Job> job = slot->lock()) job->cancel();
      return info.Env().Undefined();
    }, "cancel"));
    a->job = fill_async(spec, on_done);  // the last thing that may throw: nothing runs before it
  } catch (...) {
    napi_release_threadsafe_function(tsfn, napi_tsfn_abort);  // its teardown frees nothing of ours
    napi_delete_reference(env, a->out_ref);
    free_state(a);
    throw;
  }
  *slot = a->job;
  napi_add_env_cleanup_hook(env, cleanup_hook, a);
  return Napi::Value(env, promise);
}

napi_value make_error(napi_env env, bool range, const char* code, const std::string& msg) {
  napi_value c = nullptr, m = nullptr, err = nullptr;
  napi_create_string_utf8(env, code, NAPI_AUTO_LENGTH, &c);
  napi_create_string_utf8(env, msg.c_str(), msg.size(), &m);
  if (range) napi_create_range_error(env, c, m, &err);
  else napi_create_error(env, c, m, &err);
  return err;
}

bool copy_if_attached(napi_env env, napi_ref ref, size_t length, const void* src, size_t bytes) {
  napi_value arr = nullptr, buffer = nullptr;
  size_t now_length = 0;
  void* data = nullptr;
  bool detached = true;
  if (napi_get_reference_value(env, ref, &arr) != napi_ok || arr == nullptr ||
      napi_get_typedarray_info(env, arr, nullptr, &now_length, &data, &buffer, nullptr) != napi_ok ||
      napi_is_detached_arraybuffer(env, buffer, &detached) != napi_ok || detached || now_length != length ||
      data == nullptr) {
    return false;
  }
  std::memcpy(data, src, bytes);
  return true;
}

void settle_deferred(napi_env env, napi_deferred deferred, napi_value error) {
  if (error != nullptr) {
    napi_reject_deferred(env, deferred, error);
  } else {
    napi_value undefined = nullptr;
    napi_get_undefined(env, &undefined);
    napi_resolve_deferred(env, deferred, undefined);
  }
}

}  // namespace nninit
