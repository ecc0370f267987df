// The WebAssembly SIMD128 vector: a pair of v128 registers (4 lanes each) holds the 8 lanes of a
// block, as on NEON. WebAssembly float arithmetic is IEEE binary32 with round-to-nearest-even and
// subnormals (no flush to zero); f32x4.div/sqrt round correctly; the module is built with
// -ffp-contract=off and without relaxed-simd, so no operation is fused or approximated.
// NaN sign/payload bits are non-deterministic in WebAssembly, but no kernel produces a NaN from
// finite parameters (the same holds for every other ISA). No streaming stores.
// Included inside namespace nninit::wasm (kernels.cc).
//
// Notes on V8's lowering (x64): f32x4.convert_i32x4_u and per-lane variable shifts have no single
// SSE/AVX instruction. cvt_u32 is therefore done with two signed conversions (exact, see below);
// shlv/shrv, used by the float16 store only, go lane by lane.

struct V {
  static constexpr int kBlocks = 1, kLanes = 8;
  static constexpr bool kStreams = false;  // nt_* are the plain stores
  struct U { v128_t a, b; };
  struct F { v128_t a, b; };
  using M = U;  // lane masks: all-ones / all-zeros lanes
  static NNINIT_INLINE U u(uint32_t x) { return {wasm_u32x4_splat(x), wasm_u32x4_splat(x)}; }
  static NNINIT_INLINE F f(float x) { return {wasm_f32x4_splat(x), wasm_f32x4_splat(x)}; }
  static NNINIT_INLINE U load(const uint32_t* p) { return {wasm_v128_load(p), wasm_v128_load(p + 4)}; }
  static NNINIT_INLINE U add(U x, U y) { return {wasm_i32x4_add(x.a, y.a), wasm_i32x4_add(x.b, y.b)}; }
  static NNINIT_INLINE U sub(U x, U y) { return {wasm_i32x4_sub(x.a, y.a), wasm_i32x4_sub(x.b, y.b)}; }
  static NNINIT_INLINE U xor_(U x, U y) { return {wasm_v128_xor(x.a, y.a), wasm_v128_xor(x.b, y.b)}; }
  static NNINIT_INLINE U or_(U x, U y) { return {wasm_v128_or(x.a, y.a), wasm_v128_or(x.b, y.b)}; }
  static NNINIT_INLINE U and_(U x, U y) { return {wasm_v128_and(x.a, y.a), wasm_v128_and(x.b, y.b)}; }
  // Immediate-style shifts: the generic code only shifts by constants in 1..31 (WebAssembly takes
  // the count modulo 32, so 0 and 32 would not give what the scalar reference gives).
  static NNINIT_INLINE U shl(U x, int n) { return {wasm_i32x4_shl(x.a, n), wasm_i32x4_shl(x.b, n)}; }
  static NNINIT_INLINE U shr(U x, int n) { return {wasm_u32x4_shr(x.a, n), wasm_u32x4_shr(x.b, n)}; }
  static NNINIT_INLINE U rotl(U x, int n) { return or_(shl(x, n), shr(x, 32 - n)); }
  // Variable shifts with counts >= 32 (as unsigned) giving 0 (scalar/vec.h's contract), per lane.
  static NNINIT_INLINE U shlv(U x, U n) {
    alignas(16) uint32_t xv[8], nv[8];
    st_u32(xv, x);
    st_u32(nv, n);
    for (int i = 0; i < 8; ++i) xv[i] = nv[i] < 32 ? xv[i] << nv[i] : 0;
    return load(xv);
  }
  static NNINIT_INLINE U shrv(U x, U n) {
    alignas(16) uint32_t xv[8], nv[8];
    st_u32(xv, x);
    st_u32(nv, n);
    for (int i = 0; i < 8; ++i) xv[i] = nv[i] < 32 ? xv[i] >> nv[i] : 0;
    return load(xv);
  }
  static NNINIT_INLINE U gt(U x, U y) { return {wasm_i32x4_gt(x.a, y.a), wasm_i32x4_gt(x.b, y.b)}; }  // signed
  static NNINIT_INLINE U eq(U x, U y) { return {wasm_i32x4_eq(x.a, y.a), wasm_i32x4_eq(x.b, y.b)}; }
  // bitselect(a, b, m): bits of a where m is set, else b
  static NNINIT_INLINE U sel(U m, U x, U y) { return {wasm_v128_bitselect(x.a, y.a, m.a), wasm_v128_bitselect(x.b, y.b, m.b)}; }
  static NNINIT_INLINE bool all(U m) { return wasm_i32x4_all_true(wasm_v128_and(m.a, m.b)); }
  static NNINIT_INLINE M mnot(M m) { return {wasm_v128_not(m.a), wasm_v128_not(m.b)}; }

