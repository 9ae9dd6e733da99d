// What the visitor refuses does not load: the Kar-Tel demo page's gated tracker script and map
// embed, watched on the network in real Chromium, before consent, after a grant, after a refusal
// and on the next visits; the placeholder that grants one purpose; a withdrawal's cookies and keys;
// Google Consent Mode's default and updates; and a page of gated scripts of every kind.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { useCollectorAndBrowser, getJson } from "./support.mjs";

// The demo pages, and the test page of every kind of gated script under /gate/.
const stack = useCollectorAndBrowser({ pages: "gate" });

/** A context whose requests to the demo's tracker and map are noted. */
async function visitor() {
  const context = await stack.browser.newContext({ locale: "kk-KZ" });
  const seen = [];
  context.on("request", (r) => {
    const path = new URL(r.url()).pathname;
    if (path.startsWith("/demo/") || (path.startsWith("/gate/") && path.endsWith(".js"))) seen.push(path);
  });
  const page = await context.newPage();
  const problems = [];
  page.on("pageerror", (e) => problems.push(e.message));
  const open = async (path = "/karatel.html") => {
    await page.goto(stack.collector.url + path);
    await page.waitForSelector(".kelisim");
    await page.waitForTimeout(300);
  };
  return { context, page, seen, problems, open };
}

const layer = (page) => page.evaluate(() => window.dataLayer.map((a) => [...a]));

describe("gated scripts and embeds on the Kar-Tel page", () => {
  it("load nothing before consent, then what a grant allows, and on the next visit too", async () => {
    const { context, page, seen, problems, open } = await visitor();
    await open();
    assert.deepEqual(seen, [], "no request to the tracker or the map before a decision");
    assert.equal(await page.evaluate(() => window.demoTrackerRuns), undefined);
    const placeholder = await page.textContent(".k-embed");
    assert.match(placeholder, /2GIS/);
    assert.match(placeholder, /Қосымша қызметтер/, "names the purpose it needs, in the notice's language");
    assert.deepEqual(await layer(page), [["consent", "default", { ad_storage: "denied", ad_user_data: "denied", ad_personalization: "denied", analytics_storage: "denied" }]]);
    await page.click('button[data-k-act="accept-all"]');
    await page.waitForFunction(() => window.demoTrackerRuns === 1);
    assert.deepEqual(seen.sort(), ["/demo/map.html", "/demo/tracker.js"]);
    assert.equal(await page.$(".k-embed"), null, "the placeholder is gone");
    const [, update] = await layer(page);
    assert.deepEqual(update, ["consent", "update", { ad_storage: "granted", ad_user_data: "granted", ad_personalization: "granted", analytics_storage: "granted" }]);
    seen.length = 0;
    await open();
    await page.waitForFunction(() => window.demoTrackerRuns === 1);
    assert.deepEqual(seen.sort(), ["/demo/map.html", "/demo/tracker.js"], "the next visit after a grant loads them");
    assert.deepEqual((await layer(page)).map((c) => c[1]), ["default", "update"], "the saved decision is told on later visits");
    assert.deepEqual(problems, []);
    await context.close();
  });

  it("load nothing after a refusal, nor on the next visit", async () => {
    const { context, page, seen, open } = await visitor();
    await open();
    await page.click('button[data-k-act="required-only"]');
    await page.waitForTimeout(400);
    assert.deepEqual(seen, []);
    assert.deepEqual((await layer(page)).at(-1), ["consent", "update", { ad_storage: "denied", ad_user_data: "denied", ad_personalization: "denied", analytics_storage: "denied" }]);
    await open();
    assert.deepEqual(seen, [], "the next visit after a refusal loads nothing");
    assert.ok(await page.$(".k-embed"), "the placeholder is back");
    await context.close();
  });

  it("the placeholder grants just the purpose the embed needs, as a recorded decision", async () => {
    const { context, page, seen, open } = await visitor();
    await open();
    await page.click('button[data-k-act="required-only"]');
    await page.click('.k-embed button[data-k-act="grant:additionalServices"]');
    await page.waitForFunction(() => document.querySelector("iframe").src.endsWith("/demo/map.html"));
    const state = await page.evaluate(() => window.kelisimDemo.state());
    assert.deepEqual(state.purposes, { basicServices: true, additionalServices: true, marketing: false, profiling: false, crossBorderTransfer: false });
    assert.deepEqual(seen, ["/demo/map.html"], "the map, not the tracker");
    await page.evaluate(() => window.kelisimDemo.flush());
    const stored = await getJson(stack.collector.url + "/v1/consents/" + state.recordId, stack.collector.token);
    assert.equal(stored.status, 200);
    assert.equal(stored.body.record.kind, "grant");
    assert.deepEqual([stored.body.textCheck, stored.body.decisionCheck], ["match", "consistent"]);
    await context.close();
  });

  it("a withdrawal clears the purpose's cookies and storage keys and tells the page", async () => {
    const { context, page, open } = await visitor();
    await open();
    await page.click('button[data-k-act="accept-all"]');
    await page.waitForFunction(() => window.demoTrackerRuns === 1);
    assert.match(await page.evaluate(() => document.cookie), /_ym_uid=/);
    assert.ok(await page.evaluate(() => localStorage.getItem("_ym_demo_uid")));
    await page.evaluate(() => {
      window.__changes = [];
      window.kelisimDemo.on("change", (s) => window.__changes.push(s.purposes.marketing));
    });
    await page.evaluate(() => window.kelisimDemo.withdraw(["marketing"]));
    assert.doesNotMatch(await page.evaluate(() => document.cookie), /_ym_uid=/, "the tracker's cookie is gone");
    assert.equal(await page.evaluate(() => localStorage.getItem("_ym_demo_uid")), null, "its storage key too");
    assert.deepEqual(await page.evaluate(() => window.__changes), [false], "on('change') hears the new state");
    assert.deepEqual((await layer(page)).at(-1)[2].ad_storage, "denied");
    await context.close();
  });
});

