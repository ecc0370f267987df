// quantizeQ8_0 / quantizeQ4_0 (native/binding/quantize.h). Every argument is checked here again
// (lib/model/quant.ts passes them unchecked): src a Float32Array and dst a Uint8Array (a Buffer
// is one), both attached; the offsets and n integers with src[srcOffset, srcOffset + n) and the
// n / 32 blocks at dst[dstOffset ..] inside the arrays; n a multiple of 32; the two byte ranges
// disjoint (the pool's threads would otherwise read what others write). A failed check throws a
// TypeError/RangeError before anything is written. No JS runs between the checks and the work
// (every argument is a primitive or a typed array: no getter, no valueOf), so nothing can detach
// or shrink an array in between; the call is synchronous, the event loop waits.
#include "quantize.h"

#include <cmath>
#include <cstdint>
#include <string>

#include "../core/fill.h"
#include "../core/quant.h"
#include "args.h"
#include "env_state.h"
#include "errors.h"

namespace nninit {
namespace {

constexpr double kMaxSafe = 9007199254740991.0;  // 2^53 - 1

struct ArrayArg {
  uint8_t* data = nullptr;
  size_t length = 0;  // elements
};

ArrayArg typed(Napi::Env env, const Napi::Value& v, napi_typedarray_type want, const char* name, const char* what) {
  if (!v.IsTypedArray()) throw_type(env, name, what, v);
  napi_typedarray_type type;
  ArrayArg r;
  void* data = nullptr;
  NAPI_THROW_IF_FAILED(env, napi_get_typedarray_info(env, v, &type, &r.length, &data, nullptr, nullptr), ArrayArg());
  if (type != want) throw_type(env, name, what, v);
  if (r.length > 0 && data == nullptr) throw_range(env, name, "backed by an attached ArrayBuffer", v);
  r.data = static_cast<uint8_t*>(data);
  return r;
}

Napi::Value quantize(const Napi::CallbackInfo& info, QuantType type, const char* fn) {
  Napi::Env env = info.Env();
  check_count(info, 5, 7, fn);
  const ArrayArg src = typed(env, info[0], napi_float32_array, "src", "a Float32Array");
  const double from = get_integer(env, info[1], "srcOffset", 0, kMaxSafe);
  if (from > static_cast<double>(src.length)) {
    throw_range(env, "srcOffset", "an integer in [0, src.length] (src.length is " + std::to_string(src.length) + ")", info[1]);
  }
  const double n = get_integer(env, info[2], "n", 0, kMaxSafe);
  const size_t at_src = static_cast<size_t>(from);
  if (n > static_cast<double>(src.length - at_src)) {
    throw_range(env, "n", "an integer in [0, src.length - srcOffset] (that is " + std::to_string(src.length - at_src) + ")", info[2]);
  }
  const size_t count = static_cast<size_t>(n);
  if (count % kQuantBlock != 0) throw_range(env, "n", "a multiple of 32 (whole blocks)", info[2]);
  const ArrayArg dst = typed(env, info[3], napi_uint8_array, "dst", "a Uint8Array");
  const double to = get_integer(env, info[4], "dstOffset", 0, kMaxSafe);
  if (to > static_cast<double>(dst.length)) {
    throw_range(env, "dstOffset", "an integer in [0, dst.length] (dst.length is " + std::to_string(dst.length) + ")", info[4]);
  }
  const size_t at_dst = static_cast<size_t>(to);
  const size_t nblocks = count / kQuantBlock;
  const size_t bytes = nblocks * quant_block_bytes(type);  // < 2^53 * 34 / 32: no overflow in 64 bits
  if (bytes > dst.length - at_dst) {
    throw_range(env, "dst", "long enough for n / 32 blocks: " + std::to_string(bytes) + " bytes from dstOffset (" +
                                std::to_string(dst.length - at_dst) + " there)", info[3]);
  }
  const int threads = info.Length() > 5 && !info[5].IsUndefined() ? parse_threads(env, info[5], "threads") : 0;
  const Impl* impl = info.Length() > 6 && !info[6].IsUndefined() ? parse_isa(env, info[6], "isa") : env_state(env).impl;
  QuantSpec s;
  s.type = type;
  s.src = reinterpret_cast<const float*>(src.data) + at_src;
  s.nblocks = nblocks;
  s.dst = dst.data + at_dst;
  s.threads = threads == 0 ? env_state(env).threads : threads;
  s.simd = std::string(impl->name) != "scalar";
  if (bytes > 0) {
    const uintptr_t a0 = reinterpret_cast<uintptr_t>(s.src), a1 = a0 + count * sizeof(float);
    const uintptr_t b0 = reinterpret_cast<uintptr_t>(s.dst), b1 = b0 + bytes;
    if (a0 < b1 && b0 < a1) {
      throw_value(env, std::string("nninit binding ") + fn + ": src[srcOffset, srcOffset + n) and the blocks at dst[dstOffset ..] must not share memory");
    }
  }
  quantize_sync(s);
  return Napi::Number::New(env, static_cast<double>(bytes));
}

// fillQuantize(dst, dstOffset, type, n, kernel, params, keyHi, keyLo, offset, threads[, isa])
Napi::Value fill_quantize(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  check_count(info, 10, 11, "fillQuantize");
  const ArrayArg dst = typed(env, info[0], napi_uint8_array, "dst", "a Uint8Array");
  const double to = get_integer(env, info[1], "dstOffset", 0, kMaxSafe);
  if (to > static_cast<double>(dst.length)) {
    throw_range(env, "dstOffset", "an integer in [0, dst.length] (dst.length is " + std::to_string(dst.length) + ")", info[1]);
  }
  const QuantType type = static_cast<QuantType>(static_cast<int>(get_integer(env, info[2], "type", 0, 1)));
  const double n = get_integer(env, info[3], "n", 0, kMaxSafe);
  if (std::fmod(n, static_cast<double>(kQuantBlock)) != 0) throw_range(env, "n", "a multiple of 32 (whole blocks)", info[3]);
  FillPlan s;
  s.kind = FillKind::kRandom;
  s.dtype = DType::kFloat32;
  parse_kernel(info, 4, s);
  const double offset = get_integer(env, info[8], "offset", 0, kMaxSafe);
  if (std::fmod(offset, static_cast<double>(kQuantBlock)) != 0) {
    throw_range(env, "offset", "a multiple of 32 (a quantization block never straddles two stream blocks)", info[8]);
  }
  if (offset + n > kMaxSafe) throw_range(env, "offset", "such that offset + n <= 2^53 - 1", info[8]);
  const int threads = parse_threads(env, info[9], "threads");
  s.impl = info.Length() > 10 && !info[10].IsUndefined() ? parse_isa(env, info[10], "isa") : env_state(env).impl;
  s.offset = static_cast<uint64_t>(offset);
  s.n = static_cast<size_t>(n);
  s.threads = threads == 0 ? env_state(env).threads : threads;
  const size_t at_dst = static_cast<size_t>(to);
  const size_t bytes = s.n / kQuantBlock * quant_block_bytes(type);  // < 2^53 * 34 / 32: no overflow
  if (bytes > dst.length - at_dst) {
    throw_range(env, "dst", "long enough for n / 32 blocks: " + std::to_string(bytes) + " bytes from dstOffset (" +
                                std::to_string(dst.length - at_dst) + " there)", info[0]);
  }
  fill_quantize_sync(s, type, dst.data + at_dst, std::string(s.impl->name) != "scalar");
  return Napi::Number::New(env, static_cast<double>(bytes));
}

}  // namespace

Napi::Value FillQuantize(const Napi::CallbackInfo& info) {
  return guard(info.Env(), [&] { return fill_quantize(info); });
}

Napi::Value QuantizeQ8_0(const Napi::CallbackInfo& info) {
  return guard(info.Env(), [&] { return quantize(info, QuantType::kQ8_0, "quantizeQ8_0"); });
}

Napi::Value QuantizeQ4_0(const Napi::CallbackInfo& info) {
  return guard(info.Env(), [&] { return quantize(info, QuantType::kQ4_0, "quantizeQ4_0"); });
}

}  // namespace nninit
