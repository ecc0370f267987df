// The 128-bit store helpers both x86 vectors (avx2/vec.h, avx512/vec.h) share: SSE2 streaming
// stores need only a 16-byte aligned destination. Included inside the ISA's namespace and target
// region, by vec.h, which derives its V from X86Stores; no #include on purpose.

struct X86Stores {
  static constexpr bool kStreams = true;  // the nt_* stores are streaming stores
  static NNINIT_INLINE void fence() { _mm_sfence(); }
  static void fill16(char* p, size_t units, uint64_t pat, bool nt) {  // p is 16-byte aligned
    const __m128i v = _mm_set1_epi64x(static_cast<long long>(pat));
    __m128i* q = reinterpret_cast<__m128i*>(p);
    if (nt) {
      for (size_t i = 0; i < units; ++i) _mm_stream_si128(q + i, v);
      _mm_sfence();
    } else {
      for (size_t i = 0; i < units; ++i) _mm_store_si128(q + i, v);
    }
  }
};