describe("every kind of gated script", () => {
  it("runs in document order with its attributes, a module as a module, a nonce kept, several purposes all needed, none or unknown never, later ones too", async () => {
    const { context, page, seen, problems, open } = await visitor();
    await open("/gate/page.html");
    assert.deepEqual(seen, []);
    await page.click(".k-purpose input[data-k-act='toggle:marketing']");
    await page.click(".k-purpose input[data-k-act='toggle:additionalServices']");
    await page.click('button[data-k-act="accept-selected"]');
    await page.waitForFunction(() => window.__order?.some((o) => o.startsWith("spaces")));
    const order = await page.evaluate(() => window.__order);
    // dataLayer holds the default and the update (2) before any gated script ran. A mark needing a
    // purpose not granted (profiling), naming none, or naming one the config lacks never runs;
    // extra spaces between names do not matter.
    assert.deepEqual(order, ["1:2:anonymous", "inline-2:2", "3:2:null", "module:esm", "spaces:2:null"]);
    assert.equal(await page.evaluate(() => document.querySelector('script[src="/gate/order.js?1"]').getAttribute("referrerpolicy")), "no-referrer");
    await page.waitForFunction(() => document.querySelector('iframe[title="2GIS"]').src.endsWith("/demo/map.html"));
    assert.equal(await page.evaluate(() => document.querySelector('iframe[title="bad"]').getAttribute("src")), null);
    // A gated script added later runs at once, since its purpose is granted.
    await page.evaluate(() => {
      const s = document.createElement("script");
      s.type = "text/plain";
      s.dataset.kelisimPurpose = "marketing";
      s.src = "/gate/order.js?late";
      s.dataset.order = "late";
      document.body.append(s);
    });
    await page.waitForFunction(() => window.__order.some((o) => o.startsWith("late")));
    assert.equal((await page.evaluate(() => window.__order)).some((o) => o.startsWith("both")), false, "needs profiling too");
    assert.deepEqual(problems, []);
    await context.close();
  });
});

describe("Consent Mode without Google's stub", () => {
  it("is reported once as a kelisim:error with code config, and gating goes on", async () => {
    const context = await stack.browser.newContext({ locale: "kk-KZ" });
    await context.addInitScript(() => {
      window.__errors = [];
      document.addEventListener("kelisim:error", (e) => window.__errors.push(e.detail));
    });
    const page = await context.newPage();
    await page.route("**/js/gtag.js", (route) => route.fulfill({ status: 200, contentType: "text/javascript", body: "" }));
    await page.goto(stack.collector.url + "/karatel.html");
    await page.waitForSelector(".kelisim .k-purpose");
    await page.click('button[data-k-act="accept-all"]');
    await page.waitForFunction(() => window.demoTrackerRuns === 1);
    const errors = await page.evaluate(() => window.__errors);
    assert.equal(errors.length, 1, "said once, not at every update");
    assert.equal(errors[0].code, "config");
    assert.match(errors[0].message, /gtag is not defined/);
    await context.close();
  });
});
