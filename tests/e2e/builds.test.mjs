// Each page downloads only the build it needs: a banner page the banner build, a signup page the
// build with forms — through the one-tag embed (kelisim-auto.js picks by the config) and the JS API.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { useCollectorAndBrowser, contextFor, getJson, root, screenshot } from "./support.mjs";

const stack = useCollectorAndBrowser();

/** Opens `path`, noting every file fetched from /pkg/ and every page error. */
async function open(path, { route } = {}) {
  const context = await contextFor(stack.browser, "kk-KZ");
  const page = await context.newPage();
  const fetched = new Set();
  const problems = [];
  page.on("request", (r) => {
    const u = new URL(r.url());
    if (u.pathname.startsWith("/pkg/")) fetched.add(u.pathname.slice(5));
  });
  page.on("pageerror", (e) => problems.push("pageerror: " + e.message));
  page.on("console", (m) => m.type() === "error" && problems.push("console: " + m.text()));
  if (route) await page.route(stack.collector.url + path, route);
  await page.goto(stack.collector.url + path);
  await page.waitForSelector(".kelisim");
  return { context, page, fetched, problems };
}

const BANNER = ["kelisim-auto.js", "kelisim-banner.js", "kelisim-banner_bg.wasm", "kelisim.css"];

describe("builds chosen per page", () => {
  it("a one-tag banner page downloads the banner build only, and its tick is stored", async () => {
    const { context, page, fetched, problems } = await open("/embed.html");
    assert.deepEqual([...fetched].sort(), BANNER.sort(), "no form code on a banner page");
    await screenshot(page, "embed-kk");
    await page.click('button[data-k-act="accept-all"]');
    const policy = JSON.parse(readFileSync(join(root, "www/consent/karatel.json"), "utf8")).policy.id;
    const saved = await page.waitForFunction((id) => localStorage.getItem("kelisim.decision.v1." + id), policy);
    const { recordId } = JSON.parse(await saved.jsonValue());
    await page.waitForFunction(
      (prefix) => !Object.keys(localStorage).some((k) => k.startsWith(prefix)),
      "kelisim.outbox.v1:/v1/consents:pending:",
    );
    const { status, body } = await getJson(stack.collector.url + "/v1/consents/" + recordId, stack.collector.token);
    assert.equal(status, 200);
    assert.equal(body.textCheck, "match");
    assert.equal(body.record.policy.language, "kk");
    assert.deepEqual(problems, []);
    await context.close();
  });

  it("a JS API banner page loads the banner build, which has no validateField", async () => {
    const { context, page, fetched, problems } = await open("/karatel.html");
    assert.ok(fetched.has("kelisim-banner_bg.wasm") && !fetched.has("kelisim_bg.wasm"), [...fetched].join(", "));
    const exported = await page.evaluate(async () => Object.keys(await import("/pkg/kelisim-banner.js")).sort());
    assert.deepEqual(exported, ["Kelisim", "default", "initSync"]);
    assert.deepEqual(problems, []);
    await context.close();
  });

  /** The one-tag page with Esperance's config and a form of its fields, as a shop would write it. */
  function signupPage({ preloads }) {
    const fields = JSON.parse(readFileSync(join(root, "www/consent/esperance.json"), "utf8")).form.fields;
    let html = readFileSync(join(root, "www/embed.html"), "utf8")
      .replaceAll("/consent/karatel.json", "/consent/esperance.json")
      .replace(
        "<div data-kelisim=",
        `<form id="signup">${fields.map((f) => `<label>${f.name} <input name="${f.name}"></label>`).join("")}</form>\n<div data-kelisim-layout="inline" data-kelisim=`,
      );
    if (preloads === "form") {
      html = html.replace('href="/pkg/kelisim-banner.js"', 'href="/pkg/kelisim.js"').replace('href="/pkg/kelisim-banner_bg.wasm"', 'href="/pkg/kelisim_bg.wasm"');
    }
    return (r) => r.fulfill({ contentType: "text/html; charset=utf-8", body: html });
  }

  it("the same one tag gives a config with a signup form the build with forms", async () => {
    const { context, page, fetched, problems } = await open("/embed-form.html", { route: signupPage({ preloads: "form" }) });
    assert.ok(fetched.has("kelisim.js") && fetched.has("kelisim_bg.wasm"), [...fetched].join(", "));
    assert.ok(!fetched.has("kelisim-banner.js") && !fetched.has("kelisim-banner_bg.wasm"), "one build, not both");
    const described = await page.getAttribute('input[name="iin"]', "aria-describedby");
    assert.match(described ?? "", /-f-iin$/, "the form is bound: each field has its message");
    assert.deepEqual(problems, []);
    await context.close();
  });

  it("a signup page that preloads the banner build still gets the build with forms", async () => {
    const { context, page, fetched, problems } = await open("/embed-form.html", { route: signupPage({ preloads: "banner" }) });
    assert.ok(fetched.has("kelisim_bg.wasm"), [...fetched].join(", "));
    const described = await page.getAttribute('input[name="iin"]', "aria-describedby");
    assert.match(described ?? "", /-f-iin$/, "the form is bound");
    assert.deepEqual(problems, []);
    await context.close();
  });

  it("the banner build refuses a config that binds a form, and says which build to load", async () => {
    const { context, page } = await open("/karatel.html");
    const message = await page.evaluate(async () => {
      const { Kelisim } = await import("/pkg/kelisim-banner.js");
      const config = await (await fetch("/consent/esperance.json")).json();
      const host = document.createElement("div");
      document.body.append(host);
      const k = Kelisim.mount(host, config);
      return new Promise((resolve) => k.on("error", (e) => resolve(e.code + ": " + e.message + " / " + host.childElementCount)));
    });
    assert.match(message, /^config: config: form: .*load kelisim\.js.* \/ 0$/);
    await context.close();
  });

  it("the banner build refuses a config that asks for SMS confirmation, and says which build to load", async () => {
    const { context, page } = await open("/karatel.html");
    const message = await page.evaluate(async () => {
      const { Kelisim } = await import("/pkg/kelisim-banner.js");
      const config = { ...(await (await fetch("/consent/karatel.json")).json()), confirm: { method: "sms" } };
      const host = document.createElement("div");
      document.body.append(host);
      const k = Kelisim.mount(host, config);
      return new Promise((resolve) => k.on("error", (e) => resolve(e.code + ": " + e.message + " / " + host.childElementCount)));
    });
    assert.match(message, /^config: config: confirm: .*SMS confirmation: load kelisim\.js.* \/ 0$/);
    await context.close();
  });
});

