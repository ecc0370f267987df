// orthonormalize / orthonormalizeAsync (native/binding/orthonormalize.h).
//
// Sync: the checked Float32Array is copied into a float64 workspace, factored, and written back
// only at the very end, so an error (bad argument, std::bad_alloc) leaves it unchanged.
// Async (the lifetime rules of fill_async.cc): `a` is read into the workspace
// on the main thread before the Promise is returned; one pool task computes into a float32
// scratch (running each parallel step with threads + 1 participants so that `threads` are busy
// besides it; results never depend on the count); the main thread copies the scratch into `a` in
// the completion callback if `a` is still attached with the same length, and rejects otherwise.
// An env cleanup hook cancels (the factorization stops between panels) and waits.
#include "orthonormalize.h"

#include <atomic>
#include <cstring>
#include <memory>
#include <new>
#include <string>

#include "../core/pool.h"
#include "../linalg/qr.h"
#include "args.h"
#include "errors.h"
#include "fill_async.h"

namespace nninit {
namespace {

struct AsyncOrtho {
  napi_deferred deferred = nullptr;
  napi_ref a_ref = nullptr;
  napi_threadsafe_function tsfn = nullptr;
  std::shared_ptr<Job> job;
  std::atomic<bool> cancel{false};
  OrthoSpec spec;
  Doubles work;
  std::unique_ptr<float[]> scratch;
  size_t length = 0;  // a.length at the start
  std::string error;  // set by the task when it failed (out of memory)
};

void cleanup_hook(void* arg) {
  AsyncOrtho* a = static_cast<AsyncOrtho*>(arg);
  a->cancel.store(true);
  a->job->cancel();
  a->job->wait();
}

void settle(napi_env env, AsyncOrtho* a) {
  napi_value error = nullptr;
  if (a->job->cancelled() || a->cancel.load()) {
    error = make_error(env, false, "ERR_NNINIT_CANCELLED", "nninit: the async orthonormalize was cancelled");
  } else if (!a->error.empty()) {
    error = make_error(env, false, "ERR_NNINIT_OUT_OF_MEMORY", a->error);
  } else {
    if (!copy_if_attached(env, a->a_ref, a->length, a->scratch.get(), a->spec.m * a->spec.n * sizeof(float))) {
      error = make_error(env, true, "ERR_INVALID_STATE",
                         "The \"a\" argument was detached, transferred or resized while the async orthonormalize ran; "
                         "nothing was written");
    }
  }
  settle_deferred(env, a->deferred, error);
}

void call_js(napi_env env, napi_value, void*, void* data) {
  AsyncOrtho* a = static_cast<AsyncOrtho*>(data);
  if (env != nullptr) {
    napi_remove_env_cleanup_hook(env, cleanup_hook, a);
    settle(env, a);
    napi_delete_reference(env, a->a_ref);
    napi_release_threadsafe_function(a->tsfn, napi_tsfn_release);  // its one reference (see on_done)
  }
  delete a;
}

// On a pool thread.
void compute(AsyncOrtho* a) {
  OrthoSpec s = a->spec;
  if (s.threads > 1) s.threads += 1;  // this thread only coordinates between parallel steps
  try {
    orthonormalize_workspace(s, a->work.data(), a->scratch.get(), &a->cancel);
  } catch (const std::bad_alloc&) {
    a->error = "nninit: out of memory";
  } catch (const std::exception& e) {
    a->error = std::string("nninit: ") + e.what();
  }
  a->work = Doubles();
}

}  // namespace

Napi::Value Orthonormalize(const Napi::CallbackInfo& info) {
  return guard(info.Env(), [&] {
    OrthoArgs r = parse_orthonormalize(info, "orthonormalize");
    Doubles w = load_workspace(r.spec, r.data);
    orthonormalize_workspace(r.spec, w.data(), r.data, nullptr);
    return info.Env().Undefined();
  });
}

Napi::Value OrthonormalizeAsync(const Napi::CallbackInfo& info) {
  return guard(info.Env(), [&] {
    Napi::Env env = info.Env();
    OrthoArgs r = parse_orthonormalize(info, "orthonormalizeAsync");
    std::unique_ptr<AsyncOrtho> owned(new AsyncOrtho());
    AsyncOrtho* a = owned.get();
    a->spec = r.spec;
    a->length = r.a.array.ElementLength();
    a->work = load_workspace(r.spec, r.data);
    a->scratch.reset(new float[r.spec.m * r.spec.n]);
    napi_value promise = nullptr, name = nullptr;
    napi_status st = napi_create_promise(env, &a->deferred, &promise);
    if (st == napi_ok) st = napi_create_reference(env, r.a.array, 1, &a->a_ref);
    if (st == napi_ok) st = napi_create_string_utf8(env, "nninit.orthonormalizeAsync", NAPI_AUTO_LENGTH, &name);
    if (st == napi_ok) {
      st = napi_create_threadsafe_function(env, nullptr, nullptr, name, 0, 1, nullptr, nullptr, nullptr, call_js, &a->tsfn);
    }
    if (st != napi_ok) {
      if (a->a_ref != nullptr) napi_delete_reference(env, a->a_ref);
      NAPI_THROW_IF_FAILED(env, st, Napi::Value());
    }
    napi_threadsafe_function tsfn = a->tsfn;
    auto on_done = [a, tsfn] {
      // The pool thread's last touch of the tsfn: call_js releases it on the main thread. Releasing
      // it here raced with call_js (settle -> the worker finishes -> its env frees the tsfn) and
      // crashed the process in a released tsfn's mutex (test/stress.test.ts workers, SIGABRT).
      napi_call_threadsafe_function(tsfn, a, napi_tsfn_nonblocking);
    };
    try {
      a->job = run_async(1, 1, [a](size_t) { compute(a); }, on_done);
    } catch (...) {
      napi_release_threadsafe_function(tsfn, napi_tsfn_abort);
      napi_delete_reference(env, a->a_ref);
      throw;
    }
    owned.release();  // freed by call_js
    napi_add_env_cleanup_hook(env, cleanup_hook, a);
    return Napi::Value(env, promise);
  });
}

}  // namespace nninit
