// Q8_0 / Q4_0 quantizers (native/core/quant.h), bit for bit lib/model/quant.ts. Each step below
// names the reference's expression it reproduces. Two loops per type: the portable one (plain
// C++, every ISA) and an AVX2 one (x86-64, a target("avx2") function WITHOUT "fma", chosen at run
// time through core/dispatch.cc's CPU and OS check); test/gguf.test.ts compares both with the
// reference over adversarial blocks.
//
// Why the two agree with quant.ts on every input, NaN and ±Inf included:
//  - amax: `if (a > amax) amax = a` from 0 never takes a NaN; MAXPS(a, b) = a > b ? a : b, so
//    max(|x|, 0) is NaN-free, and a max over NaN-free values does not depend on the order.
//  - Q4_0's max (the first x of largest |x|): the first j with |x[j]| == amax, or +0 if amax == 0
//    (the reference's max stays at its initial 0 when no |x| exceeds 0).
//  - d = amax / 127 and max / -8: one float32 division (the reference's Math.fround of a double
//    quotient of float32 operands is the same correctly rounded value).
//  - Q8_0 roundf(y) & 0xff: trunc(y), then ±1 when the (exact) fraction y - trunc(y) is >= 0.5 in
//    magnitude: halves away from zero, as the reference's double x + 0.5 then floor. NaN, ±Inf and
//    |y| >= 2^31 give 0: the reference's `& 0xff` of NaN/Inf is 0, and a float32 >= 2^31 is a
//    multiple of 256. CVTTPS2DQ gives 0x80000000 for all of them, whose low byte is 0.
//  - Q4_0 q = min(15, trunc(y)) with y = x*id + 8.5 (two roundings, never fused), then
//    (lo | hi << 4) & 0xff with JS ToInt32: NaN, -Inf and y < -2^31 give an integer with zero low
//    byte there, as 0x80000000 does (and its << 4 too).
#include "quant.h"

#include <cmath>
#include <cstring>

#if defined(__x86_64__) || defined(_M_X64)
#include <immintrin.h>
#define NNINIT_QUANT_AVX2 1
#endif

#include "dispatch.h"
#include "pool.h"

