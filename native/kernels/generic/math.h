// Float32 elementary functions of the stream over a vector type V: log (Cephes logf, Estrin
// order), the Box–Muller radius, sin/cos of 2*pi*k/2^24, and Wichura's AS 241 inverse normal CDF.
// Implements docs/stream.md §5, §6 and §7 (ndtri32); mirrors lib/math/f32.ts operation for
// operation. Every + - * / sqrt is one IEEE float32 operation in the order written: the project
// builds with -ffp-contract=off and never uses FMA or -ffast-math, so each rounds exactly like
// Math.fround in the TypeScript reference. Branches of the reference become per-lane selects.
//
// Constants are written as double literals converted to float: RN32(RN64(literal)), exactly what
// Math.fround(literal) computes in lib/math/f32.ts.
// Lane masks (V::M) come from comparisons and feed selects only.
// Included inside an ISA namespace (see stream.h); no #include on purpose.

#define NNINIT_F32(x) static_cast<float>(x)

// ln(m * 2^E) for m in [1, 2) and integer lanes E (docs/stream.md §5).
template <class V>
NNINIT_INLINE typename V::F log_parts(typename V::F m, typename V::U E) {
  using F = typename V::F;
  const typename V::M split = V::flt(m, V::f(NNINIT_F32(1.41421353816986083984375)));
  const F one = V::f(1.0f);
  const F x = V::fsel(split, V::fsub(m, one), V::fsub(V::fmul(m, V::f(0.5f)), one));
  const F e = V::cvt_i32(V::sel(split, E, V::add(E, V::u(1))));
  const F z = V::fmul(x, x);
  const F z2 = V::fmul(z, z);
  const F a = V::fadd(V::f(NNINIT_F32(3.3333331174e-1)), V::fmul(V::f(NNINIT_F32(-2.4999993993e-1)), x));
  const F b = V::fadd(V::f(NNINIT_F32(2.0000714765e-1)), V::fmul(V::f(NNINIT_F32(-1.6668057665e-1)), x));
  const F c = V::fadd(V::f(NNINIT_F32(1.4249322787e-1)), V::fmul(V::f(NNINIT_F32(-1.2420140846e-1)), x));
  const F d = V::fadd(V::f(NNINIT_F32(1.1676998740e-1)), V::fmul(V::f(NNINIT_F32(-1.1514610310e-1)), x));
  const F ab = V::fadd(a, V::fmul(b, z));
  const F cd = V::fadd(c, V::fmul(d, z));
  const F abcd = V::fadd(ab, V::fmul(cd, z2));
  const F p = V::fadd(abcd, V::fmul(V::f(NNINIT_F32(7.0376836292e-2)), V::fmul(z2, z2)));
  F y = V::fmul(V::fmul(x, z), p);
  y = V::fadd(y, V::fmul(e, V::f(NNINIT_F32(-2.12194440e-4))));
  y = V::fadd(y, V::fmul(V::f(-0.5f), z));
  const F r = V::fadd(x, y);
  return V::fadd(r, V::fmul(e, V::f(NNINIT_F32(0.693359375))));
}

// ln(v) for positive normal float32 lanes v: split into mantissa m in [1, 2) and exponent E.
template <class V>
NNINIT_INLINE typename V::F log32(typename V::F v) {
  using U = typename V::U;
  const U bits = V::bits(v);
  const U E = V::sub(V::shr(bits, 23), V::u(127));
  const U m = V::or_(V::and_(bits, V::u(0x7fffff)), V::u(0x3f800000));
  return log_parts<V>(V::from_bits(m), E);
}

// Box–Muller radius from raw words w (docs/stream.md §6): u1 = RN32(w | 1) * 2^-32 in (0, 1]
// (exact scaling of a normal float), r = RN32(sqrt(-2 * log32(u1))). The exponent/mantissa split
// of u1 is the "m = RN32(w) / 2^E2, m = 2 -> 1" rule of the spec, done by the float format itself.
template <class V>
NNINIT_INLINE typename V::F bm_radius(typename V::U w) {
  const typename V::F u1 = V::fmul(V::cvt_u32(V::or_(w, V::u(1))), V::f(0x1p-32f));
  return V::fsqrt(V::fmul(V::f(-2.0f), log32<V>(u1)));
}

