/**
 * The part of node:crypto that the core uses (lib/api/generator.ts: randomBytes(8) read with
 * readBigUInt64LE, defaultGenerator's random seed), for browsers, on Web Crypto's
 * getRandomValues; package.json's "browser" field maps "node:crypto" to this file (docs/browser.md).
 */

/** `n` random bytes, readable the way generator.ts reads Node's Buffer. */
export function randomBytes(n: number): Uint8Array & { readBigUInt64LE(offset: number): bigint } {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(n));
  return Object.assign(bytes, {
    readBigUInt64LE(offset: number): bigint {
      return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getBigUint64(offset, true);
    },
  });
}
