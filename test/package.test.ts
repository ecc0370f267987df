/**
 * The package as users get it. `npm pack`, then install the tarball into empty projects with no C++ compiler on PATH:
 *   - as packed, with the prebuilt binaries: the native backend must load from prebuilds/ and give
 *     the pure-TS backend's bits (test/fixtures/parity-cases.cjs: every elementwise method, dtype,
 *     seeds, a block-cutting offset, thread counts), also on glibc 2.31 (Debian 11's ld.so and
 *     libc) and, for the linux-arm64 binary, under qemu-aarch64 with the official arm64 Node;
 *   - with prebuilds/ removed from the tarball: the install must still succeed (its source build
 *     fails without a compiler) and the first fill must emit exactly one NNINIT_FALLBACK warning;
 * then require() and import, the type declarations, the CLI and every ```js example of README.md.
 *
 * What needs artifacts that a plain `npm test` may not have (prebuilds/ from `npm run prebuilds`,
 * the runtimes from scripts/test-runtimes.sh, qemu-user and the arm64 cross libc) is skipped with
 * the reason, unless NNINIT_REQUIRE_SHIP=1 (set by .ci/run): then a missing piece fails. Runs once,
 * in the unforced run: with NNINIT_BACKEND/NNINIT_ISA set (CI's reruns) it is skipped.
 */
import t, { type Test } from "tap";
import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, dirname, join, resolve } from "node:path";

const root = resolve(__dirname, "..");
const required = process.env.NNINIT_REQUIRE_SHIP === "1";
const forced = ["NNINIT_BACKEND", "NNINIT_ISA"].filter((name) => (process.env[name] ?? "") !== "");
const runtimes = join(root, ".nninit-tmp", "runtimes");
const arm64Node = join(runtimes, "node-arm64", "bin", "node");
const oldGlibc = join(runtimes, "glibc-2.31");
const arm64Sysroot = "/usr/aarch64-linux-gnu";
const hostPrebuild = `prebuilds/${process.platform}-${process.arch}/nninit.glibc.node`;
const SHIPPED = ["prebuilds/linux-x64/nninit.glibc.node", "prebuilds/linux-arm64/nninit.glibc.node"];

/**
 * t.test with a precondition: `missing` (what is not there, or false) skips the test, or, when
 * NNINIT_REQUIRE_SHIP=1, fails it.
 */
function gated(name: string, missing: string | false, fn: (t: Test) => Promise<void>): void {
  t.test(name, { skip: required ? false : missing }, async (t) => {
    if (missing !== false) return void t.fail(`NNINIT_REQUIRE_SHIP=1 but ${missing}`);
    await fn(t);
  });
}

if (forced.length > 0) {
  t.pass(`skipped: the packed package is tested once, in the run without ${forced.join("/")}`);
} else {
  main();
}