namespace nninit {
namespace {

// float16 bits of a float32 (native/kernels/generic/half.h's f16_from_bits, = lib/math/halfFloat.ts).
uint16_t f16_of(float x) {
  uint32_t b;
  std::memcpy(&b, &x, 4);
  const uint32_t sign = (b >> 16) & 0x8000u;
  const uint32_t a = b & 0x7fffffffu;
  if (a >= 0x477ff000u) return static_cast<uint16_t>(sign | (a > 0x7f800000u ? 0x7e00u : 0x7c00u));
  if (a >= 0x38800000u) return static_cast<uint16_t>(sign | ((a + 0xfffu + ((a >> 13) & 1u) - 0x38000000u) >> 13));
  if (a <= 0x33000000u) return static_cast<uint16_t>(sign);
  const uint32_t s = 126u - (a >> 23);
  const uint32_t m = (a & 0x7fffffu) | 0x800000u;
  return static_cast<uint16_t>(sign | ((m + (1u << (s - 1)) - 1u + ((m >> s) & 1u)) >> s));
}

inline void put_scale(uint8_t* y, float d) {
  const uint16_t h = f16_of(d);
  y[0] = static_cast<uint8_t>(h & 0xff);
  y[1] = static_cast<uint8_t>(h >> 8);
}

// roundf(y) & 0xff of the reference (see the file comment).
// (The int32 casts truncate; no truncf call, which is a libm call at the SSE2 baseline.)
inline uint8_t round_byte(float y) {
  if (!(std::fabs(y) < 2147483648.0f)) return 0;  // NaN, ±Inf, |y| >= 2^31
  int32_t t = static_cast<int32_t>(y);
  const float f = y - static_cast<float>(t);  // exact: trunc(y) is a float32, and so is y - trunc(y)
  if (f >= 0.5f) t += 1;
  if (f <= -0.5f) t -= 1;
  return static_cast<uint8_t>(static_cast<uint32_t>(t) & 0xffu);
}

// ToInt32(min(15, trunc(y))) of the reference, where only its low byte matters (see above).
inline uint32_t q4_of(float y) {
  if (y >= 15.0f) return 15;             // +Inf too
  if (!(y >= -2147483648.0f)) return 0;  // NaN, -Inf, y < -2^31
  return static_cast<uint32_t>(static_cast<int32_t>(y));
}

void q8_0_portable(const float* x, size_t nblocks, uint8_t* y) {
  for (size_t b = 0; b < nblocks; ++b, x += kQuantBlock, y += kQ8_0Bytes) {
    float amax = 0.0f;
    for (size_t j = 0; j < kQuantBlock; ++j) {
      const float a = std::fabs(x[j]);
      if (a > amax) amax = a;
    }
    const float d = amax / 127.0f;
    const float id = d != 0.0f ? 1.0f / d : 0.0f;
    put_scale(y, d);
    for (size_t j = 0; j < kQuantBlock; ++j) y[2 + j] = round_byte(x[j] * id);
  }
}

void q4_0_portable(const float* x, size_t nblocks, uint8_t* y) {
  for (size_t b = 0; b < nblocks; ++b, x += kQuantBlock, y += kQ4_0Bytes) {
    float amax = 0.0f;
    float max = 0.0f;
    for (size_t j = 0; j < kQuantBlock; ++j) {
      const float v = x[j];
      const float a = std::fabs(v);
      if (amax < a) {
        amax = a;
        max = v;
      }
    }
    const float d = max / -8.0f;  // an all-zero block: -0 (float16 0x8000), as ggml
    const float id = d != 0.0f ? 1.0f / d : 0.0f;
    put_scale(y, d);
    for (size_t j = 0; j < kQuantBlock / 2; ++j) {
      const float y0 = x[j] * id + 8.5f;  // (separate roundings: -ffp-contract=off)
      const float y1 = x[kQuantBlock / 2 + j] * id + 8.5f;
      y[2 + j] = static_cast<uint8_t>((q4_of(y0) | (q4_of(y1) << 4)) & 0xffu);
    }
  }
}

#if NNINIT_QUANT_AVX2

#define NNINIT_AVX2 __attribute__((target("avx2")))

// max(|x|, 0) of 32 floats, reduced: NaN lanes drop out (MAXPS returns its second operand).
NNINIT_AVX2 inline float amax32(const __m256 a[4]) {
  const __m256 z = _mm256_setzero_ps();
  const __m256 m = _mm256_max_ps(_mm256_max_ps(_mm256_max_ps(a[0], z), _mm256_max_ps(a[1], z)),
                                 _mm256_max_ps(_mm256_max_ps(a[2], z), _mm256_max_ps(a[3], z)));
  __m128 h = _mm_max_ps(_mm256_castps256_ps128(m), _mm256_extractf128_ps(m, 1));
  h = _mm_max_ps(h, _mm_movehl_ps(h, h));
  h = _mm_max_ss(h, _mm_shuffle_ps(h, h, 1));
  return _mm_cvtss_f32(h);
}

// One block's magnitudes |x| in a (four vectors of 8); returns amax32(a).
NNINIT_AVX2 inline float load_abs(const float* x, __m256 a[4]) {
  const __m256 abs_mask = _mm256_castsi256_ps(_mm256_set1_epi32(0x7fffffff));
  for (int i = 0; i < 4; ++i) a[i] = _mm256_and_ps(_mm256_loadu_ps(x + 8 * i), abs_mask);
  return amax32(a);
}

// Q8_0's 32 quants of the block at x: round(x * id) half away from zero (ggml's roundf), as int8,
// at qs (32 bytes). NaN, Inf and out-of-range products give 0x80000000, stored as 0.
NNINIT_AVX2 inline void q8_quants(const float* x, __m256 vid, uint8_t* qs) {
  const __m256 half = _mm256_set1_ps(0.5f);
  const __m256 mhalf = _mm256_set1_ps(-0.5f);
  const __m256 one = _mm256_set1_ps(1.0f);
  const __m256i low = _mm256_set1_epi32(0xff);
  __m256i q[4];
  for (int i = 0; i < 4; ++i) {
    const __m256 s = _mm256_mul_ps(_mm256_loadu_ps(x + 8 * i), vid);
    __m256 t = _mm256_round_ps(s, _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC);
    const __m256 f = _mm256_sub_ps(s, t);
    t = _mm256_add_ps(t, _mm256_and_ps(_mm256_cmp_ps(f, half, _CMP_GE_OQ), one));
    t = _mm256_sub_ps(t, _mm256_and_ps(_mm256_cmp_ps(f, mhalf, _CMP_LE_OQ), one));
    q[i] = _mm256_and_si256(_mm256_cvttps_epi32(t), low);  // NaN/Inf/huge: 0x80000000 -> 0
  }
  const __m256i p01 = _mm256_packus_epi32(q[0], q[1]);
  const __m256i p23 = _mm256_packus_epi32(q[2], q[3]);
  const __m256i perm = _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7);
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(qs), _mm256_permutevar8x32_epi32(_mm256_packus_epi16(p01, p23), perm));
}