// cos and sin of theta = 2*pi*(x >> 8)/2^24 (docs/stream.md §6): exact integer quadrant
// reduction, Cephes sinf/cosf polynomials (Horner) on |phi| <= pi/4, sign/swap by quadrant.
template <class V>
NNINIT_INLINE void sincos_2pi(typename V::U x, typename V::F& c, typename V::F& s) {
  using F = typename V::F;
  using U = typename V::U;
  const U kk = V::and_(V::add(V::shr(x, 8), V::u(0x200000)), V::u(0xffffff));
  const U q = V::shr(kk, 22);
  const U i = V::sub(V::and_(kk, V::u(0x3fffff)), V::u(0x200000));
  const F phi = V::fmul(V::cvt_i32(i), V::f(NNINIT_F32(3.14159265358979323846 / 2) * 0x1p-22f));
  const F z = V::fmul(phi, phi);
  F ps = V::fadd(V::fmul(V::f(NNINIT_F32(-1.9515295891e-4)), z), V::f(NNINIT_F32(8.3321608736e-3)));
  ps = V::fadd(V::fmul(ps, z), V::f(NNINIT_F32(-1.6666654611e-1)));
  const F sn = V::fadd(V::fmul(V::fmul(ps, z), phi), phi);
  F pc = V::fadd(V::fmul(V::f(NNINIT_F32(2.443315711809948e-5)), z), V::f(NNINIT_F32(-1.388731625493765e-3)));
  pc = V::fadd(V::fmul(pc, z), V::f(NNINIT_F32(4.166664568298827e-2)));
  const F cs = V::fadd(V::fsub(V::fmul(V::fmul(pc, z), z), V::fmul(V::f(0.5f), z)), V::f(1.0f));
  // q: 0 -> (cs, sn), 1 -> (-sn, cs), 2 -> (-cs, -sn), 3 -> (sn, -cs)
  const typename V::M swap = V::eq(V::and_(q, V::u(1)), V::u(1));
  const U sign_c = V::shl(V::shr(V::add(q, V::u(1)), 1), 31);
  const U sign_s = V::shl(V::shr(q, 1), 31);
  c = V::from_bits(V::xor_(V::bits(V::fsel(swap, sn, cs)), sign_c));
  s = V::from_bits(V::xor_(V::bits(V::fsel(swap, cs, sn)), sign_s));
}

// Per-lane choice between two float32 constants.
template <class V>
NNINIT_INLINE typename V::F pick(typename V::M m, double a, double b) {
  return V::fsel(m, V::f(NNINIT_F32(a)), V::f(NNINIT_F32(b)));
}

// AS 241's tail rational function of t = sqrt(-ln r): t <= 5 uses the C/D coefficients around
// 1.6, t > 5 the E/F ones around 5. Both have the same operation sequence, so each lane selects
// its coefficients and the ops run once (bit-identical to the branchy reference).
template <class V>
NNINIT_INLINE typename V::F ndtri_tail(typename V::F t) {
  using F = typename V::F;
  const typename V::M n = V::fle(t, V::f(5.0f));
  const F u = V::fsub(t, pick<V>(n, 1.6, 5.0));
  F num = V::fadd(V::fmul(pick<V>(n, 0.17023821103, 0.017337203997), u), pick<V>(n, 1.3067284816, 0.42868294337));
  num = V::fadd(V::fmul(num, u), pick<V>(n, 2.75681539, 3.081226386));
  num = V::fadd(V::fmul(num, u), pick<V>(n, 1.4234372777, 6.657905115));
  F den = V::fadd(V::fmul(pick<V>(n, 0.12021132975, 0.012258202635), u), pick<V>(n, 0.7370016425, 0.24197894225));
  den = V::fadd(V::fmul(den, u), V::f(1.0f));
  return V::fdiv(num, den);
}

// AS 241's central region (docs/stream.md §7, first return): for lanes with |p - 0.5| <= 0.425
// (`central` is set to those lanes), z = RN32(RN32(q * num(r)) / den(r)), r = 0.180625 - q*q.
template <class V>
NNINIT_INLINE typename V::F ndtri_central(typename V::F p, typename V::M& central) {
  using F = typename V::F;
  const F q = V::fsub(p, V::f(0.5f));
  central = V::fle(V::fabs(q), V::f(NNINIT_F32(0.425)));
  const F r = V::fsub(V::f(NNINIT_F32(0.180625)), V::fmul(q, q));
  F num = V::fadd(V::fmul(V::f(NNINIT_F32(59.10937472)), r), V::f(NNINIT_F32(159.29113202)));
  num = V::fadd(V::fmul(num, r), V::f(NNINIT_F32(50.434271938)));
  num = V::fadd(V::fmul(num, r), V::f(NNINIT_F32(3.3871327179)));
  F den = V::fadd(V::fmul(V::f(NNINIT_F32(67.1875636)), r), V::f(NNINIT_F32(78.757757664)));
  den = V::fadd(V::fmul(den, r), V::f(NNINIT_F32(17.895169469)));
  den = V::fadd(V::fmul(den, r), V::f(1.0f));
  return V::fdiv(V::fmul(q, num), den);
}

// AS 241 outside the central region: t = sqrt(-log32(q < 0 ? p : 1 - p)), z = +-tail(t).
template <class V>
NNINIT_INLINE typename V::F ndtri_outer(typename V::F p) {
  using F = typename V::F;
  const typename V::M neg = V::flt(V::fsub(p, V::f(0.5f)), V::f(0.0f));
  const F rr = V::fsel(neg, p, V::fsub(V::f(1.0f), p));
  const F zt = ndtri_tail<V>(V::fsqrt(V::fneg(log32<V>(rr))));
  return V::fsel(neg, V::fneg(zt), zt);
}
