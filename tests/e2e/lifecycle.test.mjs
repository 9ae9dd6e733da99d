// A consent's life after the first tick: a new policy edition asks again, and a withdrawal —
// from the banner or the API — is recorded, linked to what it withdraws, and delivered.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { useCollectorAndBrowser, contextFor, screenshot, getJson, root } from "./support.mjs";

const config = JSON.parse(readFileSync(join(root, "www/consent/karatel.json"), "utf8"));
const stack = useCollectorAndBrowser();

async function open(locale) {
  const context = await contextFor(stack.browser, locale);
  const page = await context.newPage();
  await page.goto(stack.collector.url + "/karatel.html");
  await page.waitForSelector(".kelisim");
  return { context, page };
}

const delivered = (page, id) =>
  page.waitForFunction((rid) => document.getElementById("log").textContent.includes("delivered " + rid), id);

async function stored(id) {
  const { status, body } = await getJson(stack.collector.url + "/v1/consents/" + id, stack.collector.token);
  assert.equal(status, 200, "stored: " + id);
  return body.record;
}

describe("re-consent and withdrawal", () => {
  it("asks again when the policy edition changes, and links the new record to the old", async () => {
    const { context, page } = await open("kk-KZ");
    await page.click('button[data-k-act="accept-all"]');
    const first = await page.evaluate(() => window.kelisimDemo.state());
    await delivered(page, first.recordId);

    const bumped = { ...config, policy: { ...config.policy, version: "2026-12-01" } };
    await page.route("**/consent/karatel.json", (route) => route.fulfill({ json: bumped }));
    await page.reload();
    await page.waitForSelector(".kelisim .k-changed");
    assert.ok((await page.textContent(".k-changed")).includes("Саясат жаңартылды"));
    await screenshot(page, "karatel-reconsent-kk");
    await page.click('button[data-k-act="accept-selected"]');
    const second = await page.evaluate(() => window.kelisimDemo.state());
    assert.notEqual(second.recordId, first.recordId);
    await delivered(page, second.recordId);
    const r = await stored(second.recordId);
    assert.equal(r.policy.version, "2026-12-01");
    assert.equal(r.previousRecordId, first.recordId);
    assert.ok(r.purposes.every((p) => p.granted), "earlier grants stay ticked on re-consent");
    await context.close();
  });

  it("withdraws from the banner after showing what withdrawing costs", async () => {
    const { context, page } = await open("ru-RU");
    await page.click('button[data-k-act="accept-all"]');
    const grant = await page.evaluate(() => window.kelisimDemo.state());
    await delivered(page, grant.recordId);
    await page.click('button[data-k-act="manage"]');
    await page.click('input[data-k-act="toggle:marketing"]');
    await page.click('button[data-k-act="accept-selected"]');
    await page.waitForSelector('button[data-k-act="confirm-withdrawal"]');
    const marketing = config.purposes.find((p) => p.id === "marketing");
    const dialog = await page.textContent(".kelisim");
    assert.ok(dialog.includes(marketing.withdrawalEffect.ru), "the cost is shown before confirming");
    await screenshot(page, "karatel-withdraw-ru");
    assert.equal((await page.evaluate(() => window.kelisimDemo.state())).recordId, grant.recordId, "nothing yet");
    await page.click('button[data-k-act="confirm-withdrawal"]');
    const after = await page.evaluate(() => window.kelisimDemo.state());
    assert.equal(after.purposes.marketing, false);
    await delivered(page, after.recordId);
    const w = await stored(after.recordId);
    assert.equal(w.kind, "withdrawal");
    assert.equal(w.previousRecordId, grant.recordId);
    assert.deepEqual(w.purposes, [{ id: "marketing", required: false, granted: false }]);
    await context.close();
  });

  it("withdraws through consent.withdraw() and delivers the record", async () => {
    const { context, page } = await open("kk-KZ");
    await page.click('button[data-k-act="accept-all"]');
    const grant = await page.evaluate(() => window.kelisimDemo.state());
    const record = await page.evaluate(() => window.kelisimDemo.withdraw(["profiling"]));
    assert.equal(record.kind, "withdrawal");
    assert.equal(record.previousRecordId, grant.recordId);
    await page.evaluate(() => window.kelisimDemo.flush());
    const w = await stored(record.recordId);
    assert.deepEqual(w.purposes.map((p) => [p.id, p.granted]), [["profiling", false]]);
    assert.equal(await page.evaluate(() => window.kelisimDemo.state().purposes.profiling), false);
    await context.close();
  });
});