// Q4_0's 32 quants of the block at x: min(15, trunc(x * id + 8.5)), element j in the low nibble
// of byte j and element j + 16 in its high nibble, at qs (16 bytes). MINPS(15, NaN) = NaN -> 0.
NNINIT_AVX2 inline void q4_quants(const float* x, __m256 vid, uint8_t* qs) {
  const __m256 fifteen = _mm256_set1_ps(15.0f);
  const __m256 bias = _mm256_set1_ps(8.5f);
  const __m256i low = _mm256_set1_epi32(0xff);
  __m256i q[4];
  for (int i = 0; i < 4; ++i) {
    const __m256 s = _mm256_add_ps(_mm256_mul_ps(_mm256_loadu_ps(x + 8 * i), vid), bias);
    q[i] = _mm256_cvttps_epi32(_mm256_min_ps(fifteen, s));
  }
  const __m256i c0 = _mm256_and_si256(_mm256_or_si256(q[0], _mm256_slli_epi32(q[2], 4)), low);
  const __m256i c1 = _mm256_and_si256(_mm256_or_si256(q[1], _mm256_slli_epi32(q[3], 4)), low);
  const __m256i pk = _mm256_packus_epi32(c0, c1);
  const __m256i perm = _mm256_setr_epi32(0, 4, 1, 5, 0, 4, 1, 5);
  const __m256i bytes = _mm256_permutevar8x32_epi32(_mm256_packus_epi16(pk, pk), perm);
  _mm_storeu_si128(reinterpret_cast<__m128i*>(qs), _mm256_castsi256_si128(bytes));
}

NNINIT_AVX2 void q8_0_avx2_1(const float* x, size_t nblocks, uint8_t* y) {
  for (size_t b = 0; b < nblocks; ++b, x += kQuantBlock, y += kQ8_0Bytes) {
    __m256 a[4];
    const float amax = load_abs(x, a);
    const float d = amax / 127.0f;
    const float id = d != 0.0f ? 1.0f / d : 0.0f;
    put_scale(y, d);
    q8_quants(x, _mm256_set1_ps(id), y + 2);
  }
}

NNINIT_AVX2 void q4_0_avx2_1(const float* x, size_t nblocks, uint8_t* y) {
  for (size_t b = 0; b < nblocks; ++b, x += kQuantBlock, y += kQ4_0Bytes) {
    __m256 a[4];
    const float amax = load_abs(x, a);
    float max = 0.0f;
    if (amax != 0.0f) {
      const __m256 m = _mm256_set1_ps(amax);
      uint32_t bits = 0;
      for (int i = 0; i < 4; ++i) {
        bits |= static_cast<uint32_t>(_mm256_movemask_ps(_mm256_cmp_ps(a[i], m, _CMP_EQ_OQ))) << (8 * i);
      }
      max = x[__builtin_ctz(bits)];  // bits != 0: amax is one of the |x|
    }
    const float d = max / -8.0f;
    const float id = d != 0.0f ? 1.0f / d : 0.0f;
    put_scale(y, d);
    q4_quants(x, _mm256_set1_ps(id), y + 2);
  }
}

