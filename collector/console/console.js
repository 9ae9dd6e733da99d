// The DPO's console: signs in with the collector's bearer token and reads the ledger through the
// same API as curl would. Every text is set as text; nothing is loaded from anywhere else.

const WORDS = {
  kk: {
    console: "— келісім консолі", signOut: "Шығу", signInTitle: "Консольге кіру",
    signInHelp: "Коллектордың --token-file файлындағы токенді енгізіңіз. Ол осы қойындыда ғана сақталады.",
    token: "Токен", signIn: "Кіру", wrongToken: "Токен қабылданбады.", noToken: "Коллекторда токен бапталмаған (--token-file).",
    search: "Іздеу", proof: "Дәлел", export: "Экспорт", policies: "Саясаттар",
    searchTitle: "Субъектіні немесе жазбаны іздеу",
    searchLabel: "Телефон, ЖСН, анонимді идентификатор, жазба идентификаторы немесе түбіртек коды",
    find: "Табу", searching: "Ізделуде…", notFound: "Ештеңе табылмады.", failed: "Коллектор жауап бермеді.",
    standing: "Қазіргі шешімдер", history: "Тарих", subject: "Субъект",
    policy: "Саясат", purpose: "Мақсат", decision: "Шешім", since: "Қашаннан", record: "Жазба",
    granted: "келісім берді", refused: "бас тартты", withdrawn: "кері қайтарды",
    time: "Уақыты (UTC)", kind: "Түрі", grant: "шешім", withdrawal: "кері қайтару", channel: "Арна", language: "Тілі",
    textCheck: "Мәтін тексеруі", decisionCheck: "Шешім тексеруі", confirmation: "SMS растау", receipt: "Түбіртек",
    chain: "Тізбектегі орны", showText: "Көрсетілген мәтін", hideText: "Мәтінді жасыру",
    textOf: "Тіркелген басылымнан қалпына келтірілген мәтін", evidence: "Дәлел парағын басып шығару",
    sheetTitle: "Келісім туралы дәлел парағы", sheetMade: "Құрастырылды", head: "Тізбек басы",
    proofTitle: "Тізбектің тұтастығы",
    proofHelp: "Тізбек қазір толық тексеріледі. Басын (SEQ:HASH) бөлек жазып қойыңыз: кейін оны осында енгізсеңіз, сол жолға дейін ештеңе өзгертілмегені дәлелденеді.",
    anchor: "Бұрын жазылған бас (міндетті емес)", verify: "Тексеру", verifying: "Тексерілуде…",
    intact: "Тізбек бүтін", broken: "Тізбек бұзылған", records: "жазба", anchorHolds: "Бұрынғы бас сақталған",
    anchorFails: "Бұрынғы бас сақталмаған", exportTitle: "Тізілімді экспорттау", from: "Басы", to: "Соңы",
    exportNdjson: "Жүктеу", exported: "Жүктелді: {n} жазба.", csv: "CSV", ndjson: "NDJSON",
    policiesTitle: "Тіркелген саясат басылымдары", version: "Басылымы", operator: "Оператор", hash: "textSha256",
    match: "сәйкес", mismatch: "сәйкес емес", unregistered: "тіркелмеген", consistent: "дәйекті",
    inconsistent: "дәйексіз", verified: "расталған", unverified: "расталмаған", none: "—",
    web: "веб", webview: "қосымша", kiosk: "киоск", text: "Мәтін",
  },
  ru: {
    console: "— консоль согласий", signOut: "Выйти", signInTitle: "Вход в консоль",
    signInHelp: "Введите токен из файла --token-file коллектора. Он хранится только в этой вкладке.",
    token: "Токен", signIn: "Войти", wrongToken: "Токен не принят.", noToken: "У коллектора не задан токен (--token-file).",
    search: "Поиск", proof: "Доказательство", export: "Экспорт", policies: "Политики",
    searchTitle: "Поиск субъекта или записи",
    searchLabel: "Телефон, ИИН, анонимный идентификатор, идентификатор записи или код квитанции",
    find: "Найти", searching: "Идёт поиск…", notFound: "Ничего не найдено.", failed: "Коллектор не ответил.",
    standing: "Действующие решения", history: "История", subject: "Субъект",
    policy: "Политика", purpose: "Цель", decision: "Решение", since: "С какого времени", record: "Запись",
    granted: "согласие дано", refused: "отказ", withdrawn: "отозвано",
    time: "Время (UTC)", kind: "Вид", grant: "решение", withdrawal: "отзыв", channel: "Канал", language: "Язык",
    textCheck: "Проверка текста", decisionCheck: "Проверка решения", confirmation: "Подтверждение SMS", receipt: "Квитанция",
    chain: "Место в цепочке", showText: "Показанный текст", hideText: "Скрыть текст",
    textOf: "Текст, восстановленный по зарегистрированной редакции", evidence: "Напечатать лист доказательств",
    sheetTitle: "Лист доказательств согласия", sheetMade: "Составлен", head: "Вершина цепочки",
    proofTitle: "Целостность цепочки",
    proofHelp: "Цепочка проверяется целиком сейчас. Запишите её вершину (SEQ:HASH) отдельно: введя её здесь позже, вы докажете, что до этой строки ничего не изменено.",
    anchor: "Записанная ранее вершина (необязательно)", verify: "Проверить", verifying: "Идёт проверка…",
    intact: "Цепочка цела", broken: "Цепочка нарушена", records: "записей", anchorHolds: "Прежняя вершина на месте",
    anchorFails: "Прежняя вершина не сохранилась", exportTitle: "Экспорт реестра", from: "С", to: "По",
    exportNdjson: "Выгрузить", exported: "Выгружено записей: {n}.", csv: "CSV", ndjson: "NDJSON",
    policiesTitle: "Зарегистрированные редакции политик", version: "Редакция", operator: "Оператор", hash: "textSha256",
    match: "совпадает", mismatch: "не совпадает", unregistered: "не зарегистрирована", consistent: "согласовано",
    inconsistent: "не согласовано", verified: "подтверждено", unverified: "не подтверждено", none: "—",
    web: "веб", webview: "приложение", kiosk: "киоск", text: "Текст",
  },
  en: {
    console: "consent console", signOut: "Sign out", signInTitle: "Sign in to the console",
    signInHelp: "Enter the token from the collector's --token-file. It is kept in this tab only.",
    token: "Token", signIn: "Sign in", wrongToken: "The token was refused.", noToken: "The collector has no token set (--token-file).",
    search: "Search", proof: "Proof", export: "Export", policies: "Policies",
    searchTitle: "Find a subject or a record",
    searchLabel: "Phone, IIN, anonymous id, record id or receipt code",
    find: "Find", searching: "Searching…", notFound: "Nothing found.", failed: "The collector did not answer.",
    standing: "Decisions that stand", history: "History", subject: "Subject",
    policy: "Policy", purpose: "Purpose", decision: "Decision", since: "Since", record: "Record",
    granted: "granted", refused: "refused", withdrawn: "withdrawn",
    time: "Time (UTC)", kind: "Kind", grant: "decision", withdrawal: "withdrawal", channel: "Channel", language: "Language",
    textCheck: "Text check", decisionCheck: "Decision check", confirmation: "SMS confirmation", receipt: "Receipt",
    chain: "Chain position", showText: "Text shown", hideText: "Hide the text",
    textOf: "The text rebuilt from the registered edition", evidence: "Print the evidence sheet",
    sheetTitle: "Evidence of consent", sheetMade: "Made", head: "Chain head",
    proofTitle: "The chain's integrity",
    proofHelp: "The whole chain is checked now. Write its head (SEQ:HASH) down elsewhere: entered here later, it proves nothing up to that row was changed.",
    anchor: "A head written down earlier (optional)", verify: "Verify", verifying: "Verifying…",
    intact: "The chain is intact", broken: "The chain is broken", records: "records", anchorHolds: "The earlier head still holds",
    anchorFails: "The earlier head does not hold", exportTitle: "Export the ledger", from: "From", to: "To",
    exportNdjson: "Download", exported: "Downloaded {n} entries.", csv: "CSV", ndjson: "NDJSON",
    policiesTitle: "Registered policy editions", version: "Edition", operator: "Operator", hash: "textSha256",
    match: "match", mismatch: "mismatch", unregistered: "unregistered", consistent: "consistent",
    inconsistent: "inconsistent", verified: "verified", unverified: "unverified", none: "—",
    web: "web", webview: "app", kiosk: "kiosk", text: "Text",
  },
};

