// The fault-injection harness: N consents made in real Chromium tabs against the collector behind
// a fault proxy, with page reloads, offline periods and the collector killed (-9) and restarted.
// Reports what was made, what the ledger holds, losses, duplicates and the time to drain.
//
//   node tests/faults/harness.mjs [CONSENTS] [CONTEXTS]     (cargo xtask faults runs 10,000)
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startCollector, launchBrowser, root } from "../e2e/support.mjs";

// The proxy is one client address to the collector; its own faults are the ones under test.
const NO_RATE_LIMIT = ["--rate-limit", "0"];
import { startFaultProxy, seeded } from "./proxy.mjs";

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Loads the demo through the proxy, retrying while the collector is down. */
async function open(page, url) {
  for (let attempt = 0; ; attempt++) {
    try {
      await page.goto(url + "/karatel.html", { timeout: 10000 });
      await page.waitForFunction(() => window.kelisimDemo, null, { timeout: 10000 });
      await page.evaluate(() => window.kelisimDemo.on("decision", (r) => window.__kelisimMade(r.recordId)));
      return;
    } catch (e) {
      if (attempt > 40) throw e;
      await sleep(250);
    }
  }
}

/** Makes `count` decisions in the page: accept all, then required only (a confirmed withdrawal). */
function decide(page, count) {
  return page.evaluate(async (count) => {
    const root = document.getElementById("consent");
    const click = (act) => root.querySelector(`[data-k-act="${act}"]`)?.click();
    for (let i = 0; i < count; i++) {
      click("manage");
      window.__turn = (window.__turn ?? 0) + 1;
      click(window.__turn % 2 ? "accept-all" : "required-only");
      click("confirm-withdrawal");
      if (i % 5 === 4) await new Promise((r) => setTimeout(r, 5));
    }
  }, count);
}

/** Counts the ledger's rows and checks its chain with `kelisim-collector verify`. */
function verifyLedger(dbPath) {
  const bin = join(root, "target", "release", "kelisim-collector");
  const out = spawnSync(bin, ["verify", "--db", dbPath], { encoding: "utf8" });
  const m = /ok: (\d+) records/.exec(out.stdout);
  return { intact: out.status === 0 && !!m, rows: m ? Number(m[1]) : NaN, output: (out.stdout + out.stderr).trim() };
}

async function countStored(url, ids) {
  let stored = 0;
  const queue = [...ids];
  const worker = async () => {
    while (queue.length) {
      const id = queue.pop();
      const res = await fetch(url + "/v1/consents/" + id);
      if (res.status === 200) stored++;
      await res.arrayBuffer();
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  return stored;
}

export async function runFaults({ consents = 10000, contexts = 4, tabsPerContext = 2, seed = 7, log = () => {} } = {}) {
  const dir = mkdtempSync(join(tmpdir(), "kelisim-faults-"));
  const dbPath = join(dir, "ledger.sqlite");
  let collector = null;
  const proxy = await startFaultProxy({ target: () => collector.url, seed });
  // The pages are loaded through the proxy: its origin is the one the collector's own pages have.
  const args = [...NO_RATE_LIMIT, "--public-origin", proxy.url];
  collector = await startCollector({ dbPath, args });
  const browser = await launchBrowser();
  const random = seeded(seed + 1);
  const made = new Set();
  const events = { reloads: 0, offlinePeriods: 0, restarts: 0 };
  const started = Date.now();
  try {
    const tabs = [];
    for (let c = 0; c < contexts; c++) {
      const context = await browser.newContext({ locale: c % 2 ? "ru-RU" : "kk-KZ" });
      await context.exposeBinding("__kelisimMade", (_source, id) => made.add(id));
      for (let t = 0; t < tabsPerContext; t++) {
        const page = await context.newPage();
        await open(page, proxy.url);
        tabs.push({ page, context });
      }
    }
    const perTab = Math.ceil(consents / tabs.length);

    const drive = async ({ page, context }) => {
      for (let done = 0; done < perTab; ) {
        // Visitors do not make thousands of decisions a second: hold back while this site's
        // outbox is long, so the run measures delivery under faults, not an unbounded backlog.
        while ((await page.evaluate(() => window.kelisimDemo.pending().length)) > 150) await sleep(100);
        const chunk = Math.min(20, perTab - done);
        await decide(page, chunk);
        done += chunk;
        const roll = random();
        if (roll < 0.06) {
          events.reloads++;
          await open(page, proxy.url);
        } else if (roll < 0.1) {
          events.offlinePeriods++;
          await context.setOffline(true);
          await decide(page, 3);
          done += 3;
          await sleep(200 + Math.floor(random() * 800));
          await context.setOffline(false);
        }
      }
    };
    const killer = async () => {
      for (const share of [0.3, 0.65]) {
        while (made.size < consents * share) await sleep(50);
        await collector.kill();
        log(`collector killed with -9 after ${made.size} consents`);
        await sleep(700);
        collector = await startCollector({ dbPath, args });
        events.restarts++;
      }
    };
    await Promise.all([...tabs.map(drive), killer()]);
    const madeAt = Date.now();
    log(`made ${made.size} consents in ${((madeAt - started) / 1000).toFixed(1)} s; draining`);

    // Drain: every tab flushes until nothing is pending anywhere, twice in a row.
    let quiet = 0;
    let lastLog = 0;
    while (quiet < 2) {
      let pending = 0;
      const perTab = [];
      for (const { page } of tabs) {
        const n = await page.evaluate(() => {
          window.kelisimDemo.flush();
          return window.kelisimDemo.pending().length;
        });
        perTab.push(n);
        pending += n;
      }
      if (Date.now() - lastLog > 5000) {
        lastLog = Date.now();
        log(`draining: ${perTab.join(" ")} pending per tab`);
      }
      quiet = pending === 0 ? quiet + 1 : 0;
      if (Date.now() - madeAt > 600000) throw new Error(`still ${pending} pending after 10 minutes`);
      await sleep(200);
    }
    const drainMs = Date.now() - madeAt;
    const stored = await countStored(collector.url, made);
    const ledger = verifyLedger(dbPath);
    return {
      made: made.size,
      stored,
      lost: made.size - stored,
      duplicates: ledger.rows - stored,
      ledgerRows: ledger.rows,
      chainIntact: ledger.intact,
      drainSeconds: drainMs / 1000,
      totalSeconds: (Date.now() - started) / 1000,
      tabs: tabs.length,
      ...events,
      faults: { ...proxy.counts },
    };
  } finally {
    await browser.close();
    await proxy.close();
    await collector.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const consents = Number(process.argv[2] ?? 10000);
  const contexts = Number(process.argv[3] ?? 4);
  const report = await runFaults({ consents, contexts, log: (m) => console.log(m) });
  console.log(JSON.stringify(report, null, 2));
  console.log(
    `faults: ${report.made} made, ${report.stored} stored, ${report.lost} lost, ${report.duplicates} duplicated, ` +
      `drained in ${report.drainSeconds.toFixed(1)} s (${report.faults.posts} POSTs, ` +
      `${report.restarts} collector kills, ${report.reloads} reloads, ${report.offlinePeriods} offline periods)`,
  );
  process.exit(report.lost === 0 && report.duplicates === 0 && report.chainIntact ? 0 : 1);
}
