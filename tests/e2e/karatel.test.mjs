// The Kar-Tel demo end to end: real Chromium, the real collector over HTTP, a real SQLite file.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { useCollectorAndBrowser, contextFor, screenshot, getJson, root } from "./support.mjs";
import { canonicalText, sha256Hex } from "./canonical.mjs";

const config = JSON.parse(readFileSync(join(root, "www/consent/karatel.json"), "utf8"));
const optional = config.purposes.filter((p) => !p.required).map((p) => p.id);
const required = config.purposes.filter((p) => p.required).map((p) => p.id);
const axeSource = readFileSync(join(root, "node_modules/axe-core/axe.min.js"), "utf8");

const stack = useCollectorAndBrowser();

/** Opens the demo in a fresh context with the given browser language; collects page errors. */
async function openDemo(locale, options = {}) {
  const context = await contextFor(stack.browser, locale, options);
  const page = await context.newPage();
  const problems = [];
  page.on("pageerror", (e) => problems.push("pageerror: " + e.message));
  page.on("console", (m) => m.type() === "error" && problems.push("console: " + m.text()));
  page.on("response", (r) => r.status() >= 400 && problems.push("HTTP " + r.status() + " " + r.url()));
  await page.goto(stack.collector.url + "/karatel.html");
  await page.waitForSelector(".kelisim");
  return { context, page, problems };
}

/** Waits until the demo's own log shows the backend acknowledged `recordId`. */
async function waitDelivered(page, recordId) {
  await page.waitForFunction((id) => document.getElementById("log").textContent.includes("delivered " + id), recordId, {
    timeout: 10000,
  });
}

async function acceptWith(page, tick) {
  for (const id of tick) await page.click(`input[data-k-act="toggle:${id}"]`);
  await page.click('button[data-k-act="accept-selected"]');
  const state = await page.evaluate(() => window.kelisimDemo.state());
  assert.ok(state, "state() reports the decision");
  await waitDelivered(page, state.recordId);
  return state;
}

