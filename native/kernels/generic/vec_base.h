// Defaults a vector type V takes by deriving from VecBase<V> (CRTP): the ziggurat's table
// lookups as gathers (a 128-entry table costs one gather like any other), lane packing by bit
// scan, and mask and/or for masks that are all-ones / all-zeros lanes. AVX-512 (register
// tables, __mmask16 masks, vpcompressd) has its own. V is incomplete here, so the members that
// take its types are templates.
// Included inside an ISA namespace before that ISA's vec.h; no #include on purpose.

template <class D>
struct VecBase {
  using Lut = const float*;
  static NNINIT_INLINE Lut lut_load(const float* t) { return t; }
  template <class U>
  static NNINIT_INLINE auto lut(Lut t, U idx) { return D::gather(t, idx); }
  // Writes base + c for every lane c whose bit is set in `bits`, packed, at dst; returns the count.
  static NNINIT_INLINE size_t pack_lanes(uint32_t* dst, uint32_t base, uint32_t bits) {
    size_t k = 0;
    for (uint32_t b = bits; b != 0; b &= b - 1) dst[k++] = base + static_cast<uint32_t>(__builtin_ctz(b));
    return k;
  }
  template <class M>
  static NNINIT_INLINE M mand(M a, M b) { return D::and_(a, b); }
  template <class M>
  static NNINIT_INLINE M mor(M a, M b) { return D::or_(a, b); }
};