// Groups of 8 blocks: the 8 reductions transposed into one vector, the scales' divisions 8 at a
// time (DIVPS is the same correctly rounded division) and their float16 bits by the integer code
// of half.h's f16_bits, then each block's values. Same operations per element as the one-block
// loops above, so the same bytes.

// Lane k = the max (kMax) or min of m[k]'s 8 lanes (all NaN-free, so any order gives the same).
template <bool kMax>
NNINIT_AVX2 inline __m256 op8(__m256 a, __m256 b) {
  return kMax ? _mm256_max_ps(a, b) : _mm256_min_ps(a, b);
}

template <bool kMax>
NNINIT_AVX2 inline __m256 reduce8(const __m256 m[8]) {
#define op op8<kMax>
  const __m256 a01 = op(_mm256_unpacklo_ps(m[0], m[1]), _mm256_unpackhi_ps(m[0], m[1]));
  const __m256 a23 = op(_mm256_unpacklo_ps(m[2], m[3]), _mm256_unpackhi_ps(m[2], m[3]));
  const __m256 a45 = op(_mm256_unpacklo_ps(m[4], m[5]), _mm256_unpackhi_ps(m[4], m[5]));
  const __m256 a67 = op(_mm256_unpacklo_ps(m[6], m[7]), _mm256_unpackhi_ps(m[6], m[7]));
  const __m256 b03 = op(_mm256_shuffle_ps(a01, a23, _MM_SHUFFLE(1, 0, 1, 0)), _mm256_shuffle_ps(a01, a23, _MM_SHUFFLE(3, 2, 3, 2)));
  const __m256 b47 = op(_mm256_shuffle_ps(a45, a67, _MM_SHUFFLE(1, 0, 1, 0)), _mm256_shuffle_ps(a45, a67, _MM_SHUFFLE(3, 2, 3, 2)));
  return op(_mm256_permute2f128_ps(b03, b47, 0x20), _mm256_permute2f128_ps(b03, b47, 0x31));
#undef op
}

// id = d != 0 ? 1 / d : 0, 8 lanes.
NNINIT_AVX2 inline __m256 inverse8(__m256 d) {
  const __m256 zero = _mm256_setzero_ps();
  return _mm256_blendv_ps(_mm256_div_ps(_mm256_set1_ps(1.0f), d), zero, _mm256_cmp_ps(d, zero, _CMP_EQ_OQ));
}

// float16 bits of 8 floats (native/kernels/generic/half.h f16_bits over AVX2 integers; SLLV/SRLV
// give 0 for counts >= 32, in lanes the selects discard).
NNINIT_AVX2 inline __m256i f16x8(__m256 x) {
  const __m256i b = _mm256_castps_si256(x);
  const __m256i k1 = _mm256_set1_epi32(1);
  const __m256i sign = _mm256_and_si256(_mm256_srli_epi32(b, 16), _mm256_set1_epi32(0x8000));
  const __m256i a = _mm256_and_si256(b, _mm256_set1_epi32(0x7fffffff));
  const __m256i inf = _mm256_blendv_epi8(_mm256_set1_epi32(0x7c00), _mm256_set1_epi32(0x7e00), _mm256_cmpgt_epi32(a, _mm256_set1_epi32(0x7f800000)));
  const __m256i norm = _mm256_srli_epi32(_mm256_sub_epi32(_mm256_add_epi32(_mm256_add_epi32(a, _mm256_set1_epi32(0xfff)),
      _mm256_and_si256(_mm256_srli_epi32(a, 13), k1)), _mm256_set1_epi32(0x38000000)), 13);
  const __m256i s = _mm256_sub_epi32(_mm256_set1_epi32(126), _mm256_srli_epi32(a, 23));
  const __m256i m = _mm256_or_si256(_mm256_and_si256(a, _mm256_set1_epi32(0x7fffff)), _mm256_set1_epi32(0x800000));
  const __m256i half_m1 = _mm256_sub_epi32(_mm256_sllv_epi32(k1, _mm256_sub_epi32(s, k1)), k1);
  const __m256i sub = _mm256_srlv_epi32(_mm256_add_epi32(_mm256_add_epi32(m, half_m1), _mm256_and_si256(_mm256_srlv_epi32(m, s), k1)), s);
  __m256i r = _mm256_and_si256(_mm256_cmpgt_epi32(a, _mm256_set1_epi32(0x33000000)), sub);
  r = _mm256_blendv_epi8(r, norm, _mm256_cmpgt_epi32(a, _mm256_set1_epi32(0x387fffff)));
  r = _mm256_blendv_epi8(r, inf, _mm256_cmpgt_epi32(a, _mm256_set1_epi32(0x477fefff)));
  return _mm256_or_si256(sign, r);
}

