/* IMPORTANT
 * This snapshot file is auto-generated, but designed for humans.
 * It should be checked into source control and tracked carefully.
 * Re-generate by setting TAP_SNAPSHOT=1 and running tests.
 * Make sure to inspect the output below.  Do not ignore changes!
 */
'use strict'
exports[`test/stream.test.ts > TAP > stream digest snapshot > first values for seed 1 (STREAM_VERSION change detector) 1`] = `
Object {
  "block0Lane0": Array [
    "c892b50e",
    "08b4fda8",
    "4072ebd9",
    "e89e8dc5",
  ],
  "normal": Array [
    "bf5aab4b",
    "bf534513",
    "bf3eaf65",
    "3d09c1c2",
  ],
  "STREAM_VERSION": 1,
  "truncNormal": Array [
    "3ef45c93",
    "3e909f32",
    "bec9b3b8",
    "3f5d994f",
  ],
  "truncNormalTail": Array [
    "40281fcb",
    "402a9c33",
    "4036ef78",
    "402463ff",
  ],
  "uniform": Array [
    "3f313142",
    "3f1dd36f",
    "3eadd3d4",
    "3f523eaa",
  ],
}
`