const TOKEN_KEY = "kelisim-console-token";
const LANG_KEY = "kelisim-console-lang";
let lang = WORDS[sessionStorage.getItem(LANG_KEY)] ? sessionStorage.getItem(LANG_KEY) : "kk";
let token = sessionStorage.getItem(TOKEN_KEY);
let shown = null; // the subject view on screen, for the evidence sheet
let exported = null; // the last export's entries, for the CSV

const $ = (id) => document.getElementById(id);
const t = (key) => WORDS[lang][key] ?? key;

/** An element with attributes and children (strings become text nodes). */
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === false || value == null) continue;
    if (name === "on") for (const [type, fn] of Object.entries(value)) node.addEventListener(type, fn);
    else node.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children.flat()) if (child != null) node.append(child instanceof Node ? child : String(child));
  return node;
}

function setLanguage(next) {
  lang = next;
  sessionStorage.setItem(LANG_KEY, lang);
  document.documentElement.lang = lang;
  for (const node of document.querySelectorAll("[data-t]")) node.textContent = t(node.dataset.t);
  for (const b of document.querySelectorAll("[data-lang]")) b.setAttribute("aria-pressed", String(b.dataset.lang === lang));
  document.title = "kelisim " + t("console");
  if (shown) renderSubject(shown);
  if (token && !$("console").hidden) loadPolicies();
}

