// The npm package as a web team meets it: `npm pack` of pkg/, installed into a fresh project; a
// Vite build of a small page (the bundler path) and a plain `<script type="module">` page (no
// bundler), both opened in Chromium with a working notice whose record the collector stores; and
// `validateField` from Node through the package's exports.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startCollector, launchBrowser, getJson, root } from "./support.mjs";

const run = (cmd, args, cwd) => {
  const r = spawnSync(cmd, args, { cwd, encoding: "utf8" });
  assert.equal(r.status, 0, `${cmd} ${args.join(" ")}: ${r.stdout}\n${r.stderr}`);
  return r.stdout;
};

let project, tarball, packed, browser;
before(async () => {
  project = mkdtempSync(join(tmpdir(), "kelisim-npm-project-"));
  [packed] = JSON.parse(run("npm", ["pack", join(root, "pkg"), "--json", "--pack-destination", project], root));
  tarball = join(project, packed.filename);
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "shop-site", private: true, type: "module" }));
  run("npm", ["install", "--no-audit", "--no-fund", "--no-save", tarball], project);
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  rmSync(project, { recursive: true, force: true });
});

/** Opens `url` and decides with "accept all"; resolves to the stored entry of the record made. */
async function decide(collector, url) {
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(url);
  await page.waitForSelector('.kelisim button[data-k-act="accept-all"]');
  await page.click('button[data-k-act="accept-all"]');
  const id = await page.evaluate(async () => {
    await window.consent.flush();
    return window.consent.state().recordId;
  });
  const entry = (await getJson(collector.url + "/v1/consents/" + id, collector.token)).body;
  await page.close();
  assert.deepEqual(errors, []);
  return entry;
}

describe("the npm package", () => {
  it("packs the two builds, their types, the config's type, the stylesheet, the embed and a README", () => {
    const files = packed.files.map((f) => f.path).sort();
    assert.deepEqual(files, [
      "README.md", "config.d.ts", "embed.html", "kelisim-auto.js", "kelisim-banner.d.ts", "kelisim-banner.js",
      "kelisim-banner_bg.wasm", "kelisim.css", "kelisim.d.ts", "kelisim.js", "kelisim_bg.wasm", "package.json",
    ]);
    const manifest = JSON.parse(readFileSync(join(project, "node_modules/kelisim/package.json"), "utf8"));
    const crate = /^version = "([^"]+)"/m.exec(readFileSync(join(root, "Cargo.toml"), "utf8"))[1];
    assert.equal(manifest.version, crate, "the package's version is the crate's");
    assert.equal(manifest.exports["."].types, "./kelisim.d.ts");
  });

  it("validateField works from Node through the package's exports", () => {
    writeFileSync(join(project, "check.mjs"), `
      import { readFileSync } from "node:fs";
      import { fileURLToPath } from "node:url";
      import { initSync, validateField } from "kelisim";
      initSync({ module: readFileSync(fileURLToPath(import.meta.resolve("kelisim/kelisim_bg.wasm"))) });
      console.log(JSON.stringify(validateField("phone", "8 (701) 234-56-78", "ru")));
    `);
    const out = JSON.parse(run("node", ["check.mjs"], project));
    assert.deepEqual(out, { valid: true, code: "ok", message: "", normalized: "+77012345678" });
  });

  it("a Vite build of a small page shows a working notice, and its record is stored `match`", async () => {
    const site = join(project, "vite-site");
    mkdirSync(site);
    writeFileSync(join(site, "index.html"), `<!doctype html><html lang="kk"><head><meta charset="utf-8">
      <title>Vite</title><script type="module" src="./main.js"></script></head><body><div id="consent"></div></body></html>`);
    writeFileSync(join(site, "main.js"), `
      import init, { Kelisim } from "kelisim/banner";
      import "kelisim/kelisim.css";
      await init();
      const config = await (await fetch("/consent/karatel.json")).json();
      window.consent = Kelisim.mount("#consent", config);
    `);
    writeFileSync(join(site, "vite.config.js"), `export default { build: { target: "es2022" }, logLevel: "warn" };`);
    run(join(root, "node_modules/.bin/vite"), ["build", site, "--config", join(site, "vite.config.js")], project);
    const dist = join(site, "dist");
    const assets = spawnSync("ls", [join(dist, "assets")], { encoding: "utf8" }).stdout;
    assert.match(assets, /\.wasm/, "Vite emitted the wasm: " + assets);
    cpSync(join(root, "www/consent"), join(dist, "consent"), { recursive: true });
    const collector = await startCollector({ www: dist });
    try {
      const entry = await decide(collector, collector.url + "/index.html");
      assert.equal(entry.textCheck, "match");
      assert.equal(entry.record.policy.id, "karatel-subscribers");
    } finally {
      await collector.stop();
    }
  });

  it("a plain <script type=module> page loads the installed package with no bundler", async () => {
    cpSync(join(root, "www/consent"), join(project, "consent"), { recursive: true });
    writeFileSync(join(project, "plain.html"), `<!doctype html><html lang="ru"><head><meta charset="utf-8"><title>Plain</title>
      <link rel="stylesheet" href="/node_modules/kelisim/kelisim.css">
      <script type="module">
        import init, { Kelisim } from "/node_modules/kelisim/kelisim.js";
        await init();
        const config = await (await fetch("/consent/batys.json")).json();
        window.consent = Kelisim.mount("#consent", config);
      </script></head><body><div id="consent"></div></body></html>`);
    const collector = await startCollector({ www: project });
    try {
      const entry = await decide(collector, collector.url + "/plain.html");
      assert.equal(entry.textCheck, "match");
      assert.equal(entry.record.policy.language, "ru");
    } finally {
      await collector.stop();
    }
  });
});
