// Shared set-up for the end-to-end tests: a real collector on a temporary SQLite file, and
// Debian's Chromium driven by playwright-core.
import { spawn } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { before, after } from "node:test";
import { chromium } from "playwright-core";

export const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const shots = join(root, "test-results");

export const CHROMIUM_ARGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
  "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
];

/** The bearer token of the collectors the tests start (unless they pass a --token-file of their own). */
export const TOKEN = "e2e-test-token-0123456789abcdef";

/**
 * Starts the collector binary on a free port; resolves to { url, dbPath, token, smsFile, stop(), kill() }.
 * `dbPath` reuses a ledger file (a restart); otherwise a fresh temporary one is made. `args` are
 * further command-line options, e.g. ["--rate-limit", "0"]; `www` and `pkg` the directories served; `addr` the
 * address to listen on (a restart on the same port). Unless they name a --token-file or
 * `token` is false, the collector gets one holding TOKEN. Unless they name an --sms-command or `sms`
 * is false, its SMS go to `smsFile`, one `<to>\t<text>` line each (read with `smsTo`).
 */
export async function startCollector({ dbPath, args = [], token = true, sms = true, www = "www", pkg = "pkg", addr = "127.0.0.1:0" } = {}) {
  const dir = dbPath ? null : mkdtempSync(join(tmpdir(), "kelisim-e2e-"));
  dbPath ??= join(dir, "ledger.sqlite");
  const bin = join(root, "target", "release", "kelisim-collector");
  const tokenArgs = [];
  let tokenDir = null;
  if (token && !args.includes("--token-file")) {
    tokenDir = mkdtempSync(join(tmpdir(), "kelisim-e2e-token-"));
    writeFileSync(join(tokenDir, "token"), TOKEN + "\n");
    tokenArgs.push("--token-file", join(tokenDir, "token"));
  }
  const smsDir = !sms || args.includes("--sms-command") ? null : mkdtempSync(join(tmpdir(), "kelisim-e2e-sms-"));
  const smsFile = smsDir && join(smsDir, "sms.txt");
  const smsArgs = smsDir ? ["--sms-command", `printf '%s\\t%s\\n' "$KELISIM_SMS_TO" "$KELISIM_SMS_TEXT" >> '${smsFile}'`] : [];
  const child = spawn(bin, ["serve", "--db", dbPath, "--addr", addr, "--www", www, "--pkg", pkg, ...tokenArgs, ...smsArgs, ...args], {
    cwd: root,
    stdio: ["ignore", "pipe", "inherit"],
  });
  const url = await new Promise((resolve, reject) => {
    let seen = "";
    const timer = setTimeout(() => reject(new Error("collector did not start: " + seen)), 15000);
    child.stdout.on("data", (chunk) => {
      seen += chunk;
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(seen);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.on("exit", (code) => reject(new Error("collector exited with " + code + ": " + seen)));
  });
  const exited = new Promise((r) => child.on("exit", r));
  return {
    url,
    dbPath,
    token: tokenArgs.length ? TOKEN : null,
    smsFile,
    /** Stops it with SIGTERM and removes the ledger it made. */
    async stop() {
      child.kill("SIGTERM");
      await exited;
      if (dir) rmSync(dir, { recursive: true, force: true });
      if (tokenDir) rmSync(tokenDir, { recursive: true, force: true });
      if (smsDir) rmSync(smsDir, { recursive: true, force: true });
    },
    /** Kills it with SIGKILL, as a crash would; the ledger file stays. */
    async kill() {
      child.kill("SIGKILL");
      await exited;
    },
  };
}

/** Launches headless Debian Chromium. */
export function launchBrowser() {
  return chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS });
}

/** A fresh browser context whose languages are `locale` (navigator.languages, Accept-Language). */
export function contextFor(browser, locale, extra = {}) {
  return browser.newContext({ locale, viewport: { width: 1024, height: 800 }, ...extra });
}

/** Saves a screenshot under test-results/ (kept out of the repository). */
export async function screenshot(page, name) {
  mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: join(shots, name + ".png"), fullPage: false });
}

