// The AVX2 vector: one __m256i / __m256 holds the 8 lanes of a block. No FMA anywhere (the target
// string is "avx2" only, and the build has -ffp-contract=off): each float op rounds once, as in
// the TypeScript reference. Streaming stores are 128-bit (_mm_stream_*), so a 16-byte aligned
// destination suffices (large ArrayBuffers from malloc are often 16- but not 32-byte aligned).
// Included inside namespace nninit::avx2, inside its target region (kernels.cc).

#include "../x86/stores.h"

// compress(): for each 8-bit lane mask, the permutation that packs the selected lanes first.
struct CompressLut {
  uint32_t perm[256][8];
  constexpr CompressLut() : perm() {
    for (int m = 0; m < 256; ++m) {
      int k = 0;
      for (int l = 0; l < 8; ++l) {
        if ((m >> l) & 1) perm[m][k++] = static_cast<uint32_t>(l);
      }
    }
  }
};
inline constexpr CompressLut kCompressLut{};

struct V : X86Stores {
  static constexpr int kBlocks = 1, kLanes = 8;
  using U = __m256i;
  using F = __m256;
  using M = __m256i;  // lane masks: all-ones / all-zeros lanes
  static NNINIT_INLINE U u(uint32_t x) { return _mm256_set1_epi32(static_cast<int>(x)); }
  static NNINIT_INLINE F f(float x) { return _mm256_set1_ps(x); }
  static NNINIT_INLINE U load(const uint32_t* p) { return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)); }
  static NNINIT_INLINE U add(U a, U b) { return _mm256_add_epi32(a, b); }
  static NNINIT_INLINE U sub(U a, U b) { return _mm256_sub_epi32(a, b); }
  static NNINIT_INLINE U xor_(U a, U b) { return _mm256_xor_si256(a, b); }
  static NNINIT_INLINE U or_(U a, U b) { return _mm256_or_si256(a, b); }
  static NNINIT_INLINE U and_(U a, U b) { return _mm256_and_si256(a, b); }
  static NNINIT_INLINE U shl(U a, int n) { return _mm256_slli_epi32(a, n); }
  static NNINIT_INLINE U shr(U a, int n) { return _mm256_srli_epi32(a, n); }
  static NNINIT_INLINE U rotl(U a, int n) { return _mm256_or_si256(_mm256_slli_epi32(a, n), _mm256_srli_epi32(a, 32 - n)); }
  static NNINIT_INLINE U shlv(U a, U n) { return _mm256_sllv_epi32(a, n); }  // counts >= 32 give 0
  static NNINIT_INLINE U shrv(U a, U n) { return _mm256_srlv_epi32(a, n); }
  static NNINIT_INLINE U gt(U a, U b) { return _mm256_cmpgt_epi32(a, b); }   // signed
  static NNINIT_INLINE U eq(U a, U b) { return _mm256_cmpeq_epi32(a, b); }
  static NNINIT_INLINE U sel(U m, U a, U b) { return _mm256_blendv_epi8(b, a, m); }
  static NNINIT_INLINE bool all(U m) { return _mm256_movemask_ps(_mm256_castsi256_ps(m)) == 0xff; }
  static NNINIT_INLINE M mnot(M m) { return _mm256_xor_si256(m, _mm256_set1_epi32(-1)); }

  static NNINIT_INLINE F fadd(F a, F b) { return _mm256_add_ps(a, b); }
  static NNINIT_INLINE F fsub(F a, F b) { return _mm256_sub_ps(a, b); }
  static NNINIT_INLINE F fmul(F a, F b) { return _mm256_mul_ps(a, b); }
  static NNINIT_INLINE F fdiv(F a, F b) { return _mm256_div_ps(a, b); }
  static NNINIT_INLINE F fsqrt(F a) { return _mm256_sqrt_ps(a); }
  static NNINIT_INLINE F fabs(F a) { return _mm256_and_ps(a, _mm256_castsi256_ps(u(0x7fffffff))); }
  static NNINIT_INLINE F fneg(F a) { return _mm256_xor_ps(a, _mm256_castsi256_ps(u(0x80000000))); }
  static NNINIT_INLINE F cvt_i32(U a) { return _mm256_cvtepi32_ps(a); }
  // RN32 of unsigned lanes: (hi16 * 2^16) and lo16 are exact floats; their sum rounds once.
  static NNINIT_INLINE F cvt_u32(U a) {
    const F hi = _mm256_mul_ps(_mm256_cvtepi32_ps(_mm256_srli_epi32(a, 16)), _mm256_set1_ps(65536.0f));
    return _mm256_add_ps(hi, _mm256_cvtepi32_ps(_mm256_and_si256(a, u(0xffff))));
  }
  static NNINIT_INLINE U bits(F a) { return _mm256_castps_si256(a); }
  static NNINIT_INLINE F from_bits(U a) { return _mm256_castsi256_ps(a); }
  static NNINIT_INLINE U flt(F a, F b) { return bits(_mm256_cmp_ps(a, b, _CMP_LT_OQ)); }
  static NNINIT_INLINE U fle(F a, F b) { return bits(_mm256_cmp_ps(a, b, _CMP_LE_OQ)); }
  static NNINIT_INLINE U fgt(F a, F b) { return bits(_mm256_cmp_ps(a, b, _CMP_GT_OQ)); }
  static NNINIT_INLINE F fsel(U m, F a, F b) { return _mm256_blendv_ps(b, a, from_bits(m)); }

  static NNINIT_INLINE U lane_ids() { return _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7); }
  // Stores the lanes of v whose mask is set, packed, at dst (writes 8); returns their count.
  static NNINIT_INLINE size_t compress(uint32_t* dst, U v, M m) {
    const unsigned bits = static_cast<unsigned>(_mm256_movemask_ps(_mm256_castsi256_ps(m)));
    const U perm = load(kCompressLut.perm[bits]);
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(dst), _mm256_permutevar8x32_epi32(v, perm));
    return static_cast<size_t>(__builtin_popcount(bits));
  }
  static NNINIT_INLINE F gather(const float* base, U idx) { return _mm256_i32gather_ps(base, idx, 4); }
  // contiguous kLanes floats (internal buffers; the st_*/nt_* output stores are per block)
  static NNINIT_INLINE void store(float* p, F v) { _mm256_storeu_ps(p, v); }
  static NNINIT_INLINE F ld_f32(const float* p) { return _mm256_loadu_ps(p); }
  static NNINIT_INLINE void st_f32(float* p, F v) { _mm256_storeu_ps(p, v); }
  static NNINIT_INLINE void nt_f32(float* p, F v) {
    _mm_stream_ps(p, _mm256_castps256_ps128(v));
    _mm_stream_ps(p + 4, _mm256_extractf128_ps(v, 1));
  }
  static NNINIT_INLINE void st_f64(double* p, F v) {
    _mm256_storeu_pd(p, _mm256_cvtps_pd(_mm256_castps256_ps128(v)));
    _mm256_storeu_pd(p + 4, _mm256_cvtps_pd(_mm256_extractf128_ps(v, 1)));
  }
  static NNINIT_INLINE void nt_f64(double* p, F v) {
    const __m256d a = _mm256_cvtps_pd(_mm256_castps256_ps128(v));
    const __m256d b = _mm256_cvtps_pd(_mm256_extractf128_ps(v, 1));
    _mm_stream_pd(p, _mm256_castpd256_pd128(a));
    _mm_stream_pd(p + 2, _mm256_extractf128_pd(a, 1));
    _mm_stream_pd(p + 4, _mm256_castpd256_pd128(b));
    _mm_stream_pd(p + 6, _mm256_extractf128_pd(b, 1));
  }
  // lanes hold values < 2^16: packus (unsigned saturation) is exact
  static NNINIT_INLINE __m128i pack16(U v) {
    return _mm_packus_epi32(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
  }
  static NNINIT_INLINE void st_u16(uint16_t* p, U v) { _mm_storeu_si128(reinterpret_cast<__m128i*>(p), pack16(v)); }
  static NNINIT_INLINE void nt_u16(uint16_t* p, U v) { _mm_stream_si128(reinterpret_cast<__m128i*>(p), pack16(v)); }
};
