// The notice as a visitor on a phone, a keyboard user and a visitor at 400 % zoom meets it: every
// purpose and the decision on the first screen, refusing as prominent as accepting, a dialog that
// holds focus, everything reachable at 320×256, a confirmed withdrawal through the signup form,
// and each tab hearing of its own records.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { useCollectorAndBrowser, screenshot, getJson, root, fillSignup, confirmBySms, VALID_SIGNUP } from "./support.mjs";

const stack = useCollectorAndBrowser();
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };
const configOf = (name) => JSON.parse(readFileSync(join(root, "www/consent", name + ".json"), "utf8"));

async function open(name, locale, options = PHONE) {
  const context = await stack.browser.newContext({ locale, ...options });
  const page = await context.newPage();
  const problems = [];
  page.on("pageerror", (e) => problems.push(e.message));
  await page.goto(stack.collector.url + "/" + name + ".html");
  await page.waitForSelector(".kelisim .k-purpose");
  return { context, page, problems };
}

/** Whether `selector` is wholly inside the viewport and the topmost thing at its centre. */
const onScreen = (page, selector) =>
  page.$$eval(selector, (els) =>
    els.map((el) => {
      const r = el.getBoundingClientRect();
      const inside = r.top >= 0 && r.left >= 0 && r.bottom <= innerHeight && r.right <= innerWidth && r.height > 0;
      const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
      const label = el.id && document.querySelector(`label[for="${el.id}"]`);
      return inside && (el.contains(hit) || (label && label.contains(hit)) || hit === el);
    }),
  );

describe("the notice on a 390×844 phone", () => {
  for (const name of ["karatel", "batys", "simply", "hitter"]) {
    for (const [lang, locale] of [["kk", "kk-KZ"], ["ru", "ru-RU"]]) {
      it(`${name} in ${lang}: title, summary, every purpose and the decision on the first screen`, async () => {
        const { context, page, problems } = await open(name, locale);
        const config = configOf(name);
        assert.equal(await page.getAttribute("section.kelisim", "lang"), lang);
        assert.deepEqual(await onScreen(page, ".k-title"), [true]);
        assert.deepEqual(await onScreen(page, ".k-summary"), [true]);
        const boxes = await onScreen(page, ".k-purpose input");
        assert.equal(boxes.length, config.purposes.length);
        assert.ok(boxes.every(Boolean), `every checkbox visible and not covered: ${boxes}`);
        const buttons = await onScreen(page, ".k-actions button");
        assert.ok(buttons.length >= 1 && buttons.every(Boolean), `every decision button visible: ${buttons}`);
        const sizes = await page.evaluate(() => {
          let smallest = Infinity;
          const walk = document.createTreeWalker(document.querySelector("section.kelisim"), NodeFilter.SHOW_TEXT);
          while (walk.nextNode()) {
            const el = walk.currentNode.parentElement;
            if (walk.currentNode.textContent.trim() && el.checkVisibility()) smallest = Math.min(smallest, parseFloat(getComputedStyle(el).fontSize));
          }
          const targets = [...document.querySelectorAll("section.kelisim button, .k-purpose label")].map((el) => el.getBoundingClientRect());
          return { smallest, smallestTarget: Math.min(...targets.map((r) => Math.min(r.height, r.width))) };
        });
        assert.ok(sizes.smallest >= 16, `text is at least 16 px: ${sizes.smallest}`);
        assert.ok(sizes.smallestTarget >= 44, `targets are at least 44 px: ${sizes.smallestTarget}`);
        await screenshot(page, `phone-${name}-${lang}`);
        // The rest is one tap away, inside the notice, before any decision.
        await page.click('[data-k-act="details"]');
        const shown = await page.innerText("section.kelisim");
        for (const text of [config.operator.name[lang], config.term[lang], ...config.purposes.map((p) => p.withdrawalEffect[lang])]) {
          assert.ok(shown.includes(text.trim().split("\n")[0]), `the second layer shows: ${text.slice(0, 50)}`);
        }
        assert.equal(await page.getAttribute('[data-k-act="details"]', "aria-expanded"), "true");
        assert.deepEqual(problems, []);
        await context.close();
      });
    }
  }

  it("esperance: the inline notice with every purpose fits one screen", async () => {
    const { context, page } = await open("esperance", "kk-KZ");
    const height = await page.$eval("section.kelisim", (el) => el.getBoundingClientRect().height);
    assert.ok(height <= 844, `the inline notice is ${height} px tall`);
    await context.close();
  });
});

