// The portable "vector" of the scalar ISA: 8 u32 / f32 lanes as plain arrays, one loop per
// operation. The compiler may auto-vectorize these loops at the baseline ISA (SSE2 on x86-64),
// which changes nothing: every lane is an independent IEEE float32 operation.
// Included inside namespace nninit::scalar (native/kernels/scalar/kernels.cc).

struct V {
  static constexpr int kBlocks = 1, kLanes = 8;
  static constexpr bool kStreams = false;  // nt_* are the plain stores
  struct U { uint32_t v[8]; };
  struct F { float v[8]; };
  using M = U;  // lane masks: all-ones / all-zeros lanes
#define NNINIT_L for (int i = 0; i < 8; ++i)
  static NNINIT_INLINE U u(uint32_t x) { U r; NNINIT_L r.v[i] = x; return r; }
  static NNINIT_INLINE F f(float x) { F r; NNINIT_L r.v[i] = x; return r; }
  static NNINIT_INLINE U load(const uint32_t* p) { U r; NNINIT_L r.v[i] = p[i]; return r; }
  static NNINIT_INLINE U add(U a, U b) { NNINIT_L a.v[i] += b.v[i]; return a; }
  static NNINIT_INLINE U sub(U a, U b) { NNINIT_L a.v[i] -= b.v[i]; return a; }
  static NNINIT_INLINE U xor_(U a, U b) { NNINIT_L a.v[i] ^= b.v[i]; return a; }
  static NNINIT_INLINE U or_(U a, U b) { NNINIT_L a.v[i] |= b.v[i]; return a; }
  static NNINIT_INLINE U and_(U a, U b) { NNINIT_L a.v[i] &= b.v[i]; return a; }
  static NNINIT_INLINE U shl(U a, int n) { NNINIT_L a.v[i] <<= n; return a; }
  static NNINIT_INLINE U shr(U a, int n) { NNINIT_L a.v[i] >>= n; return a; }
  static NNINIT_INLINE U rotl(U a, int n) { NNINIT_L a.v[i] = (a.v[i] << n) | (a.v[i] >> (32 - n)); return a; }
  // Variable shifts: counts >= 32 (as unsigned) give 0, like AVX2's vpsllvd/vpsrlvd.
  static NNINIT_INLINE U shlv(U a, U n) { NNINIT_L a.v[i] = n.v[i] < 32 ? a.v[i] << n.v[i] : 0; return a; }
  static NNINIT_INLINE U shrv(U a, U n) { NNINIT_L a.v[i] = n.v[i] < 32 ? a.v[i] >> n.v[i] : 0; return a; }
  static NNINIT_INLINE U gt(U a, U b) {  // signed 32-bit compare
    U r; NNINIT_L r.v[i] = static_cast<int32_t>(a.v[i]) > static_cast<int32_t>(b.v[i]) ? ~0u : 0u; return r;
  }
  static NNINIT_INLINE U eq(U a, U b) { U r; NNINIT_L r.v[i] = a.v[i] == b.v[i] ? ~0u : 0u; return r; }
  static NNINIT_INLINE U sel(U m, U a, U b) { NNINIT_L a.v[i] = m.v[i] ? a.v[i] : b.v[i]; return a; }
  static NNINIT_INLINE bool all(U m) { uint32_t r = ~0u; NNINIT_L r &= m.v[i]; return r != 0; }
  static NNINIT_INLINE M mnot(M m) { NNINIT_L m.v[i] = ~m.v[i]; return m; }