/** A GET with the token; `null` for 404, throws "token" when refused. */
async function api(path, accept = "application/json") {
  const response = await fetch(path, { headers: { authorization: "Bearer " + token, accept } });
  if (response.status === 401 || response.status === 403) throw new Error("token");
  if (response.status === 404) return null;
  if (!response.ok) throw new Error("status " + response.status);
  return accept === "application/json" ? response.json() : response.text();
}

async function signIn(candidate) {
  token = candidate;
  try {
    await api("/v1/policies");
  } catch (e) {
    token = null;
    $("sign-in-error").textContent = e.message === "token" ? t("wrongToken") : t("failed");
    return false;
  }
  sessionStorage.setItem(TOKEN_KEY, token);
  $("sign-in").hidden = true;
  $("console").hidden = false;
  $("sign-out").hidden = false;
  $("sign-in-error").textContent = "";
  loadPolicies();
  return true;
}

function signOut() {
  sessionStorage.removeItem(TOKEN_KEY);
  token = null;
  shown = null;
  exported = null;
  $("result").replaceChildren();
  $("proof-result").replaceChildren();
  $("policy-list").replaceChildren();
  $("sheet").replaceChildren();
  $("console").hidden = true;
  $("sign-out").hidden = true;
  $("sign-in").hidden = false;
  $("token").value = "";
}

/** What a query names: a record id, a receipt code, or a subject ref (a phone normalized). */
function classify(raw) {
  const q = raw.trim();
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i.test(q)) return { record: q.toLowerCase() };
  if (/^[2-9a-hj-np-z]{4}-?[2-9a-hj-np-z]{4}$/i.test(q) && /[a-z]/i.test(q)) return { receipt: q };
  const digits = q.replace(/[\s()\-.\u00a0]/g, "");
  if (/^(\+7|8|7)?7\d{9}$/.test(digits) && !/^\d{12}$/.test(digits)) return { subject: "+7" + digits.slice(-10) };
  return { subject: q };
}

async function search(raw) {
  const status = $("search-status");
  status.textContent = t("searching");
  $("result").replaceChildren();
  shown = null;
  try {
    const what = classify(raw);
    let subject = what.subject;
    let focus = null;
    if (what.record) {
      const entry = await api("/v1/consents/" + encodeURIComponent(what.record));
      // An anonymous visitor's ref is a UUID too: no record by that id, then a subject.
      subject = entry ? entry.record.subject.ref : what.record;
      focus = what.record;
    } else if (what.receipt) {
      const found = await api("/v1/receipts/" + encodeURIComponent(what.receipt));
      subject = found?.entries?.[0]?.record?.subject?.ref;
      focus = found?.entries?.map((e) => e.record.recordId);
    }
    const view = subject == null ? null : await api("/v1/subjects/" + encodeURIComponent(subject) + "/consents");
    if (!view || view.history.length === 0) {
      status.textContent = t("notFound");
      return;
    }
    status.textContent = "";
    shown = { ...view, focus: [].concat(focus ?? []) };
    renderSubject(shown);
  } catch (e) {
    if (e.message === "token") return signOut();
    status.textContent = t("failed");
  }
}