  static NNINIT_INLINE F fadd(F x, F y) { return {wasm_f32x4_add(x.a, y.a), wasm_f32x4_add(x.b, y.b)}; }
  static NNINIT_INLINE F fsub(F x, F y) { return {wasm_f32x4_sub(x.a, y.a), wasm_f32x4_sub(x.b, y.b)}; }
  static NNINIT_INLINE F fmul(F x, F y) { return {wasm_f32x4_mul(x.a, y.a), wasm_f32x4_mul(x.b, y.b)}; }
  static NNINIT_INLINE F fdiv(F x, F y) { return {wasm_f32x4_div(x.a, y.a), wasm_f32x4_div(x.b, y.b)}; }
  static NNINIT_INLINE F fsqrt(F x) { return {wasm_f32x4_sqrt(x.a), wasm_f32x4_sqrt(x.b)}; }
  static NNINIT_INLINE F fabs(F x) { return {wasm_f32x4_abs(x.a), wasm_f32x4_abs(x.b)}; }  // clears the sign bit
  static NNINIT_INLINE F fneg(F x) { return {wasm_f32x4_neg(x.a), wasm_f32x4_neg(x.b)}; }  // flips the sign bit
  static NNINIT_INLINE F cvt_i32(U x) { return {wasm_f32x4_convert_i32x4(x.a), wasm_f32x4_convert_i32x4(x.b)}; }
  // RN32 of a u32 with signed conversions only: hi = x >> 16 and lo = x & 0xffff convert exactly,
  // hi * 2^16 is exact, and the one addition rounds the exact value x once: RN32(x).
  static NNINIT_INLINE v128_t cvt_u32_1(v128_t x) {
    const v128_t hi = wasm_f32x4_convert_i32x4(wasm_u32x4_shr(x, 16));
    const v128_t lo = wasm_f32x4_convert_i32x4(wasm_v128_and(x, wasm_u32x4_splat(0xffff)));
    return wasm_f32x4_add(wasm_f32x4_mul(hi, wasm_f32x4_splat(65536.0f)), lo);
  }
  static NNINIT_INLINE F cvt_u32(U x) { return {cvt_u32_1(x.a), cvt_u32_1(x.b)}; }  // RN32
  static NNINIT_INLINE U bits(F x) { return {x.a, x.b}; }
  static NNINIT_INLINE F from_bits(U x) { return {x.a, x.b}; }
  static NNINIT_INLINE U flt(F x, F y) { return {wasm_f32x4_lt(x.a, y.a), wasm_f32x4_lt(x.b, y.b)}; }
  static NNINIT_INLINE U fle(F x, F y) { return {wasm_f32x4_le(x.a, y.a), wasm_f32x4_le(x.b, y.b)}; }
  static NNINIT_INLINE U fgt(F x, F y) { return {wasm_f32x4_gt(x.a, y.a), wasm_f32x4_gt(x.b, y.b)}; }
  static NNINIT_INLINE F fsel(U m, F x, F y) { return {wasm_v128_bitselect(x.a, y.a, m.a), wasm_v128_bitselect(x.b, y.b, m.b)}; }

  static NNINIT_INLINE U lane_ids() { return {wasm_u32x4_make(0, 1, 2, 3), wasm_u32x4_make(4, 5, 6, 7)}; }
  // Stores the lanes of v whose mask is set, packed, at dst (writes up to 8); returns their count.
  static NNINIT_INLINE size_t compress(uint32_t* dst, U v, M m) {
    alignas(16) uint32_t vv[8], mm[8];
    st_u32(vv, v);
    st_u32(mm, m);
    size_t k = 0;
    for (int i = 0; i < 8; ++i) { dst[k] = vv[i]; k += mm[i] != 0; }
    return k;
  }
  static NNINIT_INLINE F gather(const float* base, U idx) {
    alignas(16) uint32_t ii[8];
    alignas(16) float r[8];
    st_u32(ii, idx);
    for (int i = 0; i < 8; ++i) r[i] = base[ii[i]];
    return ld_f32(r);
  }
  static NNINIT_INLINE void st_u32(uint32_t* p, U v) { wasm_v128_store(p, v.a); wasm_v128_store(p + 4, v.b); }
  // contiguous kLanes floats (internal buffers; the st_*/nt_* output stores are per block)
  static NNINIT_INLINE void store(float* p, F v) { st_f32(p, v); }
  static NNINIT_INLINE F ld_f32(const float* p) { return {wasm_v128_load(p), wasm_v128_load(p + 4)}; }
  static NNINIT_INLINE void st_f32(float* p, F v) { wasm_v128_store(p, v.a); wasm_v128_store(p + 4, v.b); }
  static NNINIT_INLINE void st_f64(double* p, F v) {  // exact widening
    wasm_v128_store(p, wasm_f64x2_promote_low_f32x4(v.a));
    wasm_v128_store(p + 2, wasm_f64x2_promote_low_f32x4(wasm_i32x4_shuffle(v.a, v.a, 2, 3, 2, 3)));
    wasm_v128_store(p + 4, wasm_f64x2_promote_low_f32x4(v.b));
    wasm_v128_store(p + 6, wasm_f64x2_promote_low_f32x4(wasm_i32x4_shuffle(v.b, v.b, 2, 3, 2, 3)));
  }
  // the low 16 bits of each lane (truncation, not narrow_i32x4's saturation)
  static NNINIT_INLINE void st_u16(uint16_t* p, U v) { wasm_v128_store(p, wasm_i16x8_shuffle(v.a, v.b, 0, 2, 4, 6, 8, 10, 12, 14)); }
  static NNINIT_INLINE void nt_f32(float* p, F v) { st_f32(p, v); }
  static NNINIT_INLINE void nt_f64(double* p, F v) { st_f64(p, v); }
  static NNINIT_INLINE void nt_u16(uint16_t* p, U v) { st_u16(p, v); }
  static NNINIT_INLINE void fence() {}
  static void fill16(char* p, size_t units, uint64_t pat, bool) {
    const v128_t v = wasm_u64x2_splat(pat);
    for (size_t i = 0; i < units; ++i) wasm_v128_store(p + 16 * i, v);
  }
};
