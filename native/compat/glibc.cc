// Portable-prebuild shim: lets a binary built against a new glibc (Debian 12: 2.36) load on glibc
// >= 2.28 (RHEL 8, Ubuntu 20.04, Debian 10). Compiled and linked only into the prebuilt binaries
// (binding.gyp's `nninit_portable`, set by scripts/prebuilds.sh), never into a source build.
//
// Why: glibc 2.34 moved the pthread and dl functions into libc.so.6 under a new symbol version
// (pthread_create@@GLIBC_2.34, dlopen@@GLIBC_2.34), and the linker binds every reference to the
// newest version. An older glibc has no GLIBC_2.34, so the binary would not load at all. libstdc++
// and libgcc_eh are linked statically (no GLIBCXX_/CXXABI_ dependency) and bring references of
// their own, so a .symver in our sources alone cannot reach them. Instead the link wraps each
// such symbol (-Wl,--wrap=NAME in binding.gyp: every undefined reference to NAME, in any object or
// archive member, becomes __wrap_NAME) and __wrap_NAME below calls NAME at the architecture's
// base version (GLIBC_2.2.5 on x86-64, GLIBC_2.17 on arm64), which every glibc still exports
// (from libc.so.6 on >= 2.34, from libpthread.so.0 / libdl.so.2 before; the link adds both to
// DT_NEEDED so that either layout resolves them).
//
// The list is exactly what the static link references above 2.28; scripts/check-prebuilds.sh
// fails on any GLIBC_ version above 2.28, so a new reference shows up there and is added here.
#include <dlfcn.h>
#include <pthread.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstdint>

#if !defined(__linux__) || !defined(__GLIBC__)
#error "native/compat/glibc.cc is for glibc Linux prebuilds only"
#endif

#if defined(__x86_64__)
#define NNINIT_GLIBC_BASE "GLIBC_2.2.5"
#elif defined(__aarch64__)
#define NNINIT_GLIBC_BASE "GLIBC_2.17"
#else
#error "no glibc base version known for this architecture"
#endif

// nninit_base_NAME is NAME@<base version>; __wrap_NAME forwards to it.
#define NNINIT_BASE(name) __asm__(".symver nninit_base_" #name "," #name "@" NNINIT_GLIBC_BASE)

extern "C" {

NNINIT_BASE(pthread_create);
NNINIT_BASE(pthread_join);
NNINIT_BASE(pthread_detach);
NNINIT_BASE(pthread_once);
NNINIT_BASE(pthread_key_create);
NNINIT_BASE(pthread_key_delete);
NNINIT_BASE(pthread_getspecific);
NNINIT_BASE(pthread_setspecific);
NNINIT_BASE(pthread_attr_setstacksize);
NNINIT_BASE(dlopen);
NNINIT_BASE(dladdr);

int nninit_base_pthread_create(pthread_t*, const pthread_attr_t*, void* (*)(void*), void*);
int nninit_base_pthread_join(pthread_t, void**);
int nninit_base_pthread_detach(pthread_t);
int nninit_base_pthread_once(pthread_once_t*, void (*)());
int nninit_base_pthread_key_create(pthread_key_t*, void (*)(void*));
int nninit_base_pthread_key_delete(pthread_key_t);
void* nninit_base_pthread_getspecific(pthread_key_t);
int nninit_base_pthread_setspecific(pthread_key_t, const void*);
int nninit_base_pthread_attr_setstacksize(pthread_attr_t*, size_t);
void* nninit_base_dlopen(const char*, int);
int nninit_base_dladdr(const void*, Dl_info*);

#define NNINIT_VISIBLE __attribute__((visibility("hidden")))

NNINIT_VISIBLE int __wrap_pthread_create(pthread_t* t, const pthread_attr_t* a, void* (*f)(void*), void* arg) {
  return nninit_base_pthread_create(t, a, f, arg);
}
NNINIT_VISIBLE int __wrap_pthread_join(pthread_t t, void** r) { return nninit_base_pthread_join(t, r); }
NNINIT_VISIBLE int __wrap_pthread_detach(pthread_t t) { return nninit_base_pthread_detach(t); }
NNINIT_VISIBLE int __wrap_pthread_once(pthread_once_t* o, void (*f)()) { return nninit_base_pthread_once(o, f); }
NNINIT_VISIBLE int __wrap_pthread_key_create(pthread_key_t* k, void (*d)(void*)) {
  return nninit_base_pthread_key_create(k, d);
}
// libstdc++'s gthread layer references __pthread_key_create (weakly) to ask "is libpthread
// linked?"; a defined wrapper answers yes, which is true in every Node process.
NNINIT_VISIBLE int __wrap___pthread_key_create(pthread_key_t* k, void (*d)(void*)) {
  return nninit_base_pthread_key_create(k, d);
}
NNINIT_VISIBLE int __wrap_pthread_key_delete(pthread_key_t k) { return nninit_base_pthread_key_delete(k); }
NNINIT_VISIBLE void* __wrap_pthread_getspecific(pthread_key_t k) { return nninit_base_pthread_getspecific(k); }
NNINIT_VISIBLE int __wrap_pthread_setspecific(pthread_key_t k, const void* v) {
  return nninit_base_pthread_setspecific(k, v);
}
NNINIT_VISIBLE int __wrap_pthread_attr_setstacksize(pthread_attr_t* a, size_t n) {
  return nninit_base_pthread_attr_setstacksize(a, n);
}
NNINIT_VISIBLE void* __wrap_dlopen(const char* file, int mode) { return nninit_base_dlopen(file, mode); }
NNINIT_VISIBLE int __wrap_dladdr(const void* addr, Dl_info* info) { return nninit_base_dladdr(addr, info); }

// arc4random (GLIBC_2.36) is referenced by the static libstdc++'s std::random_device, which
// nninit never constructs; answered from the getrandom system call (Linux >= 3.17) all the same.
NNINIT_VISIBLE uint32_t __wrap_arc4random() {
  uint32_t v = 0;
  unsigned char* p = reinterpret_cast<unsigned char*>(&v);
  size_t got = 0;
  while (got < sizeof v) {
    const long r = syscall(SYS_getrandom, p + got, sizeof v - got, 0);
    if (r > 0) got += static_cast<size_t>(r);
    else if (r < 0 && errno != EINTR) break;  // no getrandom: v keeps what it has (never used by nninit)
  }
  return v;
}

// GCC >= 11's libstdc++ reads glibc's __libc_single_threaded (GLIBC_2.32, a variable) to skip
// atomic reference counting in single-threaded processes. Our own hidden definition, always 0
// ("more than one thread may run"), makes the static libstdc++ use atomics unconditionally:
// correct in every process (nninit's pool is itself multithreaded) and not tied to a new glibc.
NNINIT_VISIBLE char __libc_single_threaded = 0;

}  // extern "C"
