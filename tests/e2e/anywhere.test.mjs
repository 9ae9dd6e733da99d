// validateField where there is no page: in Node (≥ 20) with the package's wasm read from disk, and in
// a Web Worker in Chromium; mounting a notice there says it needs a page.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { useCollectorAndBrowser, root } from "./support.mjs";

const NEEDS_A_PAGE = "kelisim: mount needs a page; validateField does not";

describe("in Node", () => {
  for (const build of ["kelisim", "kelisim-banner"]) {
    it(`${build}.js loads without a document; validateField checks, mount says it needs a page`, async () => {
      const module = await import(pathToFileURL(join(root, "pkg", build + ".js")).href);
      module.initSync({ module: readFileSync(join(root, "pkg", build + "_bg.wasm")) });
      assert.throws(() => module.Kelisim.mount("#consent", "{}", {}), { name: "TypeError", message: NEEDS_A_PAGE });
      if (build === "kelisim-banner") {
        assert.equal(module.validateField, undefined, "the banner build has no field checks");
        return;
      }
      assert.deepEqual(module.validateField("phone", "8 (701) 234-56-78", "ru"), {
        valid: true, code: "ok", message: "", normalized: "+77012345678",
      });
      const iin = module.validateField("iin", "910312400122", "kk");
      assert.deepEqual([iin.valid, iin.code, iin.message], [false, "iin.checkDigit", "Бақылау цифры сәйкес келмейді: ЖСН-нің 12 цифрын тексеріңіз."]);
      assert.equal(module.validateField("postcode", "а15 с9к0", "en").normalized, "A15C9K0");
      assert.throws(() => module.validateField("fax", "1"), { name: "TypeError" });
    });
  }
});

describe("in a Web Worker", () => {
  const stack = useCollectorAndBrowser({ pages: "worker" });

  it("validateField answers in a module worker, under the demo's CSP; mount says it needs a page", async () => {
    const page = await stack.browser.newPage();
    await page.goto(stack.collector.url + "/worker/page.html");
    await page.waitForFunction(() => document.getElementById("out").textContent !== "");
    const answer = JSON.parse(await page.textContent("#out"));
    assert.equal(answer.error, undefined, answer.error);
    assert.deepEqual(answer.phone, { valid: true, code: "ok", message: "", normalized: "+77012345678" });
    assert.equal(answer.iin.code, "iin.checkDigit");
    assert.equal(answer.mount, NEEDS_A_PAGE);
    await page.close();
  });
});
