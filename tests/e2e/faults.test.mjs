// Nothing lost, nothing stored twice: consents made in Chromium tabs (two per site, sharing one
// outbox) against the collector behind a fault proxy, with reloads, offline periods and the
// collector killed with -9 and restarted. The full-size run (10,000) is `cargo xtask faults`.
import { it } from "node:test";
import assert from "node:assert/strict";
import { runFaults } from "../faults/harness.mjs";

it("200 consents under injected faults: 0 lost, 0 duplicated, chain intact", async () => {
  const report = await runFaults({ consents: 200, contexts: 2, tabsPerContext: 2, seed: 11 });
  console.log(
    `# faults: ${report.made} made, ${report.stored} stored, ${report.lost} lost, ${report.duplicates} duplicated, ` +
      `drained in ${report.drainSeconds.toFixed(1)} s, ${report.faults.posts} POSTs`,
  );
  assert.ok(report.made >= 200);
  assert.ok(report.faults.dropped + report.faults.error500 + report.faults.resetAfterStore > 0, "faults were injected");
  assert.equal(report.restarts, 2, "the collector was killed and restarted twice");
  assert.equal(report.lost, 0);
  assert.equal(report.duplicates, 0);
  assert.equal(report.stored, report.made);
  assert.ok(report.chainIntact, "verify walks an intact chain");
});
