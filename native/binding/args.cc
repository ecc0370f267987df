// Argument checks of the binding (native/binding/args.h).
#include "args.h"

#include <cmath>
#include <cstdio>
#include <string>

#include "../kernels/generic/constant.h"
#include "env_state.h"
#include "errors.h"

namespace nninit {

void check_count(const Napi::CallbackInfo& info, size_t min, size_t max, const char* fn) {
  if (info.Length() < min || info.Length() > max) {
    throw_value(info.Env(), std::string("nninit binding ") + fn + " expects " + std::to_string(min) +
                                (min == max ? "" : " to " + std::to_string(max)) + " arguments, got " +
                                std::to_string(info.Length()));
  }
}

double get_number(Napi::Env env, const Napi::Value& v, const char* name) {
  if (!v.IsNumber()) throw_type(env, name, "of type number", v);
  return v.As<Napi::Number>().DoubleValue();
}

// An integer-valued number in [lo, hi].
double get_integer(Napi::Env env, const Napi::Value& v, const char* name, double lo, double hi) {
  const double x = get_number(env, v, name);
  if (!(x >= lo && x <= hi) || std::floor(x) != x) {
    char buf[96];
    snprintf(buf, sizeof buf, "an integer in [%.0f, %.0f]", lo, hi);
    throw_range(env, name, buf, v);
  }
  return x;
}

namespace {

constexpr double kMaxSafe = 9007199254740991.0;  // 2^53 - 1
const char* const kDTypeNames[kDTypeCount] = {"float32", "float64", "bfloat16", "float16"};
const napi_typedarray_type kDTypeArray[kDTypeCount] = {napi_float32_array, napi_float64_array, napi_uint16_array,
                                                       napi_uint16_array};

DType get_dtype(Napi::Env env, const Napi::Value& v) {
  return static_cast<DType>(static_cast<int>(get_integer(env, v, "dtype", 0, kDTypeCount - 1)));
}

// `out` must be a typed array of the dtype's element type, with data when non-empty.
OutArg get_out(Napi::Env env, const Napi::Value& v, DType dt) {
  const int d = static_cast<int>(dt);
  const std::string want = dt == DType::kFloat32 ? "a Float32Array" : dt == DType::kFloat64 ? "a Float64Array" : "a Uint16Array";
  if (!v.IsTypedArray()) throw_type(env, "out", want + " (dtype " + kDTypeNames[d] + ")", v);
  OutArg out;
  out.array = v.As<Napi::TypedArray>();
  napi_typedarray_type type;
  size_t length;
  void* data;
  size_t byte_offset;
  NAPI_THROW_IF_FAILED(env, napi_get_typedarray_info(env, v, &type, &length, &data, &out.buffer, &byte_offset), OutArg());
  if (type != kDTypeArray[d]) throw_type(env, "out", want + " (dtype " + kDTypeNames[d] + ")", v);
  if (length > 0 && data == nullptr) throw_range(env, "out", "backed by an attached ArrayBuffer", v);
  bool is_ab = false;
  NAPI_THROW_IF_FAILED(env, napi_is_arraybuffer(env, out.buffer, &is_ab), OutArg());
  out.shared = !is_ab;  // a typed array's buffer is an ArrayBuffer or a SharedArrayBuffer
  return out;
}

const Impl* impl_arg(const Napi::CallbackInfo& info, size_t idx) {
  if (info.Length() <= idx || info[idx].IsUndefined()) return env_state(info.Env()).impl;
  return parse_isa(info.Env(), info[idx], "isa");
}

void set_target(FillPlan& s, const OutArg& out, Napi::Env env, int threads) {
  void* data = nullptr;
  size_t length = 0;
  NAPI_THROW_IF_FAILED_VOID(env, napi_get_typedarray_info(env, out.array, nullptr, &length, &data, nullptr, nullptr));
  s.dst = data;
  s.n = length;
  s.threads = threads == 0 ? env_state(env).threads : threads;
}

}  // namespace

OrthoArgs parse_orthonormalize(const Napi::CallbackInfo& info, const char* fn) {
  Napi::Env env = info.Env();
  check_count(info, 6, 7, fn);
  OrthoArgs r;
  const Napi::Value& v = info[0];
  if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != napi_float32_array) {
    throw_type(env, "a", "a Float32Array", v);
  }
  r.a = get_out(env, v, DType::kFloat32);
  const double m = get_integer(env, info[1], "m", 1, kMaxSafe);
  const double n = get_integer(env, info[2], "n", 1, kMaxSafe);
  if (n > m) throw_range(env, "n", "an integer in [1, m] (m is " + std::to_string(static_cast<uint64_t>(m)) + ")", info[2]);
  const double gain = get_number(env, info[3], "gain");
  if (!std::isfinite(gain)) throw_range(env, "gain", "a finite number", info[3]);
  if (!info[4].IsBoolean()) throw_type(env, "transpose", "of type boolean", info[4]);
  const int threads = parse_threads(env, info[5], "threads");
  r.spec.impl = impl_arg(info, 6);
  void* data = nullptr;
  size_t length = 0;
  NAPI_THROW_IF_FAILED(env, napi_get_typedarray_info(env, r.a.array, nullptr, &length, &data, nullptr, nullptr), OrthoArgs());
  // m*n <= length <= 2^53 - 1 (a double product that large is exact enough to compare)
  if (m * n > static_cast<double>(length)) {
    char buf[128];
    snprintf(buf, sizeof buf, "of length >= m*n = %.0f", m * n);
    throw_range(env, "a", std::string(buf) + " (its length is " + std::to_string(length) + ")", v);
  }
  r.spec.m = static_cast<size_t>(m);
  r.spec.n = static_cast<size_t>(n);
  r.spec.gain = gain;
  r.spec.transpose = info[4].As<Napi::Boolean>().Value();
  r.spec.threads = threads == 0 ? env_state(env).threads : threads;
  r.data = static_cast<float*>(data);
  return r;
}