const word = (value) => (value == null ? t("none") : t(value));

function renderSubject(view) {
  const standing = el("table", { class: "grid" },
    el("caption", {}, t("standing")),
    el("thead", {}, el("tr", {}, [t("policy"), t("purpose"), t("decision"), t("since"), t("record"), t("textCheck"), t("decisionCheck")].map((h) => el("th", { scope: "col" }, h)))),
    el("tbody", {}, view.purposes.map((p) => el("tr", {},
      el("td", {}, p.policyId), el("td", {}, p.purposeId),
      el("td", { class: p.granted ? "yes" : "no" }, p.granted ? t("granted") : refusedOrWithdrawn(view, p)),
      el("td", {}, p.receivedAt), el("td", {}, el("code", {}, p.recordId)),
      el("td", { class: "check-" + p.textCheck }, word(p.textCheck)),
      el("td", { class: "check-" + p.decisionCheck }, word(p.decisionCheck))))));
  const history = el("ol", { class: "history" }, view.history.map((entry) => historyItem(entry, view.focus.includes(entry.record.recordId))));
  $("result").replaceChildren(
    el("h2", {}, t("subject"), ": ", el("code", {}, view.subject)),
    el("button", { type: "button", id: "print-sheet", on: { click: () => printSheet(view) } }, t("evidence")),
    standing,
    el("h2", {}, t("history")),
    history,
  );
}

function refusedOrWithdrawn(view, standing) {
  const entry = view.history.find((e) => e.record.recordId === standing.recordId);
  return entry?.record?.kind === "withdrawal" ? t("withdrawn") : t("refused");
}

function historyItem(entry, focused) {
  const r = entry.record;
  const decided = r.purposes.map((p) => el("li", { class: p.granted ? "yes" : "no" }, p.id, ": ", p.granted ? t("granted") : r.kind === "withdrawal" ? t("withdrawn") : t("refused")));
  const text = el("div", { class: "shown" });
  const toggle = el("button", { type: "button", "aria-expanded": "false", class: "quiet" }, t("showText"));
  toggle.addEventListener("click", async () => {
    if (toggle.getAttribute("aria-expanded") === "true") {
      text.replaceChildren();
      toggle.setAttribute("aria-expanded", "false");
      toggle.textContent = t("showText");
      return;
    }
    const shownText = await policyText(r.policy);
    text.replaceChildren(shownTextBlock(shownText, r.policy.textSha256));
    toggle.setAttribute("aria-expanded", "true");
    toggle.textContent = t("hideText");
  });
  return el("li", { class: focused ? "entry focus" : "entry", "data-record": r.recordId },
    el("dl", {},
      el("dt", {}, t("time")), el("dd", {}, entry.receivedAt),
      el("dt", {}, t("kind")), el("dd", {}, t(r.kind)),
      el("dt", {}, t("policy")), el("dd", {}, r.policy.id, " · ", r.policy.version),
      el("dt", {}, t("channel")), el("dd", {}, word(r.channel), r.kiosk ? " · " + [r.kiosk.shop, r.kiosk.consultant].filter(Boolean).join(" / ") : ""),
      el("dt", {}, t("language")), el("dd", {}, r.policy.language),
      el("dt", {}, t("textCheck")), el("dd", { class: "check-" + entry.textCheck }, word(entry.textCheck)),
      el("dt", {}, t("decisionCheck")), el("dd", { class: "check-" + entry.decisionCheck }, word(entry.decisionCheck)),
      el("dt", {}, t("confirmation")), el("dd", {}, word(entry.confirmationCheck)),
      el("dt", {}, t("receipt")), el("dd", {}, el("code", {}, (entry.receiptCode ?? "").replace(/^(.{4})(.{4})$/, "$1-$2"))),
      el("dt", {}, t("record")), el("dd", {}, el("code", {}, r.recordId)),
      el("dt", {}, t("chain")), el("dd", {}, el("code", {}, entry.seq + ":" + entry.hash))),
    el("ul", { class: "decided" }, decided),
    toggle, text);
}

