// Benchmark: how soon the notice shows, kelisim against vanilla-cookieconsent 3.1.0, in cold
// Chromium contexts on one static server (the collector serving a page directory made here).
//
//   node benches/banner/bench.mjs [--runs N] [--cc DIR]
//
// Three pages, loaded in turn, each in a new browser context (empty cache), N times:
//   cc       vanilla-cookieconsent, config inline in the page's module, its JS + CSS
//   api      kelisim's banner build through the JS API, the same config inline
//   embed    kelisim's one-tag embed: <div data-kelisim="/consent/karatel.json"> + kelisim-auto.js
// "Shown" is the moment the notice is in the document and visible (a MutationObserver installed
// before any page script sees it), from navigation start. The first animation frame after it is
// reported too. Prints medians, quartiles, extremes and the ratios kelisim / vanilla-cookieconsent.
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync, cpSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startCollector, launchBrowser, root } from "../../tests/e2e/support.mjs";

const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const runs = Number(flag("--runs", "20"));
const ccDir = flag("--cc", join(root, "target/bench-banner/node_modules/vanilla-cookieconsent/dist"));
if (!(runs >= 1)) throw new Error("--runs takes a positive number");

const config = JSON.parse(readFileSync(join(root, "www/consent/karatel.json"), "utf8"));
const www = mkdtempSync(join(tmpdir(), "kelisim-bench-"));
mkdirSync(join(www, "consent"));
mkdirSync(join(www, "cc"));
cpSync(join(root, "www/consent/karatel.json"), join(www, "consent/karatel.json"));
for (const f of ["cookieconsent.esm.js", "cookieconsent.css"]) cpSync(join(ccDir, f), join(www, "cc", f));

// The same notice for both: Kar-Tel's title, summary and purposes, in Russian.
const ru = (t) => t.ru;
const ccConfig = {
  // Its default hides the notice from automated browsers (navigator.webdriver), this one included.
  hideFromBots: false,
  categories: Object.fromEntries(config.purposes.map((p) => [p.id, p.required ? { enabled: true, readOnly: true } : {}])),
  language: {
    default: "ru",
    translations: {
      ru: {
        consentModal: {
          title: ru(config.policy.title),
          description: ru(config.policy.summary),
          acceptAllBtn: "Принять все",
          acceptNecessaryBtn: "Только обязательные",
          showPreferencesBtn: "Выбрать",
        },
        preferencesModal: {
          title: ru(config.policy.title),
          acceptAllBtn: "Принять все",
          acceptNecessaryBtn: "Только обязательные",
          savePreferencesBtn: "Сохранить выбор",
          sections: config.purposes.map((p) => ({
            title: ru(p.title),
            description: ru(p.description) + " " + ru(p.withdrawalEffect),
            linkedCategory: p.id,
          })),
        },
      },
    },
  },
};

const head = (extra) => `<!doctype html>
<html lang="ru">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>bench</title>
${extra}
</head>
<body>
<main><h1>Личный кабинет</h1><p>Страница для замера.</p></main>
`;
writeFileSync(join(www, "cc.html"), head(`<link rel="stylesheet" href="/cc/cookieconsent.css">
<script type="module" src="/cc-run.js"></script>`) + "</body></html>\n");
writeFileSync(join(www, "cc-run.js"), `import * as CookieConsent from "/cc/cookieconsent.esm.js";
CookieConsent.run(${JSON.stringify(ccConfig)});
`);
writeFileSync(join(www, "api.html"), head(`<link rel="modulepreload" href="/pkg/kelisim-banner.js">
<link rel="preload" href="/pkg/kelisim-banner_bg.wasm" as="fetch" type="application/wasm" crossorigin>
<link rel="stylesheet" href="/pkg/kelisim.css">
<script type="module" src="/api-run.js"></script>`) + `<div id="consent"></div>\n</body></html>\n`);
writeFileSync(join(www, "api-run.js"), `import init, { Kelisim } from "/pkg/kelisim-banner.js";
await init();
Kelisim.mount("#consent", ${JSON.stringify(config)});
`);
const embed = readFileSync(join(root, "pkg/embed.html"), "utf8")
  .split("\n")
  .filter((l) => l.startsWith("<link") || l.startsWith("<script"))
  .join("\n")
  .replaceAll("/consent/your-policy.json", "/consent/karatel.json");