  static NNINIT_INLINE F fadd(F a, F b) { NNINIT_L a.v[i] = a.v[i] + b.v[i]; return a; }
  static NNINIT_INLINE F fsub(F a, F b) { NNINIT_L a.v[i] = a.v[i] - b.v[i]; return a; }
  static NNINIT_INLINE F fmul(F a, F b) { NNINIT_L a.v[i] = a.v[i] * b.v[i]; return a; }
  static NNINIT_INLINE F fdiv(F a, F b) { NNINIT_L a.v[i] = a.v[i] / b.v[i]; return a; }
  static NNINIT_INLINE F fsqrt(F a) { NNINIT_L a.v[i] = __builtin_sqrtf(a.v[i]); return a; }
  static NNINIT_INLINE F fabs(F a) { return from_bits(and_(bits(a), u(0x7fffffff))); }
  static NNINIT_INLINE F fneg(F a) { return from_bits(xor_(bits(a), u(0x80000000))); }
  static NNINIT_INLINE F cvt_i32(U a) { F r; NNINIT_L r.v[i] = static_cast<float>(static_cast<int32_t>(a.v[i])); return r; }
  static NNINIT_INLINE F cvt_u32(U a) { F r; NNINIT_L r.v[i] = static_cast<float>(a.v[i]); return r; }  // RN32
  static NNINIT_INLINE U bits(F a) { U r; __builtin_memcpy(&r, &a, 32); return r; }
  static NNINIT_INLINE F from_bits(U a) { F r; __builtin_memcpy(&r, &a, 32); return r; }
  static NNINIT_INLINE U flt(F a, F b) { U r; NNINIT_L r.v[i] = a.v[i] < b.v[i] ? ~0u : 0u; return r; }
  static NNINIT_INLINE U fle(F a, F b) { U r; NNINIT_L r.v[i] = a.v[i] <= b.v[i] ? ~0u : 0u; return r; }
  static NNINIT_INLINE U fgt(F a, F b) { U r; NNINIT_L r.v[i] = a.v[i] > b.v[i] ? ~0u : 0u; return r; }
  static NNINIT_INLINE F fsel(U m, F a, F b) { NNINIT_L a.v[i] = m.v[i] ? a.v[i] : b.v[i]; return a; }

  static NNINIT_INLINE U lane_ids() { U r; NNINIT_L r.v[i] = static_cast<uint32_t>(i); return r; }
  // Stores the lanes of v whose mask is set, packed, at dst (writes up to 8); returns their count.
  static NNINIT_INLINE size_t compress(uint32_t* dst, U v, M m) {
    size_t k = 0;
    NNINIT_L { dst[k] = v.v[i]; k += m.v[i] != 0; }
    return k;
  }
  static NNINIT_INLINE F gather(const float* base, U idx) { F r; NNINIT_L r.v[i] = base[idx.v[i]]; return r; }
  // contiguous kLanes floats (internal buffers; the st_*/nt_* output stores are per block)
  static NNINIT_INLINE void store(float* p, F v) { st_f32(p, v); }
  static NNINIT_INLINE F ld_f32(const float* p) { F r; NNINIT_L r.v[i] = p[i]; return r; }
  static NNINIT_INLINE void st_f32(float* p, F v) { NNINIT_L p[i] = v.v[i]; }
  static NNINIT_INLINE void st_f64(double* p, F v) { NNINIT_L p[i] = static_cast<double>(v.v[i]); }
  static NNINIT_INLINE void st_u16(uint16_t* p, U v) { NNINIT_L p[i] = static_cast<uint16_t>(v.v[i]); }
  // No portable streaming stores: the nt variants are regular stores.
  static NNINIT_INLINE void nt_f32(float* p, F v) { st_f32(p, v); }
  static NNINIT_INLINE void nt_f64(double* p, F v) { st_f64(p, v); }
  static NNINIT_INLINE void nt_u16(uint16_t* p, U v) { st_u16(p, v); }
  static NNINIT_INLINE void fence() {}
  static void fill16(char* p, size_t units, uint64_t pat, bool) {
    uint64_t* q = reinterpret_cast<uint64_t*>(p);  // p is 16-byte aligned
    for (size_t i = 0; i < 2 * units; ++i) q[i] = pat;
  }
#undef NNINIT_L
};
