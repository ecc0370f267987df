// Pool task groups settled as Promises on the main thread (native/binding/pool_promise.h: the rules).
#include "pool_promise.h"

#include <cstring>

namespace nninit {

struct PoolPromiseCallbacks {
  static void cleanup_hook(void* arg) {
    PoolTask* t = static_cast<PoolTask*>(arg);
    t->teardown();
    t->group->cancel();
    t->group->wait();  // on_done has queued the completion (the tsfn's teardown frees `t` through call_js)
  }

  // The tsfn's callback: on the main thread, or with env == nullptr during the env's teardown.
  static void call_js(napi_env env, napi_value, void*, void* data) {
    std::unique_ptr<PoolTask> t(static_cast<PoolTask*>(data));
    if (env == nullptr) return;  // the environment is going away: only free memory
    napi_remove_env_cleanup_hook(env, cleanup_hook, t.get());
    napi_value error = t->settle(env, t->array_);
    if (error != nullptr) {
      napi_reject_deferred(env, t->deferred_, error);
    } else {
      napi_value undefined = nullptr;
      napi_get_undefined(env, &undefined);
      napi_resolve_deferred(env, t->deferred_, undefined);
    }
    napi_delete_reference(env, t->array_);
    napi_release_threadsafe_function(t->tsfn_, napi_tsfn_release);  // its one reference (see on_done)
  }
};

napi_value start_pool_promise(napi_env env, std::unique_ptr<PoolTask> task, napi_value array, const char* name,
                              bool cancellable, const std::function<std::shared_ptr<TaskGroup>(std::function<void()>)>& launch) {
  PoolTask* t = task.get();
  napi_value promise = nullptr, resource = nullptr;
  napi_status st = napi_create_promise(env, &t->deferred_, &promise);
  if (st == napi_ok) st = napi_create_reference(env, array, 1, &t->array_);
  if (st == napi_ok) st = napi_create_string_utf8(env, name, NAPI_AUTO_LENGTH, &resource);
  if (st == napi_ok) {
    st = napi_create_threadsafe_function(env, nullptr, nullptr, resource, 0, 1, nullptr, nullptr, nullptr,
                                         PoolPromiseCallbacks::call_js, &t->tsfn_);
  }
  if (st != napi_ok) {
    if (t->array_ != nullptr) napi_delete_reference(env, t->array_);
    NAPI_THROW_IF_FAILED(env, st, nullptr);
  }
  napi_threadsafe_function tsfn = t->tsfn_;
  auto on_done = [t, tsfn] {
    // The pool thread's last touch of the tsfn: call_js releases it on the main thread.
    napi_call_threadsafe_function(tsfn, t, napi_tsfn_nonblocking);
  };
  auto slot = std::make_shared<std::weak_ptr<TaskGroup>>();  // cancel()'s view of the group
  try {
    if (cancellable) {
      Napi::Object(env, promise).Set("cancel", Napi::Function::New(env, [slot](const Napi::CallbackInfo& info) -> Napi::Value {
        if (std::shared_ptr<TaskGroup> group = slot->lock()) group->cancel();
        return info.Env().Undefined();
      }, "cancel"));
    }
    t->group = launch(on_done);  // the last thing that may throw: nothing runs before it
  } catch (...) {
    napi_release_threadsafe_function(tsfn, napi_tsfn_abort);  // its teardown frees nothing of ours
    napi_delete_reference(env, t->array_);
    throw;  // `task` frees the state
  }
  *slot = t->group;
  task.release();  // freed by call_js
  napi_add_env_cleanup_hook(env, PoolPromiseCallbacks::cleanup_hook, t);
  return promise;
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

}  // namespace nninit
