// How fast the console answers on a large ledger: the API calls it makes, timed over HTTP, and what
// a DPO waits for in Chromium (sign-in to the editions listed, a subject's history shown, a year of
// pictures drawn, a day exported). Medians of RUNS runs. Not a test: machines are noisy.
//   node benches/console/console.mjs LEDGER [RUNS]
import { execFileSync } from "node:child_process";
import { startCollector, launchBrowser, contextFor, screenshot } from "../../tests/e2e/support.mjs";

const [ledger, runsArg] = process.argv.slice(2);
if (!ledger) throw new Error("usage: node benches/console/console.mjs LEDGER [RUNS]");
const RUNS = Number(runsArg ?? 5);
const one = (sql) => execFileSync("sqlite3", [ledger, sql], { encoding: "utf8" }).trim();
const records = Number(one("SELECT count(*) FROM consents"));
const middle = Math.ceil(records / 2);
const [recordId, code, subject] = one(`SELECT record_id, receipt_code, subject_ref FROM consents WHERE seq = ${middle}`).split("|");
const lastDay = one("SELECT substr(max(received_at), 1, 10) FROM consents");
const history = Number(one(`SELECT count(*) FROM consents WHERE subject_ref = '${subject}'`));

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
async function time(fn) {
  const ms = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await fn();
    ms.push(performance.now() - t0);
  }
  return median(ms);
}

const collector = await startCollector({ dbPath: ledger });
process.on("uncaughtException", (e) => {
  console.error(e);
  collector.kill();
  process.exit(1);
});
const auth = { authorization: "Bearer " + collector.token };
const get = async (path) => {
  const res = await fetch(collector.url + path, { headers: auth });
  if (!res.ok) throw new Error(path + ": " + res.status);
  return res.arrayBuffer();
};
const { policies } = JSON.parse(Buffer.from(await get("/v1/policies")).toString());
const edition = policies.find((p) => p.policyId === "esperance-loyalty") ?? policies[0];
const editionQuery = `policy=${encodeURIComponent(edition.policyId)}&version=${encodeURIComponent(edition.version)}`;
const day = new Date(lastDay + "T00:00:00Z");
const next = new Date(day.getTime() + 86_400_000).toISOString().slice(0, 10);
const api = [
  ["GET /v1/policies", "/v1/policies"],
  [`GET /v1/subjects/{ref}/consents (${history} entries)`, `/v1/subjects/${encodeURIComponent(subject)}/consents`],
  ["GET /v1/consents/{recordId}", "/v1/consents/" + recordId],
  ["GET /v1/receipts/{code}", "/v1/receipts/" + code],
  ["GET /v1/stats, one edition, every day", "/v1/stats?" + editionQuery],
  ["GET /v1/stats, one edition, ru, kiosk", "/v1/stats?" + editionQuery + "&language=ru&channel=kiosk"],
  ["GET /v1/export, the last day", `/v1/export?from=${lastDay}T00:00:00Z&to=${next}T00:00:00Z`],
  ["GET /v1/verify (the whole chain)", "/v1/verify"],
];
const rows = [];
for (const [name, path] of api) {
  let bytes = 0;
  const ms = await time(async () => { bytes = (await get(path)).byteLength; });
  rows.push([name, ms, bytes]);
}

const browser = await launchBrowser();
const context = await contextFor(browser, "kk-KZ", { acceptDownloads: true });
const page = await context.newPage();
const seen = [];
seen.push(["sign-in to the editions listed", await time(async () => {
  await page.goto(collector.url + "/console/");
  await page.evaluate(() => sessionStorage.clear());
  await page.reload();
  await page.fill("#token", collector.token);
  await page.click('#sign-in-form button[type="submit"]');
  await page.waitForSelector("#policy-list article");
})]);
seen.push([`a subject's history shown (${history} entries)`, await time(async () => {
  await page.evaluate(() => document.getElementById("result").replaceChildren());
  await page.fill("#query", subject);
  await page.click('#search-form button[type="submit"]');
  await page.waitForSelector("#result .entry");
})]);
const index = policies.indexOf(edition);
await page.selectOption("#edition", String(index));
seen.push(["a year of pictures drawn, one edition", await time(async () => {
  await page.evaluate(() => document.getElementById("chart-result").replaceChildren());
  await page.click('#charts-form button[type="submit"]');
  await page.waitForSelector("#chart-flagged svg");
})]);
await page.locator("#charts").scrollIntoViewIfNeeded();
await screenshot(page, `console-charts-${records}`);
await browser.close();
await collector.stop();

const fmt = (ms) => (ms < 10 ? ms.toFixed(1) : ms.toFixed(0));
console.log(`\nconsole on a ledger of ${records.toLocaleString("en")} records (${ledger}), median of ${RUNS}:\n`);
console.log("| call | ms | bytes |\n|---|--:|--:|");
for (const [name, ms, bytes] of rows) console.log(`| ${name} | ${fmt(ms)} | ${bytes.toLocaleString("en")} |`);
console.log("\n| in Chromium | ms |\n|---|--:|");
for (const [name, ms] of seen) console.log(`| ${name} | ${fmt(ms)} |`);
console.log(`\nscreenshot: test-results/console-charts-${records}.png`);
