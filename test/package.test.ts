/**
 * The package as users get it: `npm pack`, install the tarball into a temporary project, then
 * require() and import it, check the type declarations, and run every ```js example of README.md
 * against the installed copy (so README examples cannot drift).
 */
import t from "tap";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const root = resolve(__dirname, "..");
const work = mkdtempSync(join(tmpdir(), "nninit-pkg-"));
t.teardown(() => rmSync(work, { recursive: true, force: true }));

const run = (cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): string =>
  execFileSync(cmd, args, { cwd, encoding: "utf8", env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });

let installed = false;
let installError = "";
t.before(() => {
  try {
    const packed = JSON.parse(run("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", work], root));
    const tarball = join(work, packed[0].filename);
    writeFileSync(join(work, "package.json"), JSON.stringify({ name: "consumer", version: "1.0.0", private: true }));
    // --prefer-offline, not --offline: `npm ci` caches the dependencies' tarballs but not their
    // registry metadata, which resolving the tarball's version ranges needs on a fresh machine.
    run("npm", ["install", "--no-audit", "--no-fund", "--ignore-scripts", "--prefer-offline", tarball], work);
    installed = existsSync(join(work, "node_modules", "nninit", "dist", "index.js"));
  } catch (err) {
    installError = String((err as { stderr?: string }).stderr ?? err);
  }
});

t.test("the tarball holds what the package needs, and nothing of the dev tree", async (t) => {
  t.ok(installed, `installed from the tarball ${installError}`);
  const files: string[] = JSON.parse(run("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], root))[0].files.map((f: { path: string }) => f.path);
  for (const needed of ["dist/index.js", "dist/index.d.ts", "README.md", "docs/stream.md", "package.json"]) {
    t.ok(files.includes(needed), `tarball has ${needed}`);
  }
  t.notOk(files.some((f) => f.startsWith("test/") || f.startsWith("node_modules/") || f.startsWith("lib/")), "no tests, sources or node_modules");
});

const smoke = `
  const w = n.kaimingNormal(new Float32Array(64 * 32), [64, 32], { seed: 5 });
  const again = n.kaimingNormal(new Float32Array(64 * 32), [64, 32], { seed: 5 });
  if (!w.every((v, i) => Object.is(v, again[i]))) throw new Error("not deterministic");
  if (!w.some((v) => v !== 0)) throw new Error("nothing written");
  console.log(JSON.stringify({ backend: n.backend.name, v: n.STREAM_VERSION, first: w[0] }));
`;

for (const backendName of ["native", "js"]) {
  t.test(`require() and import of the installed package (NNINIT_BACKEND=${backendName})`, async (t) => {
    const env = { NNINIT_BACKEND: backendName };
    const cjsOut = (() => {
      try { return run(process.execPath, ["-e", `const n = require("nninit");${smoke}`], work, env); }
      catch (e) { return String((e as { stderr?: string }).stderr ?? e); }
    })();
    if (backendName === "native" && !cjsOut.startsWith("{")) {
      // No prebuild ships in the tarball built here; forcing native must then fail loudly, not silently fall back.
      t.match(cjsOut, /native/i, "forcing the native backend without a build fails with a clear error");
      return;
    }
    const cjs = JSON.parse(cjsOut);
    t.equal(cjs.backend, backendName);
    const esm = JSON.parse(run(process.execPath, ["--input-type=module", "-e", `import * as n from "nninit";${smoke}`], work, env));
    t.same(esm, cjs, "ESM and CJS entry points agree");
    const named = run(process.execPath, ["--input-type=module", "-e", `import { uniform, Generator } from "nninit"; console.log(typeof uniform, typeof Generator);`], work, env);
    t.equal(named.trim(), "function function", "named ESM imports");
  });
}

t.test("type declarations resolve for a TypeScript consumer", async (t) => {
  writeFileSync(join(work, "use.ts"), `import { normal, type NormalOptions, Generator } from "nninit";
const o: NormalOptions = { std: 0.02, generator: new Generator(1n) };
const out: Float32Array = normal(new Float32Array(8), o);
export default out;\n`);
  writeFileSync(join(work, "tsconfig.json"), JSON.stringify({ compilerOptions: { strict: true, module: "nodenext", moduleResolution: "nodenext", noEmit: true, types: [], lib: ["ES2022"], skipLibCheck: false } }));
  const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
  t.doesNotThrow(() => run(process.execPath, [tsc, "-p", "."], work), "tsc accepts the consumer");
});

t.test("every ```js example in README.md runs against the installed package", async (t) => {
  const readme = readFileSync(join(root, "README.md"), "utf8");
  const blocks = [...readme.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]);
  t.ok(blocks.length >= 2, "README has js examples");
  blocks.forEach((code, i) => {
    const file = join(work, `readme-${i}.cjs`);
    writeFileSync(file, code);
    t.doesNotThrow(() => run(process.execPath, [file], work), `README example ${i + 1} runs`);
  });
});
