// Consent confirmed by SMS, the shop's tablet and the receipt, in Chromium against the real
// collector with a test SMS command: a correct code stores a `verified` record; a wrong, expired,
// reused or other phone's confirmation never does; sends and attempts are limited; the kiosk
// leaves nothing of one customer for the next; the receipt's short code finds the entry.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  startCollector, launchBrowser, contextFor, screenshot, getJson, fillSignup, confirmBySms, smsTo, codeSentTo,
  VALID_SIGNUP, SIGNUP_PHONE, root,
} from "./support.mjs";

const axeSource = readFileSync(join(root, "node_modules/axe-core/axe.min.js"), "utf8");

/** axe-core's violations of any impact in the notice, as readable lines. */
async function axe(page) {
  if (!(await page.evaluate(() => !!window.axe))) await page.evaluate(axeSource);
  const results = await page.evaluate(() => window.axe.run(".kelisim"));
  return results.violations.map((v) => `${v.id} (${v.impact}): ${v.help}`);
}

let collector, browser;
before(async () => {
  collector = await startCollector();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await collector?.stop();
});

async function open(path, locale = "kk-KZ", on = collector) {
  const context = await contextFor(browser, locale, { acceptDownloads: true });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(on.url + path);
  await page.waitForSelector(".kelisim");
  return { context, page, errors };
}

/** Fills the Esperance form with `phone` and submits it: the notice's SMS step opens. */
async function submitSignup(page, phone = VALID_SIGNUP.phone) {
  await fillSignup(page, { ...VALID_SIGNUP, phone });
  await page.check('input[data-k-act="toggle:marketing"]');
  await page.click("#signup-submit");
  await page.waitForSelector('button[data-k-act="send-code"]');
}

const entry = async (id, on = collector) => (await getJson(on.url + "/v1/consents/" + id, on.token)).body;
const notice = (page) => page.innerText("section.kelisim");
const codeInput = 'input[autocomplete="one-time-code"]';

