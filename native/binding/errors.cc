// Error helpers of the binding (native/binding/errors.h).
#include "errors.h"

namespace nninit {
namespace {

[[noreturn]] void throw_with_code(Napi::Error err, const char* code) {
  err.Value().Set("code", Napi::String::New(err.Env(), code));
  throw err;
}

const char* typed_array_name(napi_typedarray_type t) {
  switch (t) {
    case napi_int8_array: return "Int8Array";
    case napi_uint8_array: return "Uint8Array";
    case napi_uint8_clamped_array: return "Uint8ClampedArray";
    case napi_int16_array: return "Int16Array";
    case napi_uint16_array: return "Uint16Array";
    case napi_int32_array: return "Int32Array";
    case napi_uint32_array: return "Uint32Array";
    case napi_float32_array: return "Float32Array";
    case napi_float64_array: return "Float64Array";
    case napi_bigint64_array: return "BigInt64Array";
    case napi_biguint64_array: return "BigUint64Array";
  }
  return "TypedArray";
}

}  // namespace

std::string describe(const Napi::Value& v) {
  switch (v.Type()) {
    case napi_undefined: return "undefined";
    case napi_null: return "null";
    case napi_boolean: return v.As<Napi::Boolean>().Value() ? "true" : "false";
    case napi_number: return v.ToString().Utf8Value();
    case napi_bigint: return v.ToString().Utf8Value() + "n";
    case napi_string: {
      std::string s = v.As<Napi::String>().Utf8Value();
      if (s.size() > 40) s = s.substr(0, 37) + "...";
      return "\"" + s + "\"";
    }
    case napi_symbol: return "a symbol";
    case napi_function: return "a function";
    default: break;
  }
  if (v.IsTypedArray()) return std::string("an instance of ") + typed_array_name(v.As<Napi::TypedArray>().TypedArrayType());
  if (v.IsArrayBuffer()) return "an instance of ArrayBuffer";
  if (v.IsArray()) return "an array";
  return "an object";
}

void throw_type(Napi::Env env, const std::string& name, const std::string& expected, const Napi::Value& v) {
  throw_with_code(Napi::TypeError::New(env, "The \"" + name + "\" argument must be " + expected + ". Received " + describe(v)),
                  "ERR_INVALID_ARG_TYPE");
}

void throw_range(Napi::Env env, const std::string& name, const std::string& constraint, const Napi::Value& v) {
  throw_with_code(Napi::RangeError::New(env, "The \"" + name + "\" argument must be " + constraint + ". Received " + describe(v)),
                  "ERR_OUT_OF_RANGE");
}

void throw_value(Napi::Env env, const std::string& message) {
  throw_with_code(Napi::RangeError::New(env, message), "ERR_INVALID_ARG_VALUE");
}

}  // namespace nninit
