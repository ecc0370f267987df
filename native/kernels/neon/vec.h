// The AArch64 NEON vector: a pair of 128-bit registers holds the 8 lanes of a block. AArch64
// float ops are IEEE (FPCR.FZ is off under Linux/macOS user space); vdivq/vsqrtq round
// correctly; -ffp-contract=off keeps vmul+vadd from fusing into vfma. No streaming stores.
// Included inside namespace nninit::neon (kernels.cc). UNTESTED on hardware so far.

struct V {
  static constexpr int kBlocks = 1, kLanes = 8;
  static constexpr bool kStreams = false;  // nt_* are the plain stores
  struct U { uint32x4_t a, b; };
  struct F { float32x4_t a, b; };
  using M = U;  // lane masks: all-ones / all-zeros lanes
  static NNINIT_INLINE U u(uint32_t x) { return {vdupq_n_u32(x), vdupq_n_u32(x)}; }
  static NNINIT_INLINE F f(float x) { return {vdupq_n_f32(x), vdupq_n_f32(x)}; }
  static NNINIT_INLINE U load(const uint32_t* p) { return {vld1q_u32(p), vld1q_u32(p + 4)}; }
  static NNINIT_INLINE U add(U x, U y) { return {vaddq_u32(x.a, y.a), vaddq_u32(x.b, y.b)}; }
  static NNINIT_INLINE U sub(U x, U y) { return {vsubq_u32(x.a, y.a), vsubq_u32(x.b, y.b)}; }
  static NNINIT_INLINE U xor_(U x, U y) { return {veorq_u32(x.a, y.a), veorq_u32(x.b, y.b)}; }
  static NNINIT_INLINE U or_(U x, U y) { return {vorrq_u32(x.a, y.a), vorrq_u32(x.b, y.b)}; }
  static NNINIT_INLINE U and_(U x, U y) { return {vandq_u32(x.a, y.a), vandq_u32(x.b, y.b)}; }
  // register-count shifts (vshlq_u32: negative counts shift right; |count| >= 32 gives 0)
  static NNINIT_INLINE U shl(U x, int n) { const int32x4_t c = vdupq_n_s32(n); return {vshlq_u32(x.a, c), vshlq_u32(x.b, c)}; }
  static NNINIT_INLINE U shr(U x, int n) { const int32x4_t c = vdupq_n_s32(-n); return {vshlq_u32(x.a, c), vshlq_u32(x.b, c)}; }
  static NNINIT_INLINE U rotl(U x, int n) { return or_(shl(x, n), shr(x, 32 - n)); }
  // Variable shifts with counts >= 32 (as unsigned) giving 0: clamp the count to 32 first.
  static NNINIT_INLINE int32x4_t cnt(uint32x4_t n) { return vreinterpretq_s32_u32(vminq_u32(n, vdupq_n_u32(32))); }
  static NNINIT_INLINE U shlv(U x, U n) { return {vshlq_u32(x.a, cnt(n.a)), vshlq_u32(x.b, cnt(n.b))}; }
  static NNINIT_INLINE U shrv(U x, U n) {
    return {vshlq_u32(x.a, vnegq_s32(cnt(n.a))), vshlq_u32(x.b, vnegq_s32(cnt(n.b)))};
  }
  static NNINIT_INLINE U gt(U x, U y) {  // signed
    return {vcgtq_s32(vreinterpretq_s32_u32(x.a), vreinterpretq_s32_u32(y.a)),
            vcgtq_s32(vreinterpretq_s32_u32(x.b), vreinterpretq_s32_u32(y.b))};
  }
  static NNINIT_INLINE U eq(U x, U y) { return {vceqq_u32(x.a, y.a), vceqq_u32(x.b, y.b)}; }
  static NNINIT_INLINE U sel(U m, U x, U y) { return {vbslq_u32(m.a, x.a, y.a), vbslq_u32(m.b, x.b, y.b)}; }
  static NNINIT_INLINE bool all(U m) { return vminvq_u32(vandq_u32(m.a, m.b)) != 0; }
  static NNINIT_INLINE M mnot(M m) { return {vmvnq_u32(m.a), vmvnq_u32(m.b)}; }