function main(): void {
  const work = mkdtempSync(join(tmpdir(), "nninit-pkg-"));
  t.teardown(() => rmSync(work, { recursive: true, force: true }));

  // A PATH with everything this machine has but C/C++ compilers, make, assemblers and linkers.
  const noCompiler = join(work, "bin");
  mkdirSync(noCompiler);
  const tool = /^(cc|c\+\+|g\+\+.*|gcc.*|cpp.*|clang.*|make|gmake|cmake|ld|ld\..*|as|.*-(gcc|g\+\+|cc|c\+\+|ld|as)(-[0-9.]+)?)$/;
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (dir === "" || !existsSync(dir)) continue;
    for (const name of readdirSync(dir)) {
      if (tool.test(name) || existsSync(join(noCompiler, name))) continue;
      symlinkSync(join(dir, name), join(noCompiler, name));
    }
  }
  const userEnv: NodeJS.ProcessEnv = { ...process.env, PATH: noCompiler };
  // A user's environment: no compiler variables, no nninit settings, nothing of tap's (its loaders).
  for (const name of Object.keys(userEnv)) {
    if (/^(CC|CXX|LINK|NODE_OPTIONS|TAP|NNINIT_.*|TAP_.*|_TAPJS_.*|TS_NODE_.*)$/.test(name)) delete userEnv[name];
  }

  const run = (cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): string =>
    execFileSync(cmd, args, { cwd, encoding: "utf8", env: { ...userEnv, ...env }, stdio: ["ignore", "pipe", "pipe"], maxBuffer: 1 << 26 });

  const hasPrebuilds = SHIPPED.every((f) => existsSync(join(root, f)));
  let tarball = "";
  let packError = "";
  const projects: Record<"with" | "without", { dir: string; ok: boolean; log: string }> = {
    with: { dir: join(work, "with-prebuilds"), ok: false, log: "" },
    without: { dir: join(work, "without-prebuilds"), ok: false, log: "" },
  };

  function install(which: "with" | "without", file: string): void {
    const p = projects[which];
    mkdirSync(p.dir);
    writeFileSync(join(p.dir, "package.json"), JSON.stringify({ name: "consumer", version: "1.0.0", private: true }));
    copyFileSync(join(__dirname, "fixtures", "parity-cases.cjs"), join(p.dir, "parity-cases.cjs"));
    // --prefer-offline, not --offline: `npm ci` caches the dependencies' tarballs but not their
    // registry metadata, which resolving the tarball's version ranges needs on a fresh machine.
    // --foreground-scripts: the install script's output lands in the log.
    const r = spawnSync("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--foreground-scripts", file], {
      cwd: p.dir, encoding: "utf8", env: userEnv,
    });
    p.log = `${r.stdout}\n${r.stderr}`;
    p.ok = r.status === 0 && existsSync(join(p.dir, "node_modules", "nninit", "dist", "index.js"));
  }

  t.before(() => {
    try {
      // --ignore-scripts: dist/ is built already (npm test builds first), and `prepare` rewriting it
      // here could race with other test files that load it. .ci/run's "git install" step checks
      // that `prepare` builds dist/ where there is none.
      const packed = JSON.parse(run("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", work], root));
      tarball = join(work, packed[0].filename);
    } catch (err) {
      packError = String((err as { stderr?: string }).stderr ?? err);
      return;
    }
    install("with", tarball);
    // The same tarball without prebuilds/: unpack, delete, repack (npm pack's layout: package/…).
    const unpacked = join(work, "unpacked");
    mkdirSync(unpacked);
    run("tar", ["xzf", tarball, "-C", unpacked], work);
    rmSync(join(unpacked, "package", "prebuilds"), { recursive: true, force: true });
    const bare = join(work, "nninit-without-prebuilds.tgz");
    run("tar", ["czf", bare, "-C", unpacked, "package"], work);
    install("without", bare);
  });

  t.test("the tarball holds what the package needs, and nothing of the dev tree", async (t) => {
    t.equal(packError, "", "npm pack succeeds");
    const files: string[] = JSON.parse(run("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], root))[0].files.map((f: { path: string }) => f.path);
    for (const needed of ["dist/index.js", "dist/index.d.ts", "dist/cli/main.js", "scripts/install.js", "README.md", "LICENSE", "CHANGELOG.md", "docs/stream.md", "package.json"]) {
      t.ok(files.includes(needed), `tarball has ${needed}`);
    }
    t.notOk(files.some((f) => f.startsWith("test/") || f.startsWith("node_modules/") || f.startsWith("lib/") || f.startsWith("build/")), "no tests, sources, build tree or node_modules");
    if (hasPrebuilds) for (const f of SHIPPED) t.ok(files.includes(f), `tarball has ${f}`);
    else if (required) t.fail("NNINIT_REQUIRE_SHIP=1 but prebuilds/ is not built (npm run prebuilds)");
    // README's relative links must resolve inside the package (npm shows the README; links to files it lacks are dead).
    const readme = readFileSync(join(root, "README.md"), "utf8");
    const links = [...readme.matchAll(/\]\(([^)#\s]+)(#[^)]*)?\)/g)].map((m) => m[1]).filter((l) => !/^[a-z]+:/.test(l));
    t.ok(links.length >= 5, "README links to files of the package");
    for (const link of new Set(links)) t.ok(files.includes(link), `README's link ${link} is in the tarball`);
  });

  const noPrebuilds = hasPrebuilds ? false : "prebuilds/ is not built (npm run prebuilds)";
  gated("installed with prebuilds and no compiler: the native backend loads from prebuilds/ and gives the reference bits", noPrebuilds, async (t) => {
    const p = projects.with;
    t.ok(p.ok, "install succeeded");
    if (!p.ok) return void t.comment(p.log);
    t.notOk(existsSync(join(p.dir, "node_modules", "nninit", "build")), "nothing was compiled at install (the prebuild loaded)");
    const native = JSON.parse(run(process.execPath, ["parity-cases.cjs"], p.dir));
    t.equal(native.backend.name, "native", `native backend (${native.backend.loadError ?? ""})`);
    t.equal(native.backend.binary, join(p.dir, "node_modules", "nninit", hostPrebuild), "loaded from the package's prebuilds/");
    const js = JSON.parse(run(process.execPath, ["parity-cases.cjs"], p.dir, { NNINIT_BACKEND: "js" }));
    t.equal(js.backend.name, "js");
    t.equal(Object.keys(js.hashes).length, 592, "592 cases (test/fixtures/parity-cases.cjs)");
    t.same(native.hashes, js.hashes, "native (prebuild) and pure-TS outputs are bit-identical");
    const scalar = JSON.parse(run(process.execPath, ["parity-cases.cjs"], p.dir, { NNINIT_ISA: "scalar" }));
    t.equal(scalar.backend.isa, "scalar");
    t.same(scalar.hashes, js.hashes, "the prebuild's scalar kernels too");
    // A musl system (node-gyp-build reads LIBC=musl as Alpine would report it) must not pick the glibc binary.
    const musl = JSON.parse(run(process.execPath, ["-p", `JSON.stringify(require("nninit").backend)`], p.dir, { LIBC: "musl", NNINIT_NO_FALLBACK_WARNING: "1" }));
    t.equal(musl.name, "wasm", "on musl the glibc-tagged prebuild is not loaded (the WebAssembly backend runs)");
    t.match(musl.loadError, /libc=musl/, "and loadError says which libc was looked for");
    const version = run(join(p.dir, "node_modules", ".bin", "nninit"), ["--version"], p.dir).trim();
    const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string };
    t.equal(version, `nninit ${pkg.version} (stream v1, native backend ${native.backend.isa})`, "nninit --version");
  });

  const ldso = join(oldGlibc, "lib", "x86_64-linux-gnu", "ld-linux-x86-64.so.2");
  gated("the x64 prebuild loads on glibc 2.31 (Debian 11), a build against this machine's glibc does not",
    process.arch !== "x64" ? "this check runs on x64 machines" : noPrebuilds || (existsSync(ldso) ? false : `no old glibc at ${oldGlibc} (scripts/test-runtimes.sh)`), async (t) => {
    const p = projects.with;
    if (!p.ok) return void t.fail("the install failed (see above)");
    const libs = [join(oldGlibc, "lib", "x86_64-linux-gnu"), join(oldGlibc, "usr", "lib", "x86_64-linux-gnu")].join(":");
    const onOld = (args: string[]) => spawnSync(ldso, ["--library-path", libs, process.execPath, ...args], { cwd: p.dir, encoding: "utf8", env: userEnv, maxBuffer: 1 << 26 });
    const glibc = onOld(["-p", "process.report.getReport().header.glibcVersionRuntime"]);
    t.equal(glibc.stdout.trim(), "2.31", "node runs on glibc 2.31");
    const old = onOld(["parity-cases.cjs"]);
    t.equal(old.status, 0, old.stderr);
    const got = JSON.parse(old.stdout);
    t.equal(got.backend.name, "native", `native on glibc 2.31 (${got.backend.loadError ?? ""})`);
    const js = JSON.parse(run(process.execPath, ["parity-cases.cjs"], p.dir, { NNINIT_BACKEND: "js" }));
    t.same(got.hashes, js.hashes, "the same bits on glibc 2.31");
    // The control: the developer build (linked against this machine's glibc) must fail there, or
    // this check could not tell a portable binary from any other.
    const dev = join(root, "build", "Release", "nninit.node");
    if (existsSync(dev)) {
      const r = onOld(["-e", `require(${JSON.stringify(dev)})`]);
      t.not(r.status, 0, "build/Release/nninit.node does not load on glibc 2.31");
      t.match(r.stderr, /GLIBC_2\.3[2-9]' not found|GLIBCXX_3\.4\.(29|3\d)' not found/, "for want of a newer glibc or libstdc++");
    }
  });

  const qemu = spawnSync("qemu-aarch64", ["--version"], { encoding: "utf8" });
  gated("the linux-arm64 prebuild (NEON) gives the x64 bits, under qemu-aarch64 with the official arm64 Node",
    noPrebuilds || (qemu.status !== 0 ? "qemu-aarch64 is not installed (apt-get install qemu-user)"
      : !existsSync(join(arm64Sysroot, "lib", "ld-linux-aarch64.so.1")) ? `no arm64 libc at ${arm64Sysroot} (apt-get install g++-aarch64-linux-gnu)`
      : !existsSync(arm64Node) ? `no arm64 node at ${arm64Node} (scripts/test-runtimes.sh)` : false), async (t) => {
    const p = projects.with;
    if (!p.ok) return void t.fail("the install failed (see above)");
    const onArm = (env: NodeJS.ProcessEnv) => JSON.parse(run("qemu-aarch64", ["-L", arm64Sysroot, arm64Node, "parity-cases.cjs"], p.dir, env));
    const js = JSON.parse(run(process.execPath, ["parity-cases.cjs"], p.dir, { NNINIT_BACKEND: "js" }));
    const x64 = JSON.parse(run(process.execPath, ["parity-cases.cjs"], p.dir));
    const neon = onArm({});
    t.same(neon.backend, { name: "native", isa: "neon", threads: neon.backend.threads, binary: join(p.dir, "node_modules", "nninit", "prebuilds", "linux-arm64", "nninit.glibc.node") },
      "arm64 loads prebuilds/linux-arm64 and picks NEON");
    t.same(neon.hashes, js.hashes, "NEON kernels = pure TS, every case");
    t.same(neon.hashes, x64.hashes, `NEON kernels = x64 ${x64.backend.isa} kernels, every case`);
    const scalar = onArm({ NNINIT_ISA: "scalar" });
    t.equal(scalar.backend.isa, "scalar");
    t.same(scalar.hashes, js.hashes, "arm64 scalar kernels = pure TS");
    const worst = neon.orthogonal.reduce((m: number, v: number, i: number) => Math.max(m, Math.abs(v - x64.orthogonal[i])), 0);
    t.ok(worst <= 1e-5, `orthogonal (float64 QR, not bit-specified) within 1e-5 of x64: ${worst}`);
  });

  t.test("installed without prebuilds and no compiler: the install succeeds, falls back, and warns once", async (t) => {
    const p = projects.without;
    t.equal(packError, "", "npm pack succeeds");
    t.ok(p.ok, "install succeeded although the source build failed");
    if (!p.ok) return void t.comment(p.log);
    t.match(p.log, /nninit: no prebuilt binary loads here .* and the source build failed/, "the install says why and what to do");
    t.notOk(existsSync(join(p.dir, "node_modules", "nninit", "build", "Release", "nninit.node")), "no binary was built");
    const probe = `
      const warnings = [];
      process.on("warning", (w) => warnings.push({ code: w.code, message: w.message, detail: w.detail }));
      const n = require("nninit");
      const before = warnings.length;
      n.kaimingNormal(new Float32Array(64), [8, 8], { seed: 1 });
      n.normal(new Float32Array(64), { seed: 2 });
      require("nninit/promises").uniform(new Float32Array(64), { seed: 3 }).then(() => setImmediate(() =>
        console.log(JSON.stringify({ backend: n.backend, before, warnings }))));`;
    const warned = JSON.parse(run(process.execPath, ["-e", probe], p.dir));
    t.equal(warned.backend.name, "wasm", "the fallback is the WebAssembly backend");
    t.match(warned.backend.loadError, /No native build was found for platform=linux/, "backend.loadError says why");
    t.equal(warned.before, 0, "loading alone does not warn");
    t.equal(warned.warnings.length, 1, "exactly one warning over three fills");
    t.equal(warned.warnings[0]?.code, "NNINIT_FALLBACK");
    t.match(warned.warnings[0]?.message, /fills run on the WebAssembly backend/, "it names the backend used");
    t.match(warned.warnings[0]?.message, /npm rebuild nninit/, "it names the command that gets the native backend");
    t.match(warned.warnings[0]?.message, /NNINIT_NO_FALLBACK_WARNING=1/, "and how to silence it");
    t.match(warned.warnings[0]?.detail, /No native build was found/, "and the reason");
    for (const env of [{ NNINIT_NO_FALLBACK_WARNING: "1" }, { NNINIT_BACKEND: "js" }]) {
      const quiet = JSON.parse(run(process.execPath, ["-e", probe], p.dir, env));
      t.same(quiet.warnings, [], `no warning with ${JSON.stringify(env)}`);
    }
    const cases = JSON.parse(run(process.execPath, ["parity-cases.cjs"], p.dir, { NNINIT_NO_FALLBACK_WARNING: "1" }));
    const reference = JSON.parse(run(process.execPath, ["parity-cases.cjs"], p.dir, { NNINIT_BACKEND: "js" }));
    t.equal(cases.backend.name, "wasm");
    t.same(cases.hashes, reference.hashes, "the fallback (wasm) gives the pure-TS bits");
    t.match(run(join(p.dir, "node_modules", ".bin", "nninit"), ["--version"], p.dir, { NNINIT_NO_FALLBACK_WARNING: "1" }), /^nninit \S+ \(stream v1, wasm backend simd128\)/, "nninit --version names the backend");
  });

  const consumer = (): string => (projects.with.ok ? projects.with.dir : projects.without.dir);

  const smoke = `
    const w = n.kaimingNormal(new Float32Array(64 * 32), [64, 32], { seed: 5 });
    const again = n.kaimingNormal(new Float32Array(64 * 32), [64, 32], { seed: 5 });
    if (!w.every((v, i) => Object.is(v, again[i]))) throw new Error("not deterministic");
    if (!w.some((v) => v !== 0)) throw new Error("nothing written");
    console.log(JSON.stringify({ backend: n.backend.name, v: n.STREAM_VERSION, first: w[0] }));
  `;

  t.test("require() and import of the installed package agree", async (t) => {
    const env = { NNINIT_NO_FALLBACK_WARNING: "1" };
    const cjs = JSON.parse(run(process.execPath, ["-e", `const n = require("nninit");${smoke}`], consumer(), env));
    const esm = JSON.parse(run(process.execPath, ["--input-type=module", "-e", `import * as n from "nninit";${smoke}`], consumer(), env));
    t.same(esm, cjs, "ESM and CJS entry points agree");
    const named = run(process.execPath, ["--input-type=module", "-e", `import { uniform, Generator } from "nninit"; import { normal } from "nninit/promises"; import { writeSafetensors } from "nninit/model"; console.log(typeof uniform, typeof Generator, typeof normal, typeof writeSafetensors);`], consumer(), env);
    t.equal(named.trim(), "function function function function", "named ESM imports (nninit, nninit/promises, nninit/model)");
    // nninit/tfjs needs the optional peer @tensorflow/tfjs-core, which this consumer lacks: a clear error.
    const tfjs = spawnSync(process.execPath, ["-e", `require("nninit/tfjs")`], { cwd: consumer(), encoding: "utf8", env: { ...userEnv, ...env } });
    t.match(tfjs.stderr, /nninit\/tfjs needs the "@tensorflow\/tfjs-core" package/, "nninit/tfjs without tfjs says what to install");
  });

  t.test("type declarations resolve for a TypeScript consumer", async (t) => {
    const dir = consumer();
    writeFileSync(join(dir, "use.ts"), `import { normal, type NormalOptions, Generator, backend } from "nninit";
const o: NormalOptions = { std: 0.02, generator: new Generator(1n) };
const out: Float32Array = normal(new Float32Array(8), o);
const where: string | undefined = backend.binary ?? backend.loadError;
export default [out, where];\n`);
    writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions: { strict: true, module: "nodenext", moduleResolution: "nodenext", noEmit: true, types: [], lib: ["ES2022"], skipLibCheck: false } }));
    const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
    t.doesNotThrow(() => run(process.execPath, [tsc, "-p", "."], dir), "tsc accepts the consumer");
  });

  t.test("every ```js example in README.md runs against the installed package", async (t) => {
    const readme = readFileSync(join(root, "README.md"), "utf8");
    const blocks = [...readme.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]);
    t.ok(blocks.length >= 2, "README has js examples");
    blocks.forEach((code, i) => {
      const file = join(consumer(), `readme-${i}.cjs`);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, code);
      t.doesNotThrow(() => run(process.execPath, [file], consumer(), { NNINIT_NO_FALLBACK_WARNING: "1" }), `README example ${i + 1} runs`);
    });
  });
}
