// Benchmark: how soon the notice shows, kelisim against vanilla-cookieconsent 3.1.0, in cold
// Chromium contexts on one static server (the collector serving a page directory made here).
//
//   node benches/banner/bench.mjs [--runs N] [--cc DIR] [--pkg DIR]
//
// Three pages, loaded in turn, each in a new browser context (empty cache), N times:
//   cc       vanilla-cookieconsent, config inline in the page's module, its JS + CSS
//   api      kelisim's banner build through the JS API, the same config inline
//   embed    kelisim's one-tag embed: <div data-kelisim="/consent/karatel.json"> + kelisim-auto.js
// Measured from navigation start: the first frame in which the notice can be seen, and the moment
// it is in the document. vanilla-cookieconsent inserts its notice hidden and fades it in from
// 100 ms later, so the two differ for it; kelisim's is visible once inserted. Prints medians,
// quartiles, extremes and both ratios kelisim / vanilla-cookieconsent.
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
const pkg = flag("--pkg", join(root, "pkg"));
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

// Installed before any page script: notes when the notice is first in the document
// (`inserted`, a MutationObserver) and the first frame in which it can be seen (`visible`: the
// notice's box is laid out, `visibility: visible` and opacity above 0, checked every frame).
const probe = () => {
  const notice = () => document.querySelector("#cc-main .cm, .kelisim");
  new MutationObserver((_, observer) => {
    if (notice()) {
      window.__inserted = performance.now();
      observer.disconnect();
    }
  }).observe(document, { childList: true, subtree: true });
  const frame = () => {
    const el = notice();
    const style = el && getComputedStyle(el);
    if (style && style.visibility === "visible" && Number(style.opacity) > 0 && el.getBoundingClientRect().height > 0) {
      // The callback's own time: a frame's timestamp is its vsync, which can precede the task
      // that inserted the notice.
      window.__visible = performance.now();
    } else {
      requestAnimationFrame(frame);
    }
  };
  requestAnimationFrame(frame);
};

const collector = await startCollector({ www, pkg, args: ["--policies", join(root, "www/consent")] });
const browser = await launchBrowser();
const pages = ["cc", "api", "embed"];
const times = Object.fromEntries(pages.map((p) => [p, { visible: [], inserted: [] }]));
try {
  for (let i = 0; i < runs + 1; i++) {
    for (const name of i % 2 ? pages : [...pages].reverse()) {
      const context = await browser.newContext({ locale: "ru-RU", viewport: { width: 390, height: 844 } });
      await context.addInitScript(probe);
      const page = await context.newPage();
      const errors = [];
      page.on("pageerror", (e) => errors.push(e.message));
      await page.goto(`${collector.url}/${name}.html`);
      await page.waitForFunction(() => window.__visible !== undefined, null, { timeout: 15000 }).catch(async (e) => {
        throw new Error(`${name}: the notice did not show (${errors.join("; ")}): ${await page.content().then((c) => c.slice(0, 3000))}`);
      });
      if (errors.length) throw new Error(`${name}: ${errors.join("; ")}`);
      const t = await page.evaluate(() => ({ visible: window.__visible, inserted: window.__inserted }));
      if (i > 0) {
        // The first round warms the server and the browser process, not the page: discarded.
        times[name].visible.push(t.visible);
        times[name].inserted.push(t.inserted);
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
console.log(`the notice, ms from navigation start, ${runs} cold loads each (390×844, ru-RU, headless Chromium)`);
console.log("         visible: median   p25    p75    min    max | in the DOM: median");
for (const name of pages) {
  const v = times[name].visible;
  const row = [0.5, 0.25, 0.75].map((q) => ms(quantile(v, q))).join(" ");
  console.log(`${name.padEnd(6)}          ${row} ${ms(sorted(v)[0])} ${ms(sorted(v).at(-1))} |       ${ms(quantile(times[name].inserted, 0.5))}`);
}
const ratio = (name, what) => (quantile(times[name][what], 0.5) / quantile(times.cc[what], 0.5)).toFixed(2);
console.log(`ratio kelisim / vanilla-cookieconsent, visible (medians): JS API ${ratio("api", "visible")}, one-tag embed ${ratio("embed", "visible")}`);
console.log(`ratio kelisim / vanilla-cookieconsent, in the DOM (medians): JS API ${ratio("api", "inserted")}, one-tag embed ${ratio("embed", "inserted")}`);