const texts = new Map();
/** The exact text of an edition in a language, from the registry; `null` when unregistered. */
async function policyText(policy) {
  const key = [policy.id, policy.version, policy.language].join("/");
  if (!texts.has(key)) texts.set(key, await api("/v1/policies/" + [policy.id, policy.version, policy.language].map(encodeURIComponent).join("/")));
  return texts.get(key);
}

function shownTextBlock(shownText, recorded) {
  if (!shownText) return el("p", { class: "check-unregistered" }, t("unregistered"));
  const same = shownText.textSha256 === recorded;
  return el("figure", {},
    el("figcaption", {}, t("textOf"), " · ", t("hash"), " ", el("code", {}, shownText.textSha256), " ", el("span", { class: same ? "check-match" : "check-mismatch" }, same ? t("match") : t("mismatch"))),
    el("pre", { lang: shownText.language, tabindex: "0", "aria-label": t("textOf") }, shownText.text));
}

async function printSheet(view) {
  const proof = await api("/v1/verify").catch(() => null);
  const sheet = $("sheet");
  const items = [];
  for (const entry of view.history) {
    const shownText = await policyText(entry.record.policy).catch(() => null);
    items.push(el("section", { class: "sheet-entry" }, historyItem(entry, false).querySelector("dl"), el("ul", {}, entry.record.purposes.map((p) => el("li", {}, p.id, ": ", p.granted ? t("granted") : entry.record.kind === "withdrawal" ? t("withdrawn") : t("refused")))), shownTextBlock(shownText, entry.record.policy.textSha256)));
  }
  sheet.replaceChildren(
    el("h1", { id: "sheet-title" }, t("sheetTitle")),
    el("p", {}, t("subject"), ": ", el("code", {}, view.subject)),
    el("p", {}, t("sheetMade"), ": ", new Date().toISOString(), " · ", t("head"), ": ", el("code", {}, proof?.head ?? t("none")), " · ", proof?.intact ? t("intact") : t("broken")),
    el("table", { class: "grid" }, el("caption", {}, t("standing")),
      el("tbody", {}, view.purposes.map((p) => el("tr", {}, el("td", {}, p.policyId), el("td", {}, p.purposeId), el("td", {}, p.granted ? t("granted") : refusedOrWithdrawn(view, p)), el("td", {}, p.receivedAt))))),
    ...items);
  sheet.hidden = false;
  document.body.classList.add("printing");
  window.print();
}

window.addEventListener("afterprint", () => {
  document.body.classList.remove("printing");
  $("sheet").hidden = true;
});

async function verify(anchor) {
  const out = $("proof-result");
  out.textContent = t("verifying");
  try {
    const proof = await api("/v1/verify" + (anchor ? "?anchor=" + encodeURIComponent(anchor.trim()) : ""));
    const lines = [el("p", { class: proof.intact ? "check-match" : "check-mismatch" }, proof.intact ? t("intact") : t("broken"), " · ", proof.records, " ", t("records"))];
    if (proof.head) lines.push(el("p", {}, t("head"), ": ", el("code", { id: "head" }, proof.head)));
    if (proof.broken) lines.push(el("p", { class: "check-mismatch" }, proof.broken));
    if (proof.anchor) lines.push(el("p", { class: proof.anchor.holds ? "check-match" : "check-mismatch" }, proof.anchor.holds ? t("anchorHolds") : t("anchorFails"), proof.anchor.why ? ": " + proof.anchor.why : ""));
    out.replaceChildren(...lines);
  } catch (e) {
    if (e.message === "token") return signOut();
    out.textContent = e.message.startsWith("status 400") ? "SEQ:HASH" : t("failed");
  }
}

