// The package's type declarations under `tsc --strict`: the usage a web team writes compiles, and
// each misuse in tests/types/misuse/ fails with the error its first line expects.
import { it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { root } from "./support.mjs";

const dir = join(root, "tests/types");
const tsc = (project) => spawnSync(join(root, "node_modules/.bin/tsc"), ["-p", project], { cwd: root, encoding: "utf8" });

it("the usage compiles under --strict, the operators' configs included", () => {
  const run = tsc(join(dir, "tsconfig.json"));
  assert.equal(run.status, 0, run.stdout + run.stderr);
});

for (const file of readdirSync(join(dir, "misuse")).filter((f) => f.endsWith(".ts"))) {
  it(`misuse fails to compile: ${file}`, () => {
    const expected = /expect (TS\d+)/.exec(readFileSync(join(dir, "misuse", file), "utf8"))[1];
    const project = join(dir, `tsconfig.misuse-${file}.json`);
    writeFileSync(project, JSON.stringify({ extends: "./tsconfig.json", files: [`misuse/${file}`] }));
    try {
      const run = tsc(project);
      assert.notEqual(run.status, 0, `${file} compiled`);
      assert.match(run.stdout, new RegExp(`misuse/${file}\\(\\d+,\\d+\\): error ${expected}`), run.stdout);
    } finally {
      rmSync(project);
    }
  });
}