describe("SMS confirmation on the Esperance signup", () => {
  it("a correct code stores a verified record for the form's phone, then the form goes on", async () => {
    const { context, page, errors } = await open("/esperance.html");
    await page.evaluate(() => {
      window.__submits = 0;
      document.getElementById("signup").addEventListener("submit", () => window.__submits++);
    });
    await submitSignup(page);
    assert.equal(await page.evaluate(() => window.__submits), 0, "the form waits for the code");
    assert.match(await notice(page), /\+7\u00a0701\u00a0234\u00a056\u00a078/, "the form's phone, never wrapped");
    assert.deepEqual(await axe(page), [], "the SMS step, phone");
    await screenshot(page, "sms-phone-kk");
    const sent = smsTo(collector, SIGNUP_PHONE).length;
    // Keyboard alone: focus is on the button that sends the code, then on the code.
    assert.equal(await page.evaluate(() => document.activeElement.dataset.kAct), "send-code", "focus on «Код жіберу»");
    await page.keyboard.press("Enter");
    await page.waitForSelector(codeInput);
    assert.equal(await page.evaluate(() => document.activeElement.autocomplete), "one-time-code", "focus on the code");
    const message = smsTo(collector, SIGNUP_PHONE)[sent];
    assert.match(message.text, /келісімін растау коды/, "the SMS speaks the notice's language");
    assert.deepEqual(await axe(page), [], "the SMS step, code");
    await screenshot(page, "sms-code-kk");
    await page.fill(codeInput, await codeSentTo(collector, SIGNUP_PHONE, sent));
    await page.press(codeInput, "Enter");
    await page.waitForFunction(() => window.kelisimDemo.state());
    const state = await page.evaluate(() => window.kelisimDemo.state());
    await page.waitForFunction(() => window.__submits === 1);
    assert.ok((await page.textContent("#signup-done")).includes(state.recordId), "the shop's handler ran once");
    await page.evaluate(() => window.kelisimDemo.flush());
    const stored = await entry(state.recordId);
    assert.equal(stored.record.subject.ref, SIGNUP_PHONE);
    assert.equal(smsTo(collector, SIGNUP_PHONE).length, sent + 1, "one code sent");
    assert.equal(stored.record.confirmation.method, "sms");
    assert.equal(stored.confirmationCheck, "verified");
    assert.equal(stored.textCheck, "match");
    assert.deepEqual(errors, []);
    await context.close();
  });

  it("a wrong code says how many attempts are left, then stops; nothing is recorded", async () => {
    const { context, page } = await open("/esperance.html", "ru-RU");
    await submitSignup(page, "+7 702 111 22 33");
    await page.click('button[data-k-act="send-code"]');
    await page.waitForSelector(codeInput);
    const right = await codeSentTo(collector, "+77021112233", 0);
    const wrong = right === "000000" ? "111111" : "000000";
    await page.fill(codeInput, wrong);
    await page.click('button[data-k-act="check-code"]');
    await page.waitForFunction(() => /Неверный код\. Осталось попыток: 4/.test(document.querySelector(".k-problem")?.textContent));
    assert.deepEqual(await axe(page), [], "the SMS step, wrong code");
    await screenshot(page, "sms-wrong-ru");
    for (let left = 3; left >= 0; left--) {
      await page.fill(codeInput, wrong);
      await page.click('button[data-k-act="check-code"]');
      await page.waitForFunction((n) => {
        const text = document.querySelector(".k-problem")?.textContent ?? "";
        return n > 0 ? text.endsWith(": " + n) : /Попытки для этого кода закончились/.test(text);
      }, left);
    }
    // The right code no longer helps: the confirmation is spent.
    await page.fill(codeInput, right);
    await page.click('button[data-k-act="check-code"]');
    await page.waitForFunction(() => /закончились/.test(document.querySelector(".k-problem")?.textContent));
    assert.equal(await page.evaluate(() => window.kelisimDemo.state()), null);
    assert.deepEqual(await page.evaluate(() => window.kelisimDemo.pending()), []);
    await context.close();
  });

  it("an expired code asks for a new one; the new code confirms", async () => {
    const short = await startCollector({ args: ["--confirmation-ttl", "2s"] });
    try {
      const { context, page } = await open("/esperance.html", "kk-KZ", short);
      await submitSignup(page);
      await page.click('button[data-k-act="send-code"]');
      await page.waitForSelector(codeInput);
      const code = await codeSentTo(short, SIGNUP_PHONE, 0);
      await page.waitForTimeout(2500);
      await page.fill(codeInput, code);
      await page.click('button[data-k-act="check-code"]');
      await page.waitForFunction(() => /Кодтың мерзімі өтті/.test(document.querySelector(".k-problem")?.textContent));
      assert.equal(await page.evaluate(() => window.kelisimDemo.state()), null);
      await page.click('button[data-k-act="send-code"]');
      await page.waitForFunction(() => !document.querySelector('[data-k-act="send-code"][aria-disabled]'));
      await page.fill(codeInput, await codeSentTo(short, SIGNUP_PHONE, 1));
      await page.click('button[data-k-act="check-code"]');
      await page.waitForFunction(() => window.kelisimDemo.state());
      const { recordId } = await page.evaluate(() => window.kelisimDemo.state());
      await page.evaluate(() => window.kelisimDemo.flush());
      assert.equal((await entry(recordId, short)).confirmationCheck, "verified");
      await context.close();
    } finally {
      await short.stop();
    }
  });

  it("a reused confirmation and another phone's confirmation are stored, never verified", async () => {
    const { context, page } = await open("/esperance.html", "en-US");
    await submitSignup(page, "+7 705 333 44 55");
    await confirmBySms(page, collector, "+77053334455");
    const { recordId } = await page.evaluate(() => window.kelisimDemo.state());
    await page.evaluate(() => window.kelisimDemo.flush());
    const first = await entry(recordId);
    assert.equal(first.confirmationCheck, "verified");
    // The same confirmation on a second record, and on a record for another phone.
    const replay = await page.evaluate(async ([record]) => {
      const post = async (r) => (await fetch("/v1/consents", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(r) })).status;
      const again = { ...record, recordId: crypto.randomUUID() };
      const other = { ...record, recordId: crypto.randomUUID(), subject: { ref: "+77019998877" } };
      return { again: [again.recordId, await post(again)], other: [other.recordId, await post(other)] };
    }, [first.record]);
    assert.equal(replay.again[1], 201);
    assert.equal(replay.other[1], 201);
    for (const [id] of [replay.again, replay.other]) {
      const stored = await entry(id);
      assert.equal(stored.confirmationCheck, "unverified", JSON.stringify(stored));
    }
    // The subject view and the export carry the check too.
    const subject = await getJson(collector.url + "/v1/subjects/" + encodeURIComponent("+77053334455") + "/consents", collector.token);
    const checks = subject.body.history.map((h) => h.confirmationCheck).sort();
    assert.deepEqual(checks, ["unverified", "verified"]);
    const lines = await (await fetch(collector.url + "/v1/export", { headers: { authorization: "Bearer " + collector.token } })).text();
    const exported = lines.trim().split("\n").map((l) => JSON.parse(l)).find((e) => e.record.recordId === replay.again[0]);
    assert.equal(exported.confirmationCheck, "unverified");
    await context.close();
  });

  it("codes per phone are limited: the notice says to try later", async () => {
    const { context, page } = await open("/esperance.html", "kk-KZ");
    await submitSignup(page, "+7 707 555 66 77");
    await page.click('button[data-k-act="send-code"]');
    await page.waitForSelector(codeInput);
    let limited = false;
    for (let i = 0; i < 5 && !limited; i++) {
      await page.click('button[data-k-act="send-code"]');
      await page.waitForFunction(() => !document.querySelector('[aria-disabled="true"]'));
      limited = /тым көп код/.test(await page.innerText(".k-problem"));
    }
    assert.ok(limited, "a later send is refused");
    assert.ok(smsTo(collector, "+77075556677").length <= 3, "at most three codes went out");
    await context.close();
  });
});

