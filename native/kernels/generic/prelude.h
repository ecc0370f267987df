// Macros shared by the generic kernel headers (native/kernels/generic/*.h).
#ifndef NNINIT_KERNELS_GENERIC_PRELUDE_H_
#define NNINIT_KERNELS_GENERIC_PRELUDE_H_

#define NNINIT_INLINE inline __attribute__((always_inline))

#endif  // NNINIT_KERNELS_GENERIC_PRELUDE_H_