writeFileSync(join(www, "embed.html"), head(embed) + `<div data-kelisim="/consent/karatel.json"></div>\n</body></html>\n`);

// Installed before any page script: notes when the notice is first in the DOM and visible.
const probe = () => {
  const shown = () => {
    const cc = document.querySelector("#cc-main .cm");
    if (cc) return document.documentElement.classList.contains("show--consent");
    return !!document.querySelector(".kelisim");
  };
  const observer = new MutationObserver(() => {
    if (window.__shown === undefined && shown()) {
      window.__shown = performance.now();
      observer.disconnect();
      requestAnimationFrame(() => (window.__frame = performance.now()));
    }
  });
  observer.observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ["class"] });
};

const collector = await startCollector({ args: ["--www", www] });
const browser = await launchBrowser();
const pages = ["cc", "api", "embed"];
const times = Object.fromEntries(pages.map((p) => [p, { shown: [], frame: [] }]));
try {
  for (let i = 0; i < runs + 1; i++) {
    for (const name of i % 2 ? pages : [...pages].reverse()) {
      const context = await browser.newContext({ locale: "ru-RU", viewport: { width: 390, height: 844 } });
      await context.addInitScript(probe);
      const page = await context.newPage();
      const errors = [];
      page.on("pageerror", (e) => errors.push(e.message));
      await page.goto(`${collector.url}/${name}.html`);
      await page.waitForFunction(() => window.__frame !== undefined, null, { timeout: 15000 }).catch(async (e) => {
        throw new Error(`${name}: the notice did not show (${errors.join("; ")}): ${await page.content().then((c) => c.slice(0, 3000))}`);
      });
      if (errors.length) throw new Error(`${name}: ${errors.join("; ")}`);
      const t = await page.evaluate(() => ({ shown: window.__shown, frame: window.__frame }));
      if (i > 0) {
        // The first round warms the server and the browser process, not the page: discarded.
        times[name].shown.push(t.shown);
        times[name].frame.push(t.frame);
      }
      await context.close();
    }
  }
} finally {
  await browser.close();
  await collector.stop();
  if (!process.env.KEEP) rmSync(www, { recursive: true, force: true }); else console.log(www);
}

const sorted = (xs) => [...xs].sort((a, b) => a - b);
const quantile = (xs, q) => {
  const s = sorted(xs);
  const at = (s.length - 1) * q;
  const lo = Math.floor(at);
  return s[lo] + (s[Math.ceil(at)] - s[lo]) * (at - lo);
};
const ms = (x) => x.toFixed(1).padStart(6);
console.log(`notice shown, ms from navigation start, ${runs} cold loads each (390×844, ru-RU, headless Chromium)`);
console.log("page    median   p25    p75    min    max  | first frame after, median");
for (const name of pages) {
  const s = times[name].shown;
  console.log(
    `${name.padEnd(6)} ${ms(quantile(s, 0.5))} ${ms(quantile(s, 0.25))} ${ms(quantile(s, 0.75))} ${ms(sorted(s)[0])} ${ms(sorted(s).at(-1))}  | ${ms(quantile(times[name].frame, 0.5))}`,
  );
}
const ratio = (name) => quantile(times[name].shown, 0.5) / quantile(times.cc.shown, 0.5);
console.log(`ratio kelisim / vanilla-cookieconsent (medians): JS API ${ratio("api").toFixed(2)}, one-tag embed ${ratio("embed").toFixed(2)}`);