/** GETs JSON from the collector; with `token`, as the operator (a whole ledger entry). */
export async function getJson(url, token = null) {
  const res = await fetch(url, token ? { headers: { authorization: "Bearer " + token } } : {});
  return { status: res.status, body: await res.json() };
}

/**
 * Starts one collector and one browser for the calling test file (or describe block), stopped after
 * its tests. With `pages`, the collector serves the demo pages and `tests/data/<pages>/` under
 * `/<pages>/`. Returns an object whose `collector` and `browser` are set once `before` has run.
 */
export function useCollectorAndBrowser({ pages } = {}) {
  const stack = { collector: null, browser: null };
  let www = null;
  before(async () => {
    if (pages) {
      www = mkdtempSync(join(tmpdir(), `kelisim-${pages}-www-`));
      cpSync(join(root, "www"), www, { recursive: true });
      cpSync(join(root, "tests/data", pages), join(www, pages), { recursive: true });
    }
    stack.collector = await startCollector(www ? { www } : {});
    stack.browser = await launchBrowser();
  });
  after(async () => {
    await stack.browser?.close();
    await stack.collector?.stop();
    if (www) rmSync(www, { recursive: true, force: true });
  });
  return stack;
}

/** An IIN with a valid check digit for the 11 digits given (the two-pass mod-11 rule). */
export function iinWithCheckDigit(first11) {
  const d = [...first11].map(Number);
  let s = d.reduce((acc, x, i) => acc + x * (i + 1), 0) % 11;
  if (s === 10) s = d.reduce((acc, x, i) => acc + x * [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2][i], 0) % 11;
  if (s === 10) throw new Error("no check digit for " + first11);
  return first11 + s;
}

/** A valid loyalty signup as a Kazakh visitor types it. */
export const VALID_SIGNUP = {
  surname: "Нұрланқызы",
  givenName: "Әлия",
  patronymic: "Серікқызы",
  iin: iinWithCheckDigit("91031240012"),
  birthDate: "12.03.1991",
  phone: "8 (701) 234-56-78",
  email: "aliya@mail.kz",
  postcode: "а15 с9к0",
};

/** Fills the signup form's fields from `values`. */
export async function fillSignup(page, values) {
  for (const [name, value] of Object.entries(values)) {
    await page.fill(`[name="${name}"]`, value);
  }
  await page.selectOption('[name="sex"]', "female");
}

/** The SMS a collector sent to `to` (E.164), oldest first: `[{ to, text }]`. */
export function smsTo(collector, to) {
  if (!existsSync(collector.smsFile)) return [];
  return readFileSync(collector.smsFile, "utf8").split("\n").filter(Boolean)
    .map((line) => ({ to: line.split("\t")[0], text: line.split("\t").slice(1).join("\t") }))
    .filter((m) => m.to === to);
}

/** Waits for SMS number `index` (0-based) to `to` and returns the 6-digit code in it. */
export async function codeSentTo(collector, to, index) {
  for (let i = 0; i < 100; i++) {
    const message = smsTo(collector, to)[index];
    const code = message && /\b(\d{6})\b/.exec(message.text);
    if (code) return code[1];
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no SMS number ${index + 1} to ${to}`);
}

/** The phone of VALID_SIGNUP as the collector sends to it. */
export const SIGNUP_PHONE = "+77012345678";

/**
 * Completes a notice's SMS step in `page`: asks for the code, reads it from the collector's SMS
 * file, types it and confirms; resolves once the step is gone.
 */
export async function confirmBySms(page, collector, to = SIGNUP_PHONE) {
  const sent = smsTo(collector, to).length;
  await page.click('button[data-k-act="send-code"]');
  await page.waitForSelector('input[autocomplete="one-time-code"]');
  await page.fill('input[autocomplete="one-time-code"]', await codeSentTo(collector, to, sent));
  await page.click('button[data-k-act="check-code"]');
  await page.waitForFunction(() => !document.querySelector('[data-k-act="check-code"]'));
}
