// The DPO's console in Chromium against the real collector, over records the demo pages made: a
// wrong token is refused and nothing is readable; a subject search (by phone as people write it,
// by record id, by receipt code) shows the API's standing decisions and history with the exact text
// shown; the chain's proof and an anchor; the export equals the API's; the evidence sheet prints;
// axe finds nothing; no request leaves the collector.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync, mkdirSync, mkdtempSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  startCollector, launchBrowser, contextFor, screenshot, getJson, fillSignup, confirmBySms, VALID_SIGNUP,
  SIGNUP_PHONE, root, shots,
} from "./support.mjs";

const axeSource = readFileSync(join(root, "node_modules/axe-core/axe.min.js"), "utf8");

async function axe(page) {
  await page.evaluate(axeSource);
  const results = await page.evaluate(() => window.axe.run(document));
  return results.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target).join(" ")}`);
}

/** Rows of a query run by the sqlite3 program straight on the ledger file. */
function sql(query) {
  const out = execFileSync("sqlite3", ["-json", collector.dbPath, query], { encoding: "utf8" });
  return out.trim() ? JSON.parse(out) : [];
}

let collector, browser, signup, banner;
before(async () => {
  // A made-up ledger of 3,000 decisions over 20 days first, then the demo pages' own records.
  const dbPath = join(mkdtempSync(join(tmpdir(), "kelisim-console-")), "ledger.sqlite");
  execFileSync(join(root, "target/release/kelisim-collector"), ["generate", "--db", dbPath, "--records", "3000", "--days", "20"], { cwd: root });
  collector = await startCollector({ dbPath });
  browser = await launchBrowser();
  // A signup on Esperance's page confirmed by SMS: the phone is the subject.
  const context = await contextFor(browser, "kk-KZ");
  const page = await context.newPage();
  await page.goto(collector.url + "/esperance.html");
  await page.waitForSelector(".kelisim");
  await fillSignup(page, VALID_SIGNUP);
  await page.check('input[data-k-act="toggle:marketing"]');
  await page.click("#signup-submit");
  await page.waitForSelector('button[data-k-act="send-code"]');
  await confirmBySms(page, collector);
  signup = await page.evaluate(() => window.kelisimDemo.state());
  await page.evaluate(() => window.kelisimDemo.flush());
  // A visitor of Kar-Tel's page who refuses what can be refused: an anonymous subject.
  const other = await context.newPage();
  await other.goto(collector.url + "/karatel.html");
  await other.click('button[data-k-act="required-only"]');
  await other.waitForFunction(() => window.kelisimDemo.state());
  banner = await other.evaluate(() => window.kelisimDemo.state());
  await other.evaluate(() => window.kelisimDemo.flush());
  await context.close();
});
after(async () => {
  await browser?.close();
  await collector?.stop();
});

async function openConsole(locale = "kk-KZ") {
  const context = await contextFor(browser, locale, { acceptDownloads: true });
  const page = await context.newPage();
  const foreign = [];
  page.on("request", (r) => {
    if (!r.url().startsWith(collector.url) && !r.url().startsWith("blob:")) foreign.push(r.url());
  });
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  const response = await page.goto(collector.url + "/console/");
  // The print dialog is the browser's; printing itself is checked with page.pdf below.
  await page.evaluate(() => { window.print = () => {}; });
  return { context, page, response, foreign, errors };
}

async function signIn(page, token = collector.token) {
  await page.fill("#token", token);
  await page.click('#sign-in-form button[type="submit"]');
}

const subjectView = async (ref) => (await getJson(collector.url + "/v1/subjects/" + encodeURIComponent(ref) + "/consents", collector.token)).body;

describe("the console", () => {
  it("refuses a wrong token, shows nothing without one, and loads nothing from elsewhere", async () => {
    const { context, page, response, foreign, errors } = await openConsole();
    const csp = response.headers()["content-security-policy"];
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'self'/);
    assert.doesNotMatch(csp, /unsafe/);
    assert.equal(await page.isVisible("#console"), false);
    await signIn(page, "not-the-token-0000000000000000");
    await page.waitForFunction(() => document.getElementById("sign-in-error").textContent !== "");
    assert.equal(await page.textContent("#sign-in-error"), "Токен қабылданбады.");
    assert.equal(await page.isVisible("#console"), false, "nothing shown with a wrong token");
    for (const path of ["/v1/policies", "/v1/verify", "/v1/subjects/%2B77012345678/consents"]) {
      assert.equal((await fetch(collector.url + path)).status, 401, path + " without the token");
    }
    assert.deepEqual(await axe(page), [], "the sign-in page");
    assert.deepEqual(foreign, []);
    assert.deepEqual(errors, []);
    await context.close();
  });

  it("finds a subject by the phone as people write it, with the API's decisions, history and the text shown", async () => {
    const { context, page, foreign, errors } = await openConsole();
    await signIn(page);
    await page.waitForSelector("#policy-list article");
    assert.equal(await page.locator("#policy-list article").count(), 5, "the five operators' editions");
    await page.fill("#query", "8 (701) 234-56-78");
    await page.click('#search-form button[type="submit"]');
    await page.waitForSelector("#result .entry");
    const api = await subjectView(SIGNUP_PHONE);
    const rows = await page.$$eval("#result table tbody tr", (trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent)));
    assert.deepEqual(
      rows.map((r) => [r[0], r[1], r[2], r[4]]),
      api.purposes.map((p) => [p.policyId, p.purposeId, p.granted ? "келісім берді" : "бас тартты", p.recordId]),
    );
    assert.ok(api.purposes.some((p) => p.purposeId === "marketing" && p.granted), "marketing was ticked");
    assert.equal(await page.locator("#result .entry").count(), api.history.length);
    const entry = page.locator(`#result .entry[data-record="${signup.recordId}"]`);
    const shown = await entry.innerText();
    assert.match(shown, /сәйкес/, "the text check");
    assert.match(shown, /расталған/, "the SMS confirmation");
    await entry.locator("button[aria-expanded]").click();
    await entry.locator("pre").waitFor();
    const text = await getJson(collector.url + "/v1/policies/esperance-loyalty/" + encodeURIComponent(api.history[0].record.policy.version) + "/kk", collector.token);
    assert.equal(await entry.locator("pre").textContent(), text.body.text, "the exact text, rebuilt from the edition");
    assert.equal(text.body.textSha256, api.history[0].record.policy.textSha256);
    assert.deepEqual(await axe(page), [], "the search result");
    await screenshot(page, "console-search-kk");
    assert.deepEqual(foreign, []);
    assert.deepEqual(errors, []);
    await context.close();
  });

  it("finds the same subject by record id and by receipt code, and an anonymous visitor by id", async () => {
    const { context, page } = await openConsole("ru-RU");
    await signIn(page);
    await page.click('[data-lang="ru"]');
    const stored = (await getJson(collector.url + "/v1/consents/" + signup.recordId, collector.token)).body;
    for (const query of [signup.recordId, stored.receiptCode.toLowerCase().replace("-", "")]) {
      await page.fill("#query", query);
      await page.click('#search-form button[type="submit"]');
      await page.waitForSelector(`#result .entry.focus[data-record="${signup.recordId}"]`);
      assert.match(await page.textContent("#result h2"), /\+77012345678/, query);
    }
    const anonymous = (await getJson(collector.url + "/v1/consents/" + banner.recordId, collector.token)).body.record.subject.ref;
    await page.fill("#query", anonymous);
    await page.click('#search-form button[type="submit"]');
    await page.waitForSelector(`#result .entry[data-record="${banner.recordId}"]`);
    assert.match(await page.innerText("#result table"), /отказ/, "a refused purpose in Russian");
    await page.fill("#query", "+77770000000");
    await page.click('#search-form button[type="submit"]');
    await page.waitForFunction(() => document.getElementById("search-status").textContent === "Ничего не найдено.");
    await context.close();
  });

  it("proves the chain, holds an anchor, and refuses one that does not hold", async () => {
    const { context, page } = await openConsole("en-GB");
    await signIn(page);
    await page.click('[data-lang="en"]');
    await page.click('a[href="#proof"]');
    await page.click('#proof-form button[type="submit"]');
    await page.waitForSelector("#head");
    const api = (await getJson(collector.url + "/v1/verify", collector.token)).body;
    assert.equal(api.intact, true);
    assert.equal(await page.textContent("#head"), api.head);
    assert.match(await page.textContent("#proof-result"), new RegExp(`The chain is intact · ${api.records} records`));
    await page.fill("#anchor", api.head);
    await page.click('#proof-form button[type="submit"]');
    await page.waitForFunction(() => /still holds/.test(document.getElementById("proof-result").textContent));
    const [seq] = api.head.split(":");
    await page.fill("#anchor", `${seq}:${"0".repeat(64)}`);
    await page.click('#proof-form button[type="submit"]');
    await page.waitForFunction(() => /does not hold: seq \d+: hash differs/.test(document.getElementById("proof-result").textContent));
    assert.deepEqual(await axe(page), [], "the proof");
    await context.close();
  });

  it("exports what the API exports, as NDJSON and CSV", async () => {
    const { context, page } = await openConsole();
    await signIn(page);
    await page.click('a[href="#export"]');
    await page.click('#export-form button[type="submit"]');
    await page.waitForSelector("#export-status a.download");
    const api = await (await fetch(collector.url + "/v1/export", { headers: { authorization: "Bearer " + collector.token } })).text();
    const lines = api.split("\n").filter(Boolean);
    assert.match(await page.textContent("#export-status"), new RegExp(`Жүктелді: ${lines.length} жазба`));
    const [ndjson] = await Promise.all([page.waitForEvent("download"), page.click("#export-status a.download >> nth=0")]);
    assert.equal(readFileSync(await ndjson.path(), "utf8"), api, "the NDJSON is the API's, byte for byte");
    const [csv] = await Promise.all([page.waitForEvent("download"), page.click("#export-status a.download >> nth=1")]);
    const rows = readFileSync(await csv.path(), "utf8").trimEnd().split("\r\n");
    assert.equal(rows.length, lines.length + 1, "a header and a row per entry");
    assert.match(rows[0], /^seq,receivedAt,recordId,kind,subjectRef,policyId/);
    assert.ok(rows.some((r) => r.includes(signup.recordId) && r.includes("marketing=granted")));
    await context.close();
  });

  it("prints one subject's evidence sheet: what was shown, what was decided, when, where in the chain", async () => {
    const { context, page } = await openConsole();
    await signIn(page);
    await page.fill("#query", SIGNUP_PHONE);
    await page.click('#search-form button[type="submit"]');
    await page.waitForSelector("#print-sheet");
    await page.click("#print-sheet");
    await page.waitForSelector("#sheet .sheet-annex pre");
    assert.equal(await page.locator("#sheet .sheet-page tbody tr[data-record]").count(), (await subjectView(SIGNUP_PHONE)).history.length, "each entry on the sheet");
    await page.emulateMedia({ media: "print" });
    const visible = await page.evaluate(() => ({
      main: getComputedStyle(document.querySelector("main")).display,
      sheet: getComputedStyle(document.getElementById("sheet")).display,
    }));
    assert.equal(visible.main, "none", "only the sheet prints");
    assert.notEqual(visible.sheet, "none");
    const sheet = await page.innerText("#sheet");
    const head = (await getJson(collector.url + "/v1/verify", collector.token)).body.head;
    assert.ok(sheet.includes(head), "the chain head the sheet was made at");
    assert.ok(sheet.includes(signup.recordId));
    assert.match(sheet, /ЭСПЕРАНС-РК/, "the text shown");
    mkdirSync(shots, { recursive: true });
    const pdf = await page.pdf({ format: "A4" });
    writeFileSync(join(shots, "console-evidence-sheet.pdf"), pdf);
    assert.ok(pdf.length > 10_000 && pdf.subarray(0, 5).toString() === "%PDF-");
    await context.close();
  });

  it("draws each purpose's daily share granted, withdrawals and flagged records, as SQLite counts them", async () => {
    const { context, page, foreign } = await openConsole();
    await signIn(page);
    await page.waitForSelector("#edition option", { state: "attached" });
    const esperance = await page.$eval("#edition", (s) => [...s.options].find((o) => o.text.startsWith("esperance-loyalty")).value);
    await page.selectOption("#edition", esperance);
    await page.click('a[href="#charts"]');
    await page.click('#charts-form button[type="submit"]');
    await page.waitForSelector("#chart-rate svg");
    const version = (await page.$eval("#edition", (s) => s.selectedOptions[0].text)).split(" · ")[1];
    const table = (name) => page.$$eval(`details[data-table="${name}"] tbody tr`, (trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent)));
    const where = `policy_id = 'esperance-loyalty' AND policy_version = '${version.replace(/'/g, "''")}'`;
    const rate = (lang) => sql(`SELECT substr(received_at, 1, 10) AS day, json_extract(p.value, '$.id') AS purpose,
        sum(json_extract(p.value, '$.granted')) AS granted, sum(1 - json_extract(p.value, '$.granted')) AS refused
      FROM consents, json_each(consents.body, '$.purposes') AS p
      WHERE ${where} AND kind = 'grant' ${lang ? `AND json_extract(body, '$.policy.language') = '${lang}'` : ""}
      GROUP BY 1, 2`).map((r) => [r.day, r.purpose, String(r.granted), String(r.refused)]);
    const byDayAndPurpose = (a, b) => (a[0] + a[1]).localeCompare(b[0] + b[1]);
    const shown = (await table("rate")).map((r) => r.slice(0, 4)).sort(byDayAndPurpose);
    const counted = rate().sort(byDayAndPurpose);
    assert.ok(counted.length > 20, "the generator made days of decisions");
    assert.deepEqual(shown, counted, "the chart's numbers are SQLite's");
    assert.equal(await page.locator("#chart-rate circle").count(), shown.length, "a point per day and purpose");
    const withdrawals = sql(`SELECT substr(received_at, 1, 10) AS day, count(*) AS n FROM consents WHERE ${where} AND kind = 'withdrawal' GROUP BY 1 ORDER BY 1`);
    assert.ok(withdrawals.length > 0);
    assert.deepEqual(await table("withdrawals"), withdrawals.map((r) => [r.day, String(r.n)]));
    const flagged = sql(`SELECT substr(received_at, 1, 10) AS day, sum(text_check <> 'match') AS t,
        sum(text_check = 'match' AND decision_check <> 'consistent') AS d
      FROM consents WHERE ${where} GROUP BY 1 HAVING t + d > 0 ORDER BY 1`);
    assert.deepEqual(await table("flagged"), flagged.map((r) => [r.day, String(r.t), String(r.d)]));
    assert.deepEqual(await axe(page), [], "the charts");
    await page.locator("#charts").scrollIntoViewIfNeeded();
    await screenshot(page, "console-charts-kk");
    // Russian-language notices only: the same numbers, filtered.
    await page.selectOption("#chart-language", "ru");
    await page.click('#charts-form button[type="submit"]');
    await page.waitForFunction(() => document.querySelector("#chart-result details"));
    assert.deepEqual((await table("rate")).map((r) => r.slice(0, 4)).sort(byDayAndPurpose), rate("ru").sort(byDayAndPurpose));
    assert.deepEqual(foreign, []);
    await context.close();
  });

  it("stays usable on a tablet: nothing wider than the screen, targets large enough", async () => {
    const context = await contextFor(browser, "kk-KZ", { viewport: { width: 820, height: 1180 }, hasTouch: true });
    const page = await context.newPage();
    await page.goto(collector.url + "/console/");
    await signIn(page);
    await page.waitForSelector("#edition option", { state: "attached" });
    await page.fill("#query", SIGNUP_PHONE);
    await page.click('#search-form button[type="submit"]');
    await page.waitForSelector("#result .entry");
    await page.click('#charts-form button[type="submit"]');
    await page.waitForSelector("#chart-rate svg");
    const layout = await page.evaluate(() => ({
      wide: document.scrollingElement.scrollWidth,
      screen: window.innerWidth,
      small: [...document.querySelectorAll("button, select, input")].filter((e) => e.offsetParent && e.getBoundingClientRect().height < 44).map((e) => e.outerHTML.slice(0, 60)),
    }));
    assert.ok(layout.wide <= layout.screen, `the page is ${layout.wide}px wide on a ${layout.screen}px screen`);
    assert.deepEqual(layout.small, [], "every control at least 44px tall");
    await screenshot(page, "console-tablet-kk");
    await context.close();
  });

  it("lists each edition with its text hash per language and shows its notice as visitors see it", async () => {
    const { context, page, foreign, errors } = await openConsole("ru-RU");
    await signIn(page);
    await page.click('[data-lang="ru"]');
    await page.click('a[href="#policies"]');
    const { policies } = (await getJson(collector.url + "/v1/policies", collector.token)).body;
    const karatel = policies.find((p) => p.policyId === "karatel-subscribers");
    const article = page.locator("#policy-list article", { hasText: "karatel-subscribers" });
    await article.locator("tbody code").first().waitFor();
    for (const { textSha256 } of karatel.languages) assert.ok((await article.innerText()).includes(textSha256), await article.innerText());
    await article.locator("tbody button").nth(1).click(); // ru
    const frame = page.frameLocator("#policy-list iframe.preview");
    await frame.locator(".kelisim").first().waitFor();
    const shown = await frame.locator("body").innerText();
    const config = JSON.parse(readFileSync(join(root, "www/consent/karatel.json"), "utf8"));
    assert.ok(shown.includes(config.policy.title.ru), "the Russian notice's title");
    for (const purpose of config.purposes) assert.ok(shown.includes(purpose.title.ru), purpose.id);
    const styled = await frame.locator(".kelisim").first().evaluate((e) => getComputedStyle(e).borderTopLeftRadius);
    assert.equal(styled, "10px", "the notice's own stylesheet applies in the frame");
    assert.equal(await frame.locator("script").count(), 0);
    assert.deepEqual(await axe(page), [], "the editions");
    await page.locator("#policy-list iframe.preview").scrollIntoViewIfNeeded();
    await screenshot(page, "console-policy-ru");
    assert.deepEqual(foreign, []);
    assert.deepEqual(errors, []);
    await context.close();
  });
});