int parse_threads(Napi::Env env, const Napi::Value& v, const char* name) {
  return static_cast<int>(get_integer(env, v, name, 0, kMaxThreads));
}

const Impl* parse_isa(Napi::Env env, const Napi::Value& v, const char* name) {
  std::string list;
  for (const std::string& s : supported_names()) list += (list.empty() ? "\"" : ", \"") + s + "\"";
  if (!v.IsString()) throw_type(env, name, "a string (one of " + list + ")", v);
  const Impl* impl = find_impl(v.As<Napi::String>().Utf8Value());
  if (impl == nullptr || !impl->supported) {
    throw_value(env, std::string("The \"") + name + "\" argument must be an instruction set this build and CPU support: " +
                         list + ". Received " + describe(v));
  }
  return impl;
}

void parse_kernel(const Napi::CallbackInfo& info, size_t at, FillPlan& s) {
  Napi::Env env = info.Env();
  const int k = static_cast<int>(get_integer(env, info[at], "kernel", 0, kKernelCount - 1));
  s.kernel = static_cast<KernelId>(k);
  const Napi::Value pv = info[at + 1];
  if (!pv.IsTypedArray() || pv.As<Napi::TypedArray>().TypedArrayType() != napi_float32_array) {
    throw_type(env, "params", "a Float32Array", pv);
  }
  Napi::Float32Array params = pv.As<Napi::Float32Array>();
  if (params.ElementLength() != static_cast<size_t>(kParamCount[k])) {
    throw_range(env, "params", "of length " + std::to_string(kParamCount[k]) + " for this kernel",
                Napi::Number::New(env, static_cast<double>(params.ElementLength())));
  }
  for (int i = 0; i < kParamCount[k]; ++i) s.params[i] = params[i];
  const double hi = get_integer(env, info[at + 2], "keyHi", 0, 4294967295.0);
  const double lo = get_integer(env, info[at + 3], "keyLo", 0, 4294967295.0);
  s.key = (static_cast<uint64_t>(hi) << 32) | static_cast<uint64_t>(lo);
}