  static NNINIT_INLINE F fadd(F x, F y) { return {vaddq_f32(x.a, y.a), vaddq_f32(x.b, y.b)}; }
  static NNINIT_INLINE F fsub(F x, F y) { return {vsubq_f32(x.a, y.a), vsubq_f32(x.b, y.b)}; }
  static NNINIT_INLINE F fmul(F x, F y) { return {vmulq_f32(x.a, y.a), vmulq_f32(x.b, y.b)}; }
  static NNINIT_INLINE F fdiv(F x, F y) { return {vdivq_f32(x.a, y.a), vdivq_f32(x.b, y.b)}; }
  static NNINIT_INLINE F fsqrt(F x) { return {vsqrtq_f32(x.a), vsqrtq_f32(x.b)}; }
  static NNINIT_INLINE F fabs(F x) { return {vabsq_f32(x.a), vabsq_f32(x.b)}; }
  static NNINIT_INLINE F fneg(F x) { return {vnegq_f32(x.a), vnegq_f32(x.b)}; }
  static NNINIT_INLINE F cvt_i32(U x) {
    return {vcvtq_f32_s32(vreinterpretq_s32_u32(x.a)), vcvtq_f32_s32(vreinterpretq_s32_u32(x.b))};
  }
  static NNINIT_INLINE F cvt_u32(U x) { return {vcvtq_f32_u32(x.a), vcvtq_f32_u32(x.b)}; }  // RN32
  static NNINIT_INLINE U bits(F x) { return {vreinterpretq_u32_f32(x.a), vreinterpretq_u32_f32(x.b)}; }
  static NNINIT_INLINE F from_bits(U x) { return {vreinterpretq_f32_u32(x.a), vreinterpretq_f32_u32(x.b)}; }
  static NNINIT_INLINE U flt(F x, F y) { return {vcltq_f32(x.a, y.a), vcltq_f32(x.b, y.b)}; }
  static NNINIT_INLINE U fle(F x, F y) { return {vcleq_f32(x.a, y.a), vcleq_f32(x.b, y.b)}; }
  static NNINIT_INLINE U fgt(F x, F y) { return {vcgtq_f32(x.a, y.a), vcgtq_f32(x.b, y.b)}; }
  static NNINIT_INLINE F fsel(U m, F x, F y) { return {vbslq_f32(m.a, x.a, y.a), vbslq_f32(m.b, x.b, y.b)}; }

  static NNINIT_INLINE U lane_ids() {
    static const uint32_t ids[8] = {0, 1, 2, 3, 4, 5, 6, 7};
    return load(ids);
  }
  // Stores the lanes of v whose mask is set, packed, at dst (writes up to 8); returns their count.
  static NNINIT_INLINE size_t compress(uint32_t* dst, U v, M m) {
    uint32_t vv[8], mm[8];
    vst1q_u32(vv, v.a); vst1q_u32(vv + 4, v.b);
    vst1q_u32(mm, m.a); vst1q_u32(mm + 4, m.b);
    size_t k = 0;
    for (int i = 0; i < 8; ++i) { dst[k] = vv[i]; k += mm[i] != 0; }
    return k;
  }
  static NNINIT_INLINE F gather(const float* base, U idx) {
    uint32_t ii[8];
    float r[8];
    vst1q_u32(ii, idx.a); vst1q_u32(ii + 4, idx.b);
    for (int i = 0; i < 8; ++i) r[i] = base[ii[i]];
    return ld_f32(r);
  }
  // contiguous kLanes floats (internal buffers; the st_*/nt_* output stores are per block)
  static NNINIT_INLINE void store(float* p, F v) { st_f32(p, v); }
  static NNINIT_INLINE F ld_f32(const float* p) { return {vld1q_f32(p), vld1q_f32(p + 4)}; }
  static NNINIT_INLINE void st_f32(float* p, F v) { vst1q_f32(p, v.a); vst1q_f32(p + 4, v.b); }
  static NNINIT_INLINE void st_f64(double* p, F v) {
    vst1q_f64(p, vcvt_f64_f32(vget_low_f32(v.a)));
    vst1q_f64(p + 2, vcvt_high_f64_f32(v.a));
    vst1q_f64(p + 4, vcvt_f64_f32(vget_low_f32(v.b)));
    vst1q_f64(p + 6, vcvt_high_f64_f32(v.b));
  }
  static NNINIT_INLINE void st_u16(uint16_t* p, U v) { vst1q_u16(p, vcombine_u16(vmovn_u32(v.a), vmovn_u32(v.b))); }
  static NNINIT_INLINE void nt_f32(float* p, F v) { st_f32(p, v); }
  static NNINIT_INLINE void nt_f64(double* p, F v) { st_f64(p, v); }
  static NNINIT_INLINE void nt_u16(uint16_t* p, U v) { st_u16(p, v); }
  static NNINIT_INLINE void fence() {}
  static void fill16(char* p, size_t units, uint64_t pat, bool) {
    const uint64x2_t v = vdupq_n_u64(pat);
    for (size_t i = 0; i < units; ++i) vst1q_u64(reinterpret_cast<uint64_t*>(p + 16 * i), v);
  }
};
