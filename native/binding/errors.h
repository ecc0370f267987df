// JS errors in Node's vocabulary (TypeError / RangeError with a `code`), thrown as C++
// Napi::Error exceptions (NAPI_CPP_EXCEPTIONS): node-addon-api turns them into JS exceptions, so
// a bad argument can never assert or crash. Messages follow lib/plan/errors.ts:
// `The "offset" argument must be <constraint>. Received <value>`.
#ifndef NNINIT_BINDING_ERRORS_H_
#define NNINIT_BINDING_ERRORS_H_

#include <napi.h>

#include <string>

namespace nninit {

// A short rendering of a received value (never throws for primitives).
std::string describe(const Napi::Value& v);

[[noreturn]] void throw_type(Napi::Env env, const std::string& name, const std::string& expected, const Napi::Value& v);
[[noreturn]] void throw_range(Napi::Env env, const std::string& name, const std::string& constraint, const Napi::Value& v);
// A RangeError with code ERR_INVALID_ARG_VALUE and a free-form message.
[[noreturn]] void throw_value(Napi::Env env, const std::string& message);

// Runs fn(), turning C++ exceptions other than Napi::Error (bad_alloc, system_error) into JS
// errors: node-addon-api only converts Napi::Error, anything else would std::terminate.
template <class Fn>
Napi::Value guard(Napi::Env env, Fn&& fn) {
  try {
    return fn();
  } catch (const Napi::Error&) {
    throw;
  } catch (const std::bad_alloc&) {
    throw Napi::Error::New(env, "nninit: out of memory");
  } catch (const std::exception& e) {
    throw Napi::Error::New(env, std::string("nninit: ") + e.what());
  }
}

}  // namespace nninit

#endif  // NNINIT_BINDING_ERRORS_H_
