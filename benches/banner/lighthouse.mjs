// Lighthouse 12.2.3, mobile preset (simulated slow 4G, 4× CPU slowdown), on the demo's banner
// page and signup page served by the collector: Total Blocking Time, median of N runs per page,
// with First Contentful Paint and Cumulative Layout Shift beside it.
//
//   node benches/banner/lighthouse.mjs [--runs N]
import { execFileSync } from "node:child_process";
import { readFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startCollector, root } from "../../tests/e2e/support.mjs";

const args = process.argv.slice(2);
const runs = Number(args[args.indexOf("--runs") + 1] || 3);
const lighthouse = join(root, "target/bench-banner/node_modules/.bin/lighthouse");
const flags = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
  "--disable-component-update", "--disable-sync", "--no-first-run",
].join(" ");

const collector = await startCollector();
const out = mkdtempSync(join(tmpdir(), "kelisim-lighthouse-"));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
try {
  console.log(`Lighthouse mobile, median of ${runs} runs (ms; CLS unitless)`);
  for (const page of ["karatel", "esperance"]) {
    const rows = [];
    for (let i = 0; i < runs; i++) {
      const report = join(out, `${page}-${i}.json`);
      execFileSync(lighthouse, [
        `${collector.url}/${page}.html`, "--quiet", "--only-categories=performance", "--form-factor=mobile",
        `--chrome-flags=${flags}`, "--output=json", `--output-path=${report}`,
      ], { env: { ...process.env, CHROME_PATH: "/usr/bin/chromium" }, stdio: ["ignore", "ignore", "inherit"] });
      const audits = JSON.parse(readFileSync(report, "utf8")).audits;
      rows.push(["total-blocking-time", "first-contentful-paint", "cumulative-layout-shift"].map((a) => audits[a].numericValue));
    }
    const [tbt, fcp, cls] = [0, 1, 2].map((k) => median(rows.map((r) => r[k])));
    const all = rows.map((r) => Math.round(r[0])).join(", ");
    console.log(`${page.padEnd(10)} TBT ${Math.round(tbt)} (runs: ${all})  FCP ${Math.round(fcp)}  CLS ${cls.toFixed(3)}`);
  }
} finally {
  await collector.stop();
  rmSync(out, { recursive: true, force: true });
}
