// Benchmark: validateField on a whole 10-field form in headless Chromium (wasm, through the JS
// API, strings crossing the boundary both ways). Prints the median per form; asserts nothing.
import { startCollector, launchBrowser } from "../tests/e2e/support.mjs";

const collector = await startCollector();
const browser = await launchBrowser();
try {
  const page = await browser.newPage();
  await page.goto(collector.url + "/esperance.html");
  await page.waitForFunction(() => window.kelisimValidate);
  const result = await page.evaluate(() => {
    const form = [
      ["name", "Нұрланқызы"], ["name", "Әлия"], ["patronymic", "Серікқызы"], ["iin", "910312400121"],
      ["bin", "980540000397"], ["birthDate", "12.03.1991"], ["phone", "8 (701) 234-56-78"],
      ["phone", "+7 (727) 350 06 06"], ["email", "Aliya.Nurlanqyzy@Mail.KZ"], ["postcode", "а15 с9к0"],
    ];
    const v = window.kelisimValidate;
    const once = () => form.reduce((n, [kind, value]) => n + (v(kind, value, "kk").valid ? 1 : 0), 0);
    if (once() !== 10) throw new Error("sample form should be valid");
    const batches = [];
    for (let b = 0; b < 31; b++) {
      const start = performance.now();
      for (let i = 0; i < 500; i++) once();
      batches.push(((performance.now() - start) * 1000) / 500);
    }
    batches.sort((a, b) => a - b);
    return { min: batches[0], median: batches[15], max: batches[30] };
  });
  const f = (x) => x.toFixed(1);
  console.log(`validateField, 10-field form in Chromium: median ${f(result.median)} µs (min ${f(result.min)}, max ${f(result.max)}) over 31 batches of 500`);
} finally {
  await browser.close();
  await collector.stop();
}
