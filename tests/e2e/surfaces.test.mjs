// Each of the five operators on its own surface, in Kazakh and in Russian: what Law 94-V
// Art. 8(4) asks for is visible before the tick, and the record in the ledger carries it.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { useCollectorAndBrowser, contextFor, screenshot, getJson, root, fillSignup, confirmBySms, VALID_SIGNUP } from "./support.mjs";

const OPERATORS = [
  { page: "karatel", surface: "website banner" },
  { page: "batys", surface: "website banner replacing 'use means acceptance'" },
  { page: "esperance", surface: "loyalty signup with inline consent" },
  { page: "simply", surface: "mobile web view", webview: true },
  { page: "hitter", surface: "mobile web view", webview: true },
];

const configOf = (page) => JSON.parse(readFileSync(join(root, "www/consent", page + ".json"), "utf8"));

/** Fake native bridges, as an Android app and an iOS app would inject them. */
function installBridges() {
  window.__bridged = [];
  window.KelisimAndroid = { postMessage: (text) => window.__bridged.push({ android: text }) };
  window.webkit = { messageHandlers: { kelisim: { postMessage: (record) => window.__bridged.push({ ios: record }) } } };
}

const stack = useCollectorAndBrowser();

for (const op of OPERATORS) {
  describe(`${op.page}: ${op.surface}`, () => {
    const config = configOf(op.page);
    for (const [lang, locale] of [["kk", "kk-KZ"], ["ru", "ru-RU"]]) {
      it(`in ${lang}: notice complete before the tick, record in the ledger carries it`, async () => {
        const context = await contextFor(stack.browser, locale, op.webview ? { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true } : {});
        if (op.webview) await context.addInitScript(installBridges);
        const page = await context.newPage();
        const problems = [];
        page.on("pageerror", (e) => problems.push(e.message));
        page.on("response", (r) => r.status() >= 400 && problems.push("HTTP " + r.status() + " " + r.url()));
        await page.goto(stack.collector.url + "/" + op.page + ".html");
        await page.waitForSelector(".kelisim");
        assert.equal(await page.getAttribute(".kelisim", "lang"), lang);

        const shown = await page.textContent(".kelisim");
        const mustShow = [
          config.policy.title[lang],
          config.operator.name[lang],
          config.term[lang],
          ...config.dataCategories.map((c) => c.title[lang]),
          ...config.purposes.map((p) => p.title[lang]),
          ...config.purposes.map((p) => p.withdrawalEffect[lang]),
          ...(config.notices ?? []).map((n) => n[lang]),
        ];
        if (config.operator.bin) mustShow.push(config.operator.bin);
        for (const text of mustShow) assert.ok(shown.includes(text), `shown before the tick: ${text.slice(0, 60)}`);
        assert.equal(await page.locator(".k-transfers li").count(), 4, "third parties, cross-border, public sources, storage");
        for (const p of config.purposes) {
          const box = `input[data-k-act="toggle:${p.id}"]`;
          assert.equal(await page.isChecked(box), p.required, `${p.id}: required ticked, optional not`);
          assert.equal(await page.isDisabled(box), p.required, `${p.id}: required locked`);
        }
        await screenshot(page, `${op.page}-${lang}`);

        // A policy that gives one consent to everything (hitter) has no optional purpose to tick.
        const optional = config.purposes.filter((p) => !p.required).map((p) => p.id).slice(0, 1);
        for (const id of optional) await page.click(`input[data-k-act="toggle:${id}"]`);
        if (config.form) {
          // The signup form's own submit records the consent.
          await fillSignup(page, VALID_SIGNUP);
          await page.click("#signup-submit");
          if (config.confirm) await confirmBySms(page, stack.collector);
        } else {
          await page.click(`button[data-k-act="${optional.length ? "accept-selected" : "accept-all"}"]`);
        }
        const state = await page.evaluate(() => window.kelisimDemo.state());
        await page.waitForFunction((id) => document.getElementById("log").textContent.includes("delivered " + id), state.recordId);

        const { status, body } = await getJson(stack.collector.url + "/v1/consents/" + state.recordId, stack.collector.token);
        assert.equal(status, 200);
        assert.equal(body.textCheck, "match", "the collector's registry holds this text");
        const r = body.record;
        assert.equal(r.operator.name, config.operator.name[lang]);
        assert.equal(r.operator.bin, config.operator.bin);
        assert.equal(r.policy.id, config.policy.id);
        assert.equal(r.policy.version, config.policy.version);
        assert.equal(r.policy.language, lang);
        assert.equal(r.term, config.term[lang]);
        assert.deepEqual(
          { ...r.transfers, crossBorder: r.transfers.crossBorder },
          { ...config.transfers },
          "transfer flags as shown",
        );
        const granted = r.purposes.filter((p) => p.granted).map((p) => p.id).sort();
        const expected = [...config.purposes.filter((p) => p.required).map((p) => p.id), ...optional].sort();
        assert.deepEqual(granted, expected);
        assert.ok(r.dataCategories.length > 0);
        assert.equal(r.channel, op.webview ? "webview" : "web");
        if (op.webview) {
          const bridged = await page.evaluate(() => window.__bridged);
          const android = bridged.find((m) => m.android);
          const ios = bridged.find((m) => m.ios);
          assert.equal(JSON.parse(android.android).recordId, state.recordId, "Android bridge got the record text");
          assert.equal(ios.ios.recordId, state.recordId, "iOS bridge got the record object");
        }
        assert.deepEqual(problems, []);
        await context.close();
      });
    }
  });
}
