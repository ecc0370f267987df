// float32 -> bfloat16 / float16 conversion, round to nearest even, on the float32 bit pattern
// (docs/stream.md §8), scalar and over a vector type V, with integer operations only. Mirrors
// lib/math/halfFloat.ts step by step (F16C's vcvtps2ph is not used: integer code gives the same
// bits on every ISA by construction, subnormals and overflow included).
// Included inside an ISA namespace (see stream.h); no #include on purpose.

// bfloat16: top 16 bits after adding 0x7FFF + ((bits >> 16) & 1).
NNINIT_INLINE uint16_t bf16_from_bits(uint32_t b) {
  return static_cast<uint16_t>((b + 0x7fffu + ((b >> 16) & 1u)) >> 16);
}

// float16 (IEEE binary16): overflow (|x| >= 65520) to +-Inf, NaN to 0x7E00, exact subnormals.
NNINIT_INLINE uint16_t f16_from_bits(uint32_t b) {
  const uint32_t sign = (b >> 16) & 0x8000u;
  const uint32_t a = b & 0x7fffffffu;
  if (a >= 0x477ff000u) return static_cast<uint16_t>(sign | (a > 0x7f800000u ? 0x7e00u : 0x7c00u));
  if (a >= 0x38800000u) return static_cast<uint16_t>(sign | ((a + 0xfffu + ((a >> 13) & 1u) - 0x38000000u) >> 13));
  if (a <= 0x33000000u) return static_cast<uint16_t>(sign);
  const uint32_t s = 126u - (a >> 23);                // 14..24
  const uint32_t m = (a & 0x7fffffu) | 0x800000u;
  // round m / 2^s to nearest even: (m + half - 1 + lsb) >> s
  return static_cast<uint16_t>(sign | ((m + (1u << (s - 1)) - 1u + ((m >> s) & 1u)) >> s));
}

template <class V>
NNINIT_INLINE typename V::U bf16_bits(typename V::U b) {
  return V::shr(V::add(V::add(b, V::u(0x7fff)), V::and_(V::shr(b, 16), V::u(1))), 16);
}

// Vector float16: every case computed, then selected. Shift counts outside 0..31 (lanes that are
// not subnormal) give 0 by V's shlv/shrv contract; those lanes are discarded by the selects.
template <class V>
NNINIT_INLINE typename V::U f16_bits(typename V::U b) {
  using U = typename V::U;
  const U sign = V::and_(V::shr(b, 16), V::u(0x8000));
  const U a = V::and_(b, V::u(0x7fffffff));  // non-negative as int32: signed compares are exact
  const U inf = V::sel(V::gt(a, V::u(0x7f800000)), V::u(0x7e00), V::u(0x7c00));
  const U norm = V::shr(V::sub(V::add(V::add(a, V::u(0xfff)), V::and_(V::shr(a, 13), V::u(1))), V::u(0x38000000)), 13);
  const U s = V::sub(V::u(126), V::shr(a, 23));
  const U m = V::or_(V::and_(a, V::u(0x7fffff)), V::u(0x800000));
  const U half_m1 = V::sub(V::shlv(V::u(1), V::sub(s, V::u(1))), V::u(1));
  const U sub = V::shrv(V::add(V::add(m, half_m1), V::and_(V::shrv(m, s), V::u(1))), s);
  U r = V::sel(V::gt(a, V::u(0x33000000)), sub, V::u(0));
  r = V::sel(V::gt(a, V::u(0x387fffff)), norm, r);
  r = V::sel(V::gt(a, V::u(0x477fefff)), inf, r);
  return V::or_(sign, r);
}