describe("the receipt", () => {
  it("shows, prints, saves and sends the receipt; its short code finds the entry", async () => {
    const { context, page } = await open("/esperance.html", "ru-RU");
    await submitSignup(page, "+7 708 123 45 67");
    await confirmBySms(page, collector, "+77081234567");
    const { recordId } = await page.evaluate(() => window.kelisimDemo.state());
    await page.click('button[data-k-act="receipt"]');
    const text = await notice(page);
    assert.match(text, /Квитанция о согласии/);
    assert.match(text, /ТОО «ЭСПЕРАНС-РК», БИН 220240037922/);
    assert.ok(text.includes(recordId));
    const code = /Код квитанции\s+([2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4})/.exec(text)?.[1];
    assert.ok(code, text);
    assert.deepEqual(await axe(page), [], "the receipt");
    await screenshot(page, "receipt-ru");
    // Printed, only the receipt shows.
    await page.emulateMedia({ media: "print" });
    const visible = await page.evaluate(() => ({
      heading: getComputedStyle(document.querySelector("h1")).visibility,
      receipt: getComputedStyle(document.querySelector("[data-k-receipt]")).visibility,
    }));
    assert.deepEqual(visible, { heading: "hidden", receipt: "visible" });
    await page.emulateMedia({ media: "screen" });
    const [download] = await Promise.all([page.waitForEvent("download"), page.click('button[data-k-act="save-receipt"]')]);
    assert.equal(download.suggestedFilename(), "kelisim-" + code.replace("-", "") + ".txt");
    const saved = readFileSync(await download.path(), "utf8");
    assert.ok(saved.startsWith("Квитанция о согласии\n") && saved.includes(code) && saved.includes(recordId), saved);
    // By SMS, to the phone that confirmed, once the record is delivered.
    const before = smsTo(collector, "+77081234567").length;
    await page.click('button[data-k-act="sms-receipt"]');
    await page.waitForFunction(() => /Квитанция отправлена по SMS/.test(document.querySelector("section.kelisim").innerText));
    const sms = smsTo(collector, "+77081234567");
    assert.equal(sms.length, before + 1);
    assert.ok(sms.at(-1).text.includes(code), sms.at(-1).text);
    // The call centre types the code as read out: lower case, with its hyphen.
    const found = await getJson(collector.url + "/v1/receipts/" + code.toLowerCase(), collector.token);
    assert.equal(found.status, 200);
    assert.ok(found.body.entries.some((e) => e.record.recordId === recordId));
    assert.equal((await getJson(collector.url + "/v1/receipts/" + code)).status, 401, "the token guards it");
    await context.close();
  });
});