async function exportLedger(from, to) {
  const status = $("export-status");
  const query = new URLSearchParams();
  if (from) query.set("from", from + "T00:00:00Z");
  if (to) query.set("to", to + "T00:00:00Z");
  try {
    const ndjson = await api("/v1/export?" + query, "application/x-ndjson");
    exported = ndjson.split("\n").filter(Boolean).map((line) => JSON.parse(line));
    const name = "kelisim-export" + (from ? "-" + from : "") + (to ? "-" + to : "");
    status.replaceChildren(t("exported").replace("{n}", exported.length), " ",
      download(name + ".ndjson", ndjson, "application/x-ndjson", t("ndjson")), " ",
      download(name + ".csv", toCsv(exported), "text/csv", t("csv")));
  } catch (e) {
    if (e.message === "token") return signOut();
    status.textContent = t("failed");
  }
}

function download(name, text, type, label) {
  const link = el("a", { href: URL.createObjectURL(new Blob([text], { type })), download: name, class: "download" }, label);
  return link;
}

const CSV_COLUMNS = ["seq", "receivedAt", "recordId", "kind", "subjectRef", "policyId", "policyVersion", "language", "textSha256", "purposes", "channel", "textCheck", "decisionCheck", "confirmationCheck", "receiptCode", "prevHash", "hash"];

/** The entries as CSV (RFC 4180), one row per entry; `purposes` as `id=granted|refused;…`. */
function toCsv(entries) {
  const cell = (v) => {
    const s = v == null ? "" : String(v);
    return /[",\r\n]/.test(s) || /^[=+\-@\t]/.test(s) ? '"' + (/^[=+\-@\t]/.test(s) ? "'" : "") + s.replace(/"/g, '""') + '"' : s;
  };
  const rows = entries.map((e) => {
    const r = e.record;
    return [e.seq, e.receivedAt, r.recordId, r.kind, r.subject?.ref, r.policy.id, r.policy.version, r.policy.language, r.policy.textSha256,
      r.purposes.map((p) => p.id + "=" + (p.granted ? "granted" : "refused")).join(";"), r.channel, e.textCheck, e.decisionCheck,
      e.confirmationCheck, e.receiptCode, e.prevHash, e.hash].map(cell).join(",");
  });
  return [CSV_COLUMNS.join(","), ...rows].join("\r\n") + "\r\n";
}

async function loadPolicies() {
  try {
    const { policies } = await api("/v1/policies");
    $("policy-list").replaceChildren(...policies.map((p) => el("article", { class: "policy" },
      el("h2", {}, p.title),
      el("p", {}, t("operator"), ": ", p.operator, " · ", t("policy"), ": ", el("code", {}, p.policyId), " · ", t("version"), ": ", p.version),
      el("p", {}, t("purpose"), ": ", p.purposes.join(", ")),
      el("table", { class: "grid" },
        el("thead", {}, el("tr", {}, [t("language"), t("hash"), t("text")].map((h) => el("th", { scope: "col" }, h)))),
        el("tbody", {}, p.languages.map((l) => policyRow(p, l)))))));
  } catch (e) {
    if (e.message === "token") signOut();
  }
}

function policyRow(p, l) {
  const cell = el("td", {});
  const button = el("button", { type: "button", class: "quiet", "aria-expanded": "false" }, t("showText"));
  button.addEventListener("click", async () => {
    const open = button.getAttribute("aria-expanded") === "true";
    button.setAttribute("aria-expanded", String(!open));
    button.textContent = open ? t("showText") : t("hideText");
    cell.replaceChildren(...(open ? [] : [shownTextBlock(await policyText({ id: p.policyId, version: p.version, language: l.language }), l.textSha256)]));
  });
  return [el("tr", {}, el("td", {}, l.language), el("td", {}, el("code", {}, l.textSha256)), el("td", {}, button)), el("tr", {}, el("td", { colspan: "3" }, cell))];
}

$("sign-in-form").addEventListener("submit", (e) => {
  e.preventDefault();
  signIn($("token").value.trim());
});
$("sign-out").addEventListener("click", signOut);
$("search-form").addEventListener("submit", (e) => {
  e.preventDefault();
  search($("query").value);
});
$("proof-form").addEventListener("submit", (e) => {
  e.preventDefault();
  verify($("anchor").value);
});
$("export-form").addEventListener("submit", (e) => {
  e.preventDefault();
  exportLedger($("from").value, $("to").value);
});
for (const b of document.querySelectorAll("[data-lang]")) b.addEventListener("click", () => setLanguage(b.dataset.lang));
setLanguage(lang);
if (token) signIn(token);