// Writes the 8 scales' float16 bits, little-endian, at y + stride * k.
NNINIT_AVX2 inline void put_scales8(uint8_t* y, size_t stride, __m256 d) {
  alignas(32) uint32_t h[8];
  _mm256_store_si256(reinterpret_cast<__m256i*>(h), f16x8(d));
  for (int k = 0; k < 8; ++k) {
    y[stride * k] = static_cast<uint8_t>(h[k] & 0xff);
    y[stride * k + 1] = static_cast<uint8_t>(h[k] >> 8);
  }
}

// The 8 blocks' scales d: their float16 bits written (put_scales8), their inverses in id.
NNINIT_AVX2 inline void scales8(__m256 d, uint8_t* y, size_t stride, float id[8]) {
  _mm256_store_ps(id, inverse8(d));
  put_scales8(y, stride, d);
}

NNINIT_AVX2 void q8_0_avx2(const float* x, size_t nblocks, uint8_t* y) {
  const __m256 abs_mask = _mm256_castsi256_ps(_mm256_set1_epi32(0x7fffffff));
  const __m256 z = _mm256_setzero_ps();
  size_t g = 0;
  for (; g + 8 <= nblocks; g += 8, x += 8 * kQuantBlock, y += 8 * kQ8_0Bytes) {
    __m256 m[8];
    for (int k = 0; k < 8; ++k) {  // max(|x|, 0): MAXPS(a, acc) keeps acc when a is NaN
      const float* p = x + 32 * k;
      __m256 acc = _mm256_max_ps(_mm256_and_ps(_mm256_loadu_ps(p), abs_mask), z);
      for (int i = 1; i < 4; ++i) acc = _mm256_max_ps(_mm256_and_ps(_mm256_loadu_ps(p + 8 * i), abs_mask), acc);
      m[k] = acc;
    }
    alignas(32) float id[8];
    scales8(_mm256_div_ps(reduce8<true>(m), _mm256_set1_ps(127.0f)), y, kQ8_0Bytes, id);
    for (int k = 0; k < 8; ++k) q8_quants(x + 32 * k, _mm256_broadcast_ss(id + k), y + kQ8_0Bytes * k + 2);
  }
  q8_0_avx2_1(x, nblocks - g, y);
}

