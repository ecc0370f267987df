{
  "variables": {
    "nninit_portable%": "<!(node -p \"process.env.NNINIT_PORTABLE === '1' ? 1 : 0\")"
  },
  "targets": [
    {
      "target_name": "nninit",
      "sources": [
        "native/binding/addon.cc",
        "native/binding/args.cc",
        "native/binding/errors.cc",
        "native/binding/fill_async.cc",
        "native/binding/orthonormalize.cc",
        "native/binding/pool_promise.cc",
        "native/binding/quantize.cc",
        "native/binding/write_behind.cc",
        "native/core/dispatch.cc",
        "native/core/fill.cc",
        "native/core/pool.cc",
        "native/core/quant.cc",
        "native/core/sparse.cc",
        "native/kernels/scalar/kernels.cc",
        "native/kernels/avx2/kernels.cc",
        "native/kernels/avx512/kernels.cc",
        "native/kernels/neon/kernels.cc",
        "native/linalg/gemm.cc",
        "native/linalg/qr.cc",
        "native/linalg/scalar/linalg.cc",
        "native/linalg/avx2/linalg.cc",
        "native/linalg/avx512/linalg.cc"
      ],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": ["NAPI_VERSION=8", "NAPI_CPP_EXCEPTIONS", "NODE_API_SWALLOW_UNTHROWABLE_EXCEPTIONS"],
      "cflags!": ["-fno-exceptions"],
      "cflags_cc!": ["-fno-exceptions", "-std=gnu++17"],
      "cflags_cc": ["-std=c++17", "-fexceptions", "-O3", "-ffp-contract=off", "-fno-math-errno", "-fvisibility=hidden", "-fvisibility-inlines-hidden"],
      "xcode_settings": {
        "GCC_ENABLE_CPP_EXCEPTIONS": "YES",
        "CLANG_CXX_LANGUAGE_STANDARD": "c++17",
        "MACOSX_DEPLOYMENT_TARGET": "10.15",
        "OTHER_CPLUSPLUSFLAGS": ["-O3", "-ffp-contract=off", "-fno-math-errno", "-fvisibility=hidden"]
      },
      "conditions": [
        ["OS=='linux' and nninit_portable==1", {
          "sources": ["native/compat/glibc.cc"],
          "ldflags": ["-static-libstdc++", "-Wl,--wrap=pthread_create", "-Wl,--wrap=pthread_join", "-Wl,--wrap=pthread_detach", "-Wl,--wrap=pthread_once", "-Wl,--wrap=pthread_key_create", "-Wl,--wrap=__pthread_key_create", "-Wl,--wrap=pthread_key_delete", "-Wl,--wrap=pthread_getspecific", "-Wl,--wrap=pthread_setspecific", "-Wl,--wrap=pthread_attr_setstacksize", "-Wl,--wrap=dlopen", "-Wl,--wrap=dladdr", "-Wl,--wrap=arc4random"],
          "libraries": ["-Wl,--no-as-needed", "-l:libpthread.so.0", "-l:libdl.so.2", "-Wl,--as-needed"]
        }]
      ]
    }
  ]
}