describe("refusing weighs the same as accepting", () => {
  for (const [lang, locale] of [["kk", "kk-KZ"], ["ru", "ru-RU"], ["en", "en-US"]]) {
    for (const options of [PHONE, { viewport: { width: 1280, height: 800 } }]) {
      it(`karatel in ${lang} at ${options.viewport.width} px: the decision buttons look alike`, async () => {
        const { context, page } = await open("karatel", locale, options);
        await page.check(".k-purpose input:not([disabled])");
        const styles = await page.$$eval(".k-actions button", (els) =>
          els.map((el) => {
            const s = getComputedStyle(el);
            const r = el.getBoundingClientRect();
            return {
              act: el.dataset.kAct,
              look: [s.backgroundColor, s.color, s.borderColor, s.borderWidth, s.fontSize, s.fontWeight, s.padding, Math.round(r.height), Math.round(r.width)].join(" "),
            };
          }),
        );
        assert.deepEqual(styles.map((s) => s.act), ["required-only", "accept-selected", "accept-all"]);
        for (const s of styles) assert.equal(s.look, styles[0].look, `${s.act} looks like ${styles[0].act}`);
        await context.close();
      });
    }
  }

  it("'confirm my choices' shows only while an optional purpose is ticked", async () => {
    const { context, page } = await open("karatel", "kk-KZ");
    assert.equal(await page.$('[data-k-act="accept-selected"]'), null);
    await page.check(".k-purpose input:not([disabled])");
    assert.ok(await page.$('[data-k-act="accept-selected"]'));
    await page.uncheck(".k-purpose input:not([disabled])");
    assert.equal(await page.$('[data-k-act="accept-selected"]'), null);
    await context.close();
  });
});

describe("a dialog when it overlays, a region when inline", () => {
  it("karatel: focus moves in on open, Tab and Shift+Tab stay inside, Escape never decides", async () => {
    const { context, page } = await open("karatel", "ru-RU", { viewport: { width: 1280, height: 800 } });
    assert.equal(await page.evaluate(() => document.activeElement.matches('section[role="dialog"][aria-modal="true"]')), true);
    const controls = await page.$$eval("section.kelisim :is(button, input:not([disabled]), a[href])", (els) => els.filter((e) => e.checkVisibility()).length);
    const inside = () => page.evaluate(() => !!document.activeElement.closest("section.kelisim"));
    for (let i = 0; i < controls * 2 + 1; i++) {
      await page.keyboard.press("Tab");
      assert.ok(await inside(), `Tab ${i + 1} stays in the notice`);
    }
    for (let i = 0; i < controls + 1; i++) {
      await page.keyboard.press("Shift+Tab");
      assert.ok(await inside(), `Shift+Tab ${i + 1} stays in the notice`);
    }
    // A click on the page behind lands on the backdrop, and focus sent behind comes back.
    await page.mouse.click(5, 5);
    await page.evaluate(() => document.querySelector("header a").focus());
    assert.ok(await inside(), "focus sent behind the dialog comes back");
    await page.focus('[data-k-act="details"]');
    await page.keyboard.press("Enter");
    assert.equal(await page.getAttribute('[data-k-act="details"]', "aria-expanded"), "true");
    await page.keyboard.press("Escape");
    assert.equal(await page.getAttribute('[data-k-act="details"]', "aria-expanded"), "false", "Escape closes the second layer");
    await page.keyboard.press("Escape");
    assert.ok(await page.$('section[aria-modal="true"]'), "Escape on the first layer does nothing");
    assert.equal(await page.evaluate(() => window.kelisimDemo.state()), null, "nothing was decided");
    await context.close();
  });

  it("esperance inline: a region of the form, no dialog, focus left where it is", async () => {
    const { context, page } = await open("esperance", "kk-KZ");
    const section = await page.$eval("section.kelisim", (el) => [el.getAttribute("role"), el.getAttribute("aria-modal"), el.getAttribute("aria-labelledby")]);
    assert.deepEqual(section.slice(0, 2), [null, null]);
    assert.ok(section[2]);
    assert.equal(await page.evaluate(() => document.activeElement === document.body), true);
    assert.equal(await page.$(".kelisim-layer"), null);
    await context.close();
  });
});

describe("400 % zoom (320×256 CSS px)", () => {
  for (const name of ["karatel", "simply", "esperance"]) {
    it(`${name}: every control is reachable and visible when focused`, async () => {
      const { context, page } = await open(name, "kk-KZ", { viewport: { width: 320, height: 256 } });
      if (name === "esperance") await page.focus('[name="address"]');
      const ids = await page.$$eval("section.kelisim :is(button, input:not([disabled]), a[href])", (els) => els.filter((e) => e.checkVisibility()).map((e) => e.id || e.dataset.kAct));
      const seen = new Set();
      for (let i = 0; i < ids.length + 2; i++) {
        await page.keyboard.press("Tab");
        const at = await page.evaluate(() => {
          const el = document.activeElement;
          const r = el.getBoundingClientRect();
          return { id: el.id || el.dataset.kAct, inNotice: !!el.closest("section.kelisim"), visible: r.top >= -1 && r.bottom <= innerHeight + 1 && r.left >= -1 && r.right <= innerWidth + 1, overflow: document.documentElement.scrollWidth - innerWidth };
        });
        if (!at.inNotice) continue;
        seen.add(at.id);
        assert.ok(at.visible, `${at.id} is on screen when focused`);
        assert.equal(at.overflow, 0, "no sideways scrolling");
      }
      for (const id of ids) assert.ok(seen.has(id), `${id} is reachable by Tab`);
      await context.close();
    });
  }
});