// Q4_0's max (the first x of largest |x|) from the signed max and min of each block, both taken
// with 0 (so NaN-free, and +0 for a block without any |x| > 0): amax = max(hi, -lo), and max = hi
// when hi == amax, else lo; only a block holding both +amax and -amax searches for the first.
NNINIT_AVX2 void q4_0_avx2(const float* x, size_t nblocks, uint8_t* y) {
  const __m256 abs_mask = _mm256_castsi256_ps(_mm256_set1_epi32(0x7fffffff));
  const __m256 sign_mask = _mm256_castsi256_ps(_mm256_set1_epi32(static_cast<int>(0x80000000u)));
  const __m256 z = _mm256_setzero_ps();
  size_t g = 0;
  for (; g + 8 <= nblocks; g += 8, x += 8 * kQuantBlock, y += 8 * kQ4_0Bytes) {
    __m256 hi[8], lo[8];
    for (int k = 0; k < 8; ++k) {  // MAXPS(v, acc) / MINPS(v, acc) keep acc when v is NaN
      const float* p = x + 32 * k;
      const __m256 v0 = _mm256_loadu_ps(p);
      __m256 h = _mm256_max_ps(v0, z), l = _mm256_min_ps(v0, z);
      for (int i = 1; i < 4; ++i) {
        const __m256 v = _mm256_loadu_ps(p + 8 * i);
        h = _mm256_max_ps(v, h);
        l = _mm256_min_ps(v, l);
      }
      hi[k] = h;
      lo[k] = l;
    }
    const __m256 vhi = reduce8<true>(hi), vlo = reduce8<false>(lo);
    const __m256 vneg = _mm256_xor_ps(vlo, sign_mask);  // -lo >= +0
    const __m256 vamax = _mm256_max_ps(vhi, vneg);
    const __m256 hi_is = _mm256_cmp_ps(vhi, vamax, _CMP_EQ_OQ);
    __m256 vmax = _mm256_blendv_ps(vlo, vhi, hi_is);
    const int both = _mm256_movemask_ps(_mm256_and_ps(_mm256_and_ps(hi_is, _mm256_cmp_ps(vneg, vamax, _CMP_EQ_OQ)),
                                                      _mm256_cmp_ps(vamax, z, _CMP_NEQ_OQ)));
    if (both != 0) {  // +amax and -amax in one block: the first of them
      alignas(32) float amax[8], max[8];
      _mm256_store_ps(amax, vamax);
      _mm256_store_ps(max, vmax);
      for (int k = 0; k < 8; ++k) {
        if (((both >> k) & 1) == 0) continue;
        const float* p = x + 32 * k;
        const __m256 mk = _mm256_set1_ps(amax[k]);
        uint32_t bits = 0;
        for (int i = 0; i < 4; ++i) {
          const __m256 a = _mm256_and_ps(_mm256_loadu_ps(p + 8 * i), abs_mask);
          bits |= static_cast<uint32_t>(_mm256_movemask_ps(_mm256_cmp_ps(a, mk, _CMP_EQ_OQ))) << (8 * i);
        }
        max[k] = p[__builtin_ctz(bits)];
      }
      vmax = _mm256_load_ps(max);
    }
    alignas(32) float id[8];
    scales8(_mm256_div_ps(vmax, _mm256_set1_ps(-8.0f)), y, kQ4_0Bytes, id);
    for (int k = 0; k < 8; ++k) q4_quants(x + 32 * k, _mm256_broadcast_ss(id + k), y + kQ4_0Bytes * k + 2);
  }
  q4_0_avx2_1(x, nblocks - g, y);
}

#endif  // NNINIT_QUANT_AVX2

// Blocks per pool task: 64 KiB of input, a few microseconds of work.
constexpr size_t kTaskBlocks = 512;
// Below this many blocks (256K elements) the calling thread quantizes alone.
constexpr size_t kInlineBlocks = 8192;

}  // namespace

bool quant_avx2_available() {
#if NNINIT_QUANT_AVX2
  static const bool ok = [] {
    const Impl* impl = find_impl("avx2");
    return impl != nullptr && impl->supported;
  }();
  return ok;
#else
  return false;
#endif
}

void quantize_blocks(QuantType type, const float* src, size_t nblocks, uint8_t* dst, bool simd) {
#if NNINIT_QUANT_AVX2
  if (simd && quant_avx2_available()) {
    if (type == QuantType::kQ8_0) q8_0_avx2(src, nblocks, dst);
    else q4_0_avx2(src, nblocks, dst);
    return;
  }
#endif
  (void)simd;
  if (type == QuantType::kQ8_0) q8_0_portable(src, nblocks, dst);
  else q4_0_portable(src, nblocks, dst);
}

void quantize_sync(const QuantSpec& s) {
  if (s.nblocks == 0) return;
  const size_t ntasks = (s.nblocks + kTaskBlocks - 1) / kTaskBlocks;
  const size_t bsize = quant_block_bytes(s.type);
  run_sync(ntasks, s.nblocks < kInlineBlocks ? 1 : s.threads, [&s, bsize](size_t t) {
    const size_t from = t * kTaskBlocks;
    const size_t count = s.nblocks - from < kTaskBlocks ? s.nblocks - from : kTaskBlocks;
    quantize_blocks(s.type, s.src + from * kQuantBlock, count, s.dst + from * bsize, s.simd);
  });
}

}  // namespace nninit