describe("a module that cannot be compiled", () => {
  const broken = (route) => route.fulfill({ status: 200, contentType: "application/wasm", body: Buffer.from("\0asm\x01\0\0\0broken") });

  it("is reported on the demo page that loads it with init()", async () => {
    const context = await contextFor(stack.browser, "kk-KZ");
    const page = await context.newPage();
    await page.route("**/pkg/*_bg.wasm", broken);
    await page.goto(stack.collector.url + "/karatel.html");
    await page.waitForFunction(() => document.getElementById("log").textContent.includes("error load:"));
    assert.equal(await page.$(".kelisim"), null);
    await context.close();
  });

  /** Opens the one-tag embed page with `url` answered by `answer`; resolves to the first `kelisim:error`'s detail. */
  async function firstEmbedError(url, answer) {
    const context = await contextFor(stack.browser, "kk-KZ");
    await context.addInitScript(() => {
      window.__errors = [];
      document.addEventListener("kelisim:error", (e) => window.__errors.push(e.detail));
    });
    const page = await context.newPage();
    await page.route(url, answer);
    await page.goto(stack.collector.url + "/embed.html");
    await page.waitForFunction(() => window.__errors.length > 0);
    const [error] = await page.evaluate(() => window.__errors);
    await context.close();
    return error;
  }

  it("is reported by the one-tag embed as a kelisim:error event, with code load", async () => {
    const error = await firstEmbedError("**/pkg/*_bg.wasm", broken);
    assert.equal(error.code, "load");
    assert.match(error.message, /kelisim-banner\.js could not be loaded or compiled/);
  });

  it("an unreachable config is reported the same way, with code config", async () => {
    const error = await firstEmbedError("**/consent/karatel.json", (route) => route.fulfill({ status: 404, body: "" }));
    assert.deepEqual([error.code, /HTTP 404/.test(error.message)], ["config", true]);
  });
});
