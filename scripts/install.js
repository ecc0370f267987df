#!/usr/bin/env node
// npm's "install" script for nninit (plain CommonJS: it runs before any build, from the tarball).
//
// 1. node-gyp-build: if the package's prebuilt binary (prebuilds/<platform>-<arch>/) loads in
//    this Node, nothing else happens; otherwise it builds the addon from source with node-gyp
//    (needs a C++ compiler, make and Python; `npm install --build-from-source` forces this).
// 2. A failed source build never fails the install: nninit then runs its portable pure-TypeScript
//    backend (the same bits, slower), says so once at run time (the NNINIT_FALLBACK warning), and
//    `npm rebuild nninit` retries the build after a compiler is installed.
// 3. Windows has no native build (the core uses GCC/Clang builtins and inline assembly), so no
//    build is attempted there.
"use strict";
const { spawnSync } = require("node:child_process");

if (process.platform === "win32") {
  console.warn("nninit: Windows runs nninit's portable pure-TypeScript backend (no native build for MSVC).");
  process.exit(0);
}

let bin;
try {
  bin = require.resolve("node-gyp-build/bin.js");
} catch {
  bin = null;
}
const result = bin === null ? { status: 1, error: new Error("node-gyp-build is not installed") } : spawnSync(process.execPath, [bin], { stdio: "inherit" });
if (result.status !== 0) {
  const reason = result.error ? result.error.message : result.signal ? `signal ${result.signal}` : `exit code ${result.status}`;
  console.warn(
    `nninit: no prebuilt binary loads here (${process.platform}-${process.arch}) and the source build failed (${reason}).\n` +
      "nninit will run its portable pure-TypeScript backend: the same results, several times slower.\n" +
      "To get the native backend, install a C++ toolchain (a compiler, make, Python) and run `npm rebuild nninit`.",
  );
}
process.exit(0);
