// The loyalty signup form bound to the consent: fields checked on blur in the visitor's language,
// the submit blocked until they are valid, and the record carrying the normalized phone.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { useCollectorAndBrowser, contextFor, screenshot, getJson, fillSignup, confirmBySms, VALID_SIGNUP, iinWithCheckDigit } from "./support.mjs";

const stack = useCollectorAndBrowser();

async function open(locale) {
  const context = await contextFor(stack.browser, locale);
  const page = await context.newPage();
  await page.goto(stack.collector.url + "/esperance.html");
  await page.waitForSelector(".kelisim");
  return { context, page };
}

const messageOf = (page, name) =>
  page.evaluate((n) => {
    const control = document.querySelector(`[name="${n}"]`);
    const ids = (control.getAttribute("aria-describedby") ?? "").split(" ");
    return { invalid: control.getAttribute("aria-invalid"), text: document.getElementById(ids.at(-1))?.textContent ?? "" };
  }, name);

/** A mistyped IIN: the valid one with its last digit changed. */
const mistypedIin = VALID_SIGNUP.iin.slice(0, 11) + ((Number(VALID_SIGNUP.iin[11]) + 1) % 10);

describe("loyalty signup form", () => {
  it("says in Kazakh what is wrong with a mistyped IIN, on blur", async () => {
    const { context, page } = await open("kk-KZ");
    await page.fill('[name="iin"]', mistypedIin);
    await page.press('[name="iin"]', "Tab");
    const m = await messageOf(page, "iin");
    assert.equal(m.invalid, "true");
    assert.equal(m.text, "Бақылау цифры сәйкес келмейді: ЖСН-нің 12 цифрын тексеріңіз.");
    await screenshot(page, "esperance-form-error-kk");
    // Corrected in place: the message goes as soon as the value is right.
    await page.fill('[name="iin"]', VALID_SIGNUP.iin);
    assert.deepEqual(await messageOf(page, "iin"), { invalid: "false", text: "" });
    await context.close();
  });

  it("says in Russian that a Moscow number is not Kazakhstani", async () => {
    const { context, page } = await open("ru-RU");
    await page.fill('[name="phone"]', "+7 495 123 45 67");
    await page.press('[name="phone"]', "Tab");
    assert.equal((await messageOf(page, "phone")).text, "Это не казахстанский номер: введите номер, начинающийся с +7 7… или 8 7….");
    await context.close();
  });

  it("blocks the submit until every field is valid, then records the consent with the normalized phone", async () => {
    const { context, page } = await open("kk-KZ");
    await page.click("#signup-submit");
    assert.equal(await page.evaluate(() => window.kelisimDemo.state()), null, "nothing recorded");
    assert.equal(await page.evaluate(() => document.activeElement.name), "surname", "focus on the first invalid field");
    assert.equal((await messageOf(page, "surname")).text, "Осы өрісті толтырыңыз.");

    await fillSignup(page, { ...VALID_SIGNUP, iin: mistypedIin });
    await page.click("#signup-submit");
    assert.equal(await page.evaluate(() => window.kelisimDemo.state()), null, "a mistyped IIN still blocks");
    assert.equal(await page.evaluate(() => document.activeElement.name), "iin");

    await page.fill('[name="iin"]', VALID_SIGNUP.iin);
    await page.click('input[data-k-act="toggle:marketing"]');
    await page.click("#signup-submit");
    assert.equal(await page.evaluate(() => window.kelisimDemo.state()), null, "nothing recorded before the SMS code");
    await confirmBySms(page, stack.collector);
    const state = await page.evaluate(() => window.kelisimDemo.state());
    assert.ok(state, "the submit recorded the decision once confirmed");
    assert.ok((await page.textContent("#signup-done")).includes(state.recordId), "the shop's own handler ran after");
    await page.evaluate(() => window.kelisimDemo.flush());
    const { body } = await getJson(stack.collector.url + "/v1/consents/" + state.recordId, stack.collector.token);
    assert.equal(body.record.subject.ref, "+77012345678");
    assert.equal(body.confirmationCheck, "verified");
    assert.ok(body.record.purposes.find((p) => p.id === "marketing").granted);
    await screenshot(page, "esperance-form-done-kk");
    await context.close();
  });

  it("asks for a legal representative when the visitor is under the minimum age", async () => {
    const { context, page } = await open("ru-RU");
    await page.fill('[name="birthDate"]', "01.01.2015");
    await page.press('[name="birthDate"]', "Tab");
    const m = await messageOf(page, "birthDate");
    assert.equal(m.invalid, "true");
    assert.match(m.text, /законный представитель/);
    await context.close();
  });

  it("accepts real Kazakh names and every common phone spelling", async () => {
    const { context, page } = await open("kk-KZ");
    const verdicts = await page.evaluate(() => {
      const v = window.kelisimValidate;
      const phones = ["+7 701 234 56 78", "8 (701) 234-56-78", "87012345678", "7012345678", "+7\u00a0701\u00a0234\u00a056\u00a078", "8.701.234.56.78"];
      const names = ["Нұрсұлтанова", "Әлия", "Ғабит", "Қасымұлы", "Іңкәр", "Өмірзақ", "Ұлжан", "Үміт", "Һәкім", "Äliya", "Şynar", "Иванова-Сейітқали"];
      return {
        phones: phones.map((p) => v("phone", p, "kk")),
        names: names.map((n) => v("name", n, "kk")),
        mixed: v("name", "Нурлaн", "ru"),
      };
    });
    for (const p of verdicts.phones) assert.deepEqual([p.valid, p.normalized], [true, "+77012345678"]);
    for (const n of verdicts.names) assert.equal(n.valid, true, n.normalized);
    assert.equal(verdicts.mixed.code, "name.mixedScript");
    assert.match(verdicts.mixed.message, /смешаны кириллица и латиница/);
    await context.close();
  });
});

it("computes a valid IIN check digit the same way as the module (test helper sanity)", () => {
  assert.equal(iinWithCheckDigit("91031240012").length, 12);
});