describe("the shop's tablet", () => {
  it("thanks each customer, records channel kiosk with the shop, and leaves nothing for the next", async () => {
    const { context, page, errors } = await open("/kiosk.html", "kk-KZ");
    await page.click('button[data-k-act="lang:ru"]');
    await submitSignup(page, "+7 747 765 43 21");
    await confirmBySms(page, collector, "+77477654321");
    await page.waitForSelector('button[data-k-act="next-customer"]');
    const thanks = await notice(page);
    assert.match(thanks, /Спасибо! Ваше согласие сохранено\./);
    const shown = await page.evaluate(() => [...document.querySelectorAll("#signup input, #signup select")].filter((c) => c.type !== "checkbox" && c.value).map((c) => c.name));
    assert.deepEqual(shown, [], "the thanks shows nothing the customer typed");
    assert.deepEqual(await axe(page), [], "the kiosk's thanks");
    await screenshot(page, "kiosk-thanks-ru");
    const { recordId } = await page.evaluate(() => window.kelisimDemo.state());
    await page.evaluate(() => window.kelisimDemo.flush());
    const stored = await entry(recordId);
    assert.equal(stored.record.channel, "kiosk");
    assert.deepEqual(stored.record.kiosk, { shop: "ALM-MEGA-014", consultant: "0147" });
    assert.equal(stored.confirmationCheck, "verified");
    await page.click('button[data-k-act="next-customer"]');
    await page.waitForSelector('input[data-k-act="toggle:marketing"]');
    const left = await page.evaluate(() => ({
      text: document.body.innerText,
      html: document.body.innerHTML,
      values: [...document.querySelectorAll("input, select")].filter((c) => c.type !== "checkbox").map((c) => c.value).filter(Boolean),
      marketing: document.querySelector('input[data-k-act="toggle:marketing"]').checked,
      lang: document.querySelector(".kelisim").lang,
      storage: Object.keys(localStorage).concat(Object.keys(sessionStorage)),
    }));
    for (const trace of ["Нұрланқызы", "Әлия", VALID_SIGNUP.iin, "765 43 21", "765\u00a043\u00a021", "7654321", recordId]) {
      assert.ok(!left.text.includes(trace) && !left.html.includes(trace), "left on the page: " + trace);
    }
    assert.deepEqual(left.values, [], "every field is empty");
    assert.equal(left.marketing, false, "the next customer's choices start unticked");
    assert.equal(left.lang, "kk", "back to the default language");
    assert.deepEqual(left.storage.filter((k) => !k.startsWith("kelisim.outbox")), [], "nothing kept in storage");
    assert.deepEqual(await page.evaluate(() => window.kelisimDemo.pending()), [], "the outbox is empty once delivered");
    await screenshot(page, "kiosk-next-kk");
    assert.deepEqual(errors, []);
    await context.close();
  });
});
