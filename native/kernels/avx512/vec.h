// The AVX-512 vector: one __m512i / __m512 holds TWO blocks, lanes 0-7 block j and lanes 8-15
// block j+1 (the stream's 8 lanes per block never change; a wider vector takes more blocks).
// Stores therefore write each 8-lane half to its own block: half b at p + b * kBlockSize.
// Masks are __mmask16. No FMA: -ffp-contract=off and no fused intrinsic, so each float op rounds
// once as in the TypeScript reference; vcvtudq2ps gives RN32 of unsigned words directly.
// Streaming stores are 128-bit (_mm_stream_*): a 16-byte aligned destination suffices.
// Included inside namespace nninit::avx512, inside its target region (kernels.cc).

#include "../x86/stores.h"

struct V : X86Stores {
  static constexpr int kBlocks = 2, kLanes = 16;
  using U = __m512i;
  using F = __m512;
  using M = __mmask16;
  static NNINIT_INLINE U u(uint32_t x) { return _mm512_set1_epi32(static_cast<int>(x)); }
  static NNINIT_INLINE F f(float x) { return _mm512_set1_ps(x); }
  static NNINIT_INLINE U load(const uint32_t* p) { return _mm512_loadu_si512(p); }
  static NNINIT_INLINE U add(U a, U b) { return _mm512_add_epi32(a, b); }
  static NNINIT_INLINE U sub(U a, U b) { return _mm512_sub_epi32(a, b); }
  static NNINIT_INLINE U xor_(U a, U b) { return _mm512_xor_si512(a, b); }
  static NNINIT_INLINE U or_(U a, U b) { return _mm512_or_si512(a, b); }
  static NNINIT_INLINE U and_(U a, U b) { return _mm512_and_si512(a, b); }
  static NNINIT_INLINE U shl(U a, int n) { return _mm512_slli_epi32(a, static_cast<unsigned>(n)); }
  static NNINIT_INLINE U shr(U a, int n) { return _mm512_srli_epi32(a, static_cast<unsigned>(n)); }
  static NNINIT_INLINE U rotl(U a, int n) { return _mm512_rolv_epi32(a, u(static_cast<uint32_t>(n))); }
  static NNINIT_INLINE U shlv(U a, U n) { return _mm512_sllv_epi32(a, n); }  // counts >= 32 give 0
  static NNINIT_INLINE U shrv(U a, U n) { return _mm512_srlv_epi32(a, n); }
  static NNINIT_INLINE M gt(U a, U b) { return _mm512_cmpgt_epi32_mask(a, b); }  // signed
  static NNINIT_INLINE M eq(U a, U b) { return _mm512_cmpeq_epi32_mask(a, b); }
  static NNINIT_INLINE U sel(M m, U a, U b) { return _mm512_mask_blend_epi32(m, b, a); }
  static NNINIT_INLINE bool all(M m) { return m == 0xffff; }
  static NNINIT_INLINE M mnot(M m) { return static_cast<M>(~m); }

  static NNINIT_INLINE F fadd(F a, F b) { return _mm512_add_ps(a, b); }
  static NNINIT_INLINE F fsub(F a, F b) { return _mm512_sub_ps(a, b); }
  static NNINIT_INLINE F fmul(F a, F b) { return _mm512_mul_ps(a, b); }
  static NNINIT_INLINE F fdiv(F a, F b) { return _mm512_div_ps(a, b); }
  static NNINIT_INLINE F fsqrt(F a) { return _mm512_sqrt_ps(a); }
  static NNINIT_INLINE F fabs(F a) { return from_bits(and_(bits(a), u(0x7fffffff))); }
  static NNINIT_INLINE F fneg(F a) { return from_bits(xor_(bits(a), u(0x80000000))); }
  static NNINIT_INLINE F cvt_i32(U a) { return _mm512_cvtepi32_ps(a); }
  static NNINIT_INLINE F cvt_u32(U a) { return _mm512_cvtepu32_ps(a); }  // RN32
  static NNINIT_INLINE U bits(F a) { return _mm512_castps_si512(a); }
  static NNINIT_INLINE F from_bits(U a) { return _mm512_castsi512_ps(a); }
  static NNINIT_INLINE M flt(F a, F b) { return _mm512_cmp_ps_mask(a, b, _CMP_LT_OQ); }
  static NNINIT_INLINE M fle(F a, F b) { return _mm512_cmp_ps_mask(a, b, _CMP_LE_OQ); }
  static NNINIT_INLINE M fgt(F a, F b) { return _mm512_cmp_ps_mask(a, b, _CMP_GT_OQ); }
  static NNINIT_INLINE F fsel(M m, F a, F b) { return _mm512_mask_blend_ps(m, b, a); }