async function checkStoredRecord(state, lang, ticked) {
  const { status, body } = await getJson(stack.collector.url + "/v1/consents/" + state.recordId, stack.collector.token);
  assert.equal(status, 200);
  assert.equal(body.textCheck, "match", "the collector recomputes the hash of the text the browser showed");
  const r = body.record;
  assert.equal(r.schema, 1);
  assert.equal(r.recordId, state.recordId);
  assert.equal(r.kind, "grant");
  assert.equal(r.operator.bin, "980540000397");
  assert.equal(r.operator.name, config.operator.name[lang]);
  assert.equal(r.policy.id, config.policy.id);
  assert.equal(r.policy.version, config.policy.version);
  assert.equal(r.policy.language, lang);
  assert.match(r.policy.textSha256, /^[0-9a-f]{64}$/);
  assert.equal(r.policy.textSha256, sha256Hex(canonicalText(config, lang)), "hash recomputes from the config");
  for (const p of r.purposes) {
    const expected = required.includes(p.id) || ticked.includes(p.id);
    assert.equal(p.granted, expected, `purpose ${p.id}`);
  }
  assert.deepEqual(r.purposes.map((p) => p.id), config.purposes.map((p) => p.id), "every purpose is recorded");
  assert.equal(r.transfers.crossBorder, config.transfers.crossBorder);
  assert.equal(r.term, config.term[lang]);
  const collected = Date.parse(r.collectedAt);
  assert.ok(Math.abs(Date.now() - collected) < 120000, "collectedAt is a current timestamp: " + r.collectedAt);
  assert.match(r.collectedAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  assert.match(body.receivedAt, /^\d{4}-\d\d-\d\dT/);
  assert.ok(body.seq >= 1);
  assert.match(body.hash, /^[0-9a-f]{64}$/);
  return r;
}

describe("Kar-Tel subscriber banner", () => {
  it("shows in Kazakh for a Kazakh browser, and the tick lands in the ledger", async () => {
    const { context, page, problems } = await openDemo("kk-KZ");
    assert.equal(await page.getAttribute(".kelisim", "lang"), "kk");
    const text = await page.textContent(".kelisim");
    assert.ok(text.includes(config.policy.title.kk), "Kazakh title");
    assert.ok(text.includes("БСН 980540000397"), "operator BIN shown before the tick");
    for (const id of required) {
      assert.ok(await page.isChecked(`input[data-k-act="toggle:${id}"]`), `${id} is ticked`);
      assert.ok(await page.isDisabled(`input[data-k-act="toggle:${id}"]`), `${id} is locked`);
    }
    for (const id of optional) {
      assert.equal(await page.isChecked(`input[data-k-act="toggle:${id}"]`), false, `${id} is not pre-ticked`);
    }
    await screenshot(page, "karatel-kk");
    const state = await acceptWith(page, [optional[0]]);
    await checkStoredRecord(state, "kk", [optional[0]]);
    assert.equal(await page.isVisible('button[data-k-act="manage"]'), true, "closes to a manage button");
    assert.deepEqual(problems, []);
    await context.close();
  });

  it("shows in Russian for a Russian browser, and the record carries the Russian text hash", async () => {
    const { context, page, problems } = await openDemo("ru-RU");
    assert.equal(await page.getAttribute(".kelisim", "lang"), "ru");
    assert.ok((await page.textContent(".kelisim")).includes(config.policy.title.ru));
    await screenshot(page, "karatel-ru");
    const state = await acceptWith(page, optional.slice(0, 2));
    const r = await checkStoredRecord(state, "ru", optional.slice(0, 2));
    assert.notEqual(r.policy.textSha256, sha256Hex(canonicalText(config, "kk")));
    assert.deepEqual(problems, []);
    await context.close();
  });

  it("switches language in the banner and records the language shown", async () => {
    const { context, page } = await openDemo("kk-KZ");
    await page.click('button[data-k-act="lang:en"]');
    assert.equal(await page.getAttribute(".kelisim", "lang"), "en");
    assert.ok((await page.textContent(".kelisim")).includes(config.policy.title.en));
    await page.click('button[data-k-act="accept-all"]');
    const state = await page.evaluate(() => window.kelisimDemo.state());
    await waitDelivered(page, state.recordId);
    await checkStoredRecord(state, "en", optional);
    await context.close();
  });

  it("works with the keyboard alone", async () => {
    const { context, page } = await openDemo("kk-KZ");
    assert.equal(await page.evaluate(() => document.activeElement.getAttribute("aria-modal")), "true", "the notice takes focus");
    await page.focus(`input[data-k-act="toggle:${optional[0]}"]`);
    await page.keyboard.press("Space");
    assert.equal(await page.isChecked(`input[data-k-act="toggle:${optional[0]}"]`), true);
    assert.equal(
      await page.evaluate(() => document.activeElement.getAttribute("data-k-act")),
      "toggle:" + optional[0],
      "focus stays on the checkbox after the re-render",
    );
    await page.focus('button[data-k-act="accept-selected"]');
    await page.keyboard.press("Enter");
    const state = await page.evaluate(() => window.kelisimDemo.state());
    assert.equal(state.purposes[optional[0]], true);
    assert.equal(await page.evaluate(() => document.activeElement === document.body), true, "focus goes back where it was");
    await page.focus('button[data-k-act="manage"]');
    await page.keyboard.press("Enter");
    await page.keyboard.press("Tab");
    assert.ok(await page.evaluate(() => document.activeElement.closest("[aria-modal]")), "Tab stays in the reopened notice");
    await page.keyboard.press("Escape");
    assert.ok(await page.$('[aria-modal="true"]'), "Escape does not decide or close");
    await page.click('button[data-k-act="accept-selected"]');
    assert.equal(
      await page.evaluate(() => document.activeElement.getAttribute("data-k-act")),
      "manage",
      "focus goes back to the manage button that opened it",
    );
    await waitDelivered(page, state.recordId);
    await context.close();
  });

  it("has no accessibility violations (axe-core)", async () => {
    const { context, page } = await openDemo("kk-KZ");
    // The page's CSP forbids inline scripts; evaluate injects axe through the debugger protocol.
    await page.evaluate(axeSource);
    const results = await page.evaluate(() => window.axe.run(".kelisim"));
    const serious = results.violations.filter((v) => ["serious", "critical"].includes(v.impact));
    assert.deepEqual(serious.map((v) => v.id + ": " + v.help), []);
    await context.close();
  });

  it("keeps an undelivered record and sends it on the next load", async () => {
    const { context, page } = await openDemo("ru-RU");
    await page.route("**/v1/consents", (route) => route.abort("internetdisconnected"));
    await page.click('button[data-k-act="accept-all"]');
    const state = await page.evaluate(() => window.kelisimDemo.state());
    await page.waitForTimeout(300);
    const pending = await page.evaluate(() => window.kelisimDemo.pending().map((r) => r.recordId));
    assert.deepEqual(pending, [state.recordId], "the record waits in the outbox");
    assert.equal((await getJson(stack.collector.url + "/v1/consents/" + state.recordId, stack.collector.token)).status, 404);
    await page.unroute("**/v1/consents");
    await page.reload();
    await page.waitForSelector(".kelisim");
    await waitDelivered(page, state.recordId);
    assert.equal((await getJson(stack.collector.url + "/v1/consents/" + state.recordId, stack.collector.token)).status, 200);
    assert.deepEqual(await page.evaluate(() => window.kelisimDemo.pending()), []);
    await context.close();
  });

  it("shows nothing but the manage button to a visitor who already decided", async () => {
    const { context, page } = await openDemo("kk-KZ");
    await page.click('button[data-k-act="required-only"]');
    await page.reload();
    await page.waitForSelector(".kelisim");
    assert.equal(await page.isVisible('button[data-k-act="manage"]'), true);
    assert.equal(await page.$('input[type="checkbox"]'), null);
    await page.click('button[data-k-act="manage"]');
    assert.equal(await page.isChecked(`input[data-k-act="toggle:${optional[0]}"]`), false);
    await context.close();
  });
});