FillPlan parse_random(const Napi::CallbackInfo& info, OutArg& out) {
  Napi::Env env = info.Env();
  check_count(info, 8, 9, "fill");
  FillPlan s;
  s.kind = FillKind::kRandom;
  s.dtype = get_dtype(env, info[1]);
  out = get_out(env, info[0], s.dtype);
  parse_kernel(info, 2, s);
  const double offset = get_integer(env, info[6], "offset", 0, kMaxSafe);
  const int threads = parse_threads(env, info[7], "threads");
  s.impl = impl_arg(info, 8);
  set_target(s, out, env, threads);
  if (offset + static_cast<double>(s.n) > kMaxSafe) {
    throw_range(env, "offset", "such that offset + out.length <= 2^53 - 1 (out.length is " + std::to_string(s.n) + ")", info[6]);
  }
  s.offset = static_cast<uint64_t>(offset);
  return s;
}

SparseSpec parse_sparse(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  check_count(info, 8, 9, "sparseZeros");
  SparseSpec s;
  s.dtype = get_dtype(env, info[1]);
  OutArg out = get_out(env, info[0], s.dtype);
  const double hi = get_integer(env, info[2], "keyHi", 0, 4294967295.0);
  const double lo = get_integer(env, info[3], "keyLo", 0, 4294967295.0);
  s.key = (static_cast<uint64_t>(hi) << 32) | static_cast<uint64_t>(lo);
  s.rows = static_cast<uint64_t>(get_integer(env, info[4], "rows", 0, 4294967295.0));
  s.cols = static_cast<uint64_t>(get_integer(env, info[5], "cols", 0, kMaxSafe));
  s.zeros = static_cast<uint64_t>(get_integer(env, info[6], "zeros", 0, kMaxSafe));
  if (s.zeros > s.rows) throw_range(env, "zeros", "an integer in [0, rows] (rows is " + std::to_string(s.rows) + ")", info[6]);
  const int threads = parse_threads(env, info[7], "threads");
  impl_arg(info, 8);
  FillPlan target;
  set_target(target, out, env, threads);
  // rows*cols == length without overflow: rows < 2^32 and length <= 2^53 - 1
  const bool fits = s.cols == 0 ? target.n == 0 : target.n % s.cols == 0 && target.n / s.cols == s.rows;
  if (!fits) {
    throw_range(env, "out", "of length rows*cols (rows " + std::to_string(s.rows) + ", cols " + std::to_string(s.cols) +
                                "; its length is " + std::to_string(target.n) + ")", info[0]);
  }
  s.dst = target.dst;
  s.threads = target.threads;
  return s;
}

namespace {

// What fillConstant and streamFill share, in their order of checks: out (an array of dtype), the
// value (as dtype's bits) and the thread count (returned in threads; set_target applies it).
FillPlan constant_args(Napi::Env env, DType dtype, const Napi::Value& out_v, OutArg& out, const Napi::Value& value_v,
                       const Napi::Value& threads_v, int& threads) {
  FillPlan s;
  s.kind = FillKind::kConstant;
  s.dtype = dtype;
  out = get_out(env, out_v, s.dtype);
  s.const_bits = constant_bits(s.dtype, get_number(env, value_v, "value"));
  threads = parse_threads(env, threads_v, "threads");
  return s;
}

}  // namespace

FillPlan parse_constant(const Napi::CallbackInfo& info, OutArg& out) {
  Napi::Env env = info.Env();
  check_count(info, 4, 5, "fillConstant");
  const DType dtype = get_dtype(env, info[1]);
  int threads = 0;
  FillPlan s = constant_args(env, dtype, info[0], out, info[2], info[3], threads);
  s.impl = impl_arg(info, 4);
  set_target(s, out, env, threads);
  return s;
}

FillPlan parse_stream(const Napi::CallbackInfo& info, OutArg& out) {
  Napi::Env env = info.Env();
  check_count(info, 3, 3, "streamFill");
  int threads = 0;
  FillPlan s = constant_args(env, DType::kFloat32, info[0], out, info[1], info[2], threads);
  s.impl = env_state(env).impl;
  s.nt_mode = 1;
  set_target(s, out, env, threads);
  return s;
}

}  // namespace nninit