  static NNINIT_INLINE U lane_ids() { return _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15); }
  // Stores the lanes of v whose mask is set, packed, at dst (writes 16); returns their count.
  static NNINIT_INLINE size_t compress(uint32_t* dst, U v, M m) {
    _mm512_storeu_si512(dst, _mm512_maskz_compress_epi32(m, v));
    return static_cast<size_t>(__builtin_popcount(m));
  }
  static NNINIT_INLINE F gather(const float* base, U idx) { return _mm512_i32gather_ps(idx, base, 4); }
  // contiguous kLanes floats (internal buffers; the st_*/nt_* output stores are per block)
  static NNINIT_INLINE void store(float* p, F v) { _mm512_storeu_ps(p, v); }
  static NNINIT_INLINE F ld_f32(const float* p) { return _mm512_loadu_ps(p); }

  // block-strided stores: lanes 0-7 at p, lanes 8-15 at p + kBlockSize
  static NNINIT_INLINE __m256 half(F v, int h) { return h == 0 ? _mm512_castps512_ps256(v) : _mm512_extractf32x8_ps(v, 1); }
  static NNINIT_INLINE void st_f32(float* p, F v) {
    _mm256_storeu_ps(p, half(v, 0));
    _mm256_storeu_ps(p + kBlockSize, half(v, 1));
  }
  // the first block's lanes only (the tail of a range: generic/kernels.h StoreFirst)
  static NNINIT_INLINE void st1_f32(float* p, F v) { _mm256_storeu_ps(p, half(v, 0)); }
  static NNINIT_INLINE void st1_f64(double* p, F v) { _mm512_storeu_pd(p, _mm512_cvtps_pd(half(v, 0))); }
  static NNINIT_INLINE void st1_u16(uint16_t* p, U v) {
    _mm_storeu_si128(reinterpret_cast<__m128i*>(p), _mm256_castsi256_si128(_mm512_cvtepi32_epi16(v)));
  }
  static NNINIT_INLINE void nt_f32(float* p, F v) {
    for (int h = 0; h < 2; ++h) {
      const __m256 x = half(v, h);
      _mm_stream_ps(p + h * kBlockSize, _mm256_castps256_ps128(x));
      _mm_stream_ps(p + h * kBlockSize + 4, _mm256_extractf128_ps(x, 1));
    }
  }
  static NNINIT_INLINE void st_f64(double* p, F v) {
    _mm512_storeu_pd(p, _mm512_cvtps_pd(half(v, 0)));
    _mm512_storeu_pd(p + kBlockSize, _mm512_cvtps_pd(half(v, 1)));
  }
  static NNINIT_INLINE void nt_f64(double* p, F v) {
    for (int h = 0; h < 2; ++h) {
      const __m512d d = _mm512_cvtps_pd(half(v, h));
      double* o = p + h * kBlockSize;  // the lane index must be an immediate: no loop over it
      _mm_stream_pd(o, _mm512_castpd512_pd128(d));  // (a loop compiled only once -O3 unrolled it)
      _mm_stream_pd(o + 2, _mm512_extractf64x2_pd(d, 1));
      _mm_stream_pd(o + 4, _mm512_extractf64x2_pd(d, 2));
      _mm_stream_pd(o + 6, _mm512_extractf64x2_pd(d, 3));
    }
  }
  // lanes hold values < 2^16: vpmovdw (truncation) is exact
  static NNINIT_INLINE void st_u16(uint16_t* p, U v) {
    const __m256i h = _mm512_cvtepi32_epi16(v);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(p), _mm256_castsi256_si128(h));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(p + kBlockSize), _mm256_extracti128_si256(h, 1));
  }
  static NNINIT_INLINE void nt_u16(uint16_t* p, U v) {
    const __m256i h = _mm512_cvtepi32_epi16(v);
    _mm_stream_si128(reinterpret_cast<__m128i*>(p), _mm256_castsi256_si128(h));
    _mm_stream_si128(reinterpret_cast<__m128i*>(p + kBlockSize), _mm256_extracti128_si256(h, 1));
  }
};