describe("withdrawal through the signup form", () => {
  it("esperance: unticking a granted purpose and submitting asks first, shows the cost, records a withdrawal", async () => {
    const { context, page } = await open("esperance", "kk-KZ");
    const config = configOf("esperance");
    const optional = config.purposes.find((p) => !p.required);
    await fillSignup(page, VALID_SIGNUP);
    await page.check(`input[data-k-act="toggle:${optional.id}"]`);
    await page.click("#signup-submit");
    await confirmBySms(page, stack.collector);
    const grant = await page.evaluate(() => window.kelisimDemo.state());
    assert.equal(grant.purposes[optional.id], true);
    await page.click('button[data-k-act="manage"]');
    await page.uncheck(`input[data-k-act="toggle:${optional.id}"]`);
    await page.evaluate(() => {
      window.__submits = 0;
      document.getElementById("signup").addEventListener("submit", () => window.__submits++);
    });
    await page.click("#signup-submit");
    assert.equal(await page.evaluate(() => window.__submits), 0, "the form waits for the confirmation");
    const confirm = await page.innerText("section.kelisim");
    assert.ok(confirm.includes(optional.withdrawalEffect.kk.trim().split("\n")[0]), "the cost of withdrawing is shown");
    assert.equal((await page.evaluate(() => window.kelisimDemo.state())).recordId, grant.recordId, "nothing recorded yet");
    await page.click('button[data-k-act="confirm-withdrawal"]');
    const after = await page.evaluate(() => window.kelisimDemo.state());
    assert.notEqual(after.recordId, grant.recordId);
    assert.equal(after.purposes[optional.id], false);
    await page.waitForFunction((id) => document.getElementById("signup-done").textContent.includes(id), after.recordId);
    assert.equal(await page.evaluate(() => window.__submits), 1, "sent on once, after the confirmation");
    await page.evaluate(() => window.kelisimDemo.flush());
    const stored = await getJson(stack.collector.url + "/v1/consents/" + after.recordId, stack.collector.token);
    assert.equal(stored.status, 200);
    assert.equal(stored.body.record.kind, "withdrawal");
    assert.equal(stored.body.record.previousRecordId, grant.recordId);
    assert.deepEqual(stored.body.record.purposes.map((p) => [p.id, p.granted]), [[optional.id, false]]);
    await context.close();
  });
});

describe("two tabs of one site", () => {
  it("each tab hears `delivered` for its own records, whichever tab sends, and each record is POSTed once", async () => {
    const context = await stack.browser.newContext({ locale: "kk-KZ" });
    await context.route("**/v1/consents", (route) => route.abort("internetdisconnected"));
    const tabs = [await context.newPage(), await context.newPage()];
    for (const tab of tabs) {
      await tab.goto(stack.collector.url + "/karatel.html");
      await tab.waitForSelector(".kelisim .k-purpose");
    }
    await tabs[0].click('button[data-k-act="accept-all"]');
    const first = await tabs[0].evaluate(() => window.kelisimDemo.state().recordId);
    await tabs[1].click('button[data-k-act="required-only"]');
    const second = await tabs[1].evaluate(() => window.kelisimDemo.state().recordId);
    await tabs[0].waitForTimeout(300);
    const posted = [];
    await context.unroute("**/v1/consents");
    context.on("request", (r) => r.method() === "POST" && r.url().endsWith("/v1/consents") && posted.push(JSON.parse(r.postData()).recordId));
    await tabs[0].evaluate(() => window.kelisimDemo.flush());
    const log = (tab, id) => tab.waitForFunction((rid) => document.getElementById("log").textContent.includes("delivered " + rid), id);
    await log(tabs[0], first);
    await log(tabs[1], second);
    assert.equal(await tabs[0].evaluate((id) => document.getElementById("log").textContent.includes("delivered " + id), second), false, "tab 1 does not hear of tab 2's record");
    await tabs[1].evaluate(() => window.kelisimDemo.flush());
    await tabs[0].waitForTimeout(300);
    assert.deepEqual([...posted].sort(), [first, second].sort(), "each record POSTed once");
    for (const id of [first, second]) assert.equal((await getJson(stack.collector.url + "/v1/consents/" + id, stack.collector.token)).status, 200);
    await context.close();
  });
});

describe("axe-core", () => {
  const axeSource = readFileSync(join(root, "node_modules/axe-core/axe.min.js"), "utf8");
  for (const name of ["karatel", "batys", "esperance", "simply", "hitter"]) {
    it(`${name}: no violations of any impact, both layers, in kk and ru, on a phone`, async () => {
      for (const locale of ["kk-KZ", "ru-RU"]) {
        const { context, page } = await open(name, locale);
        await page.evaluate(axeSource);
        for (const layer of ["first", "second"]) {
          if (layer === "second") await page.click('[data-k-act="details"]');
          const results = await page.evaluate(() => window.axe.run(".kelisim"));
          assert.deepEqual(results.violations.map((v) => `${v.id} (${v.impact}): ${v.help}`), [], `${locale}, ${layer} layer`);
        }
        await context.close();
      }
    });
  }
});
