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
    textOf: "Тіркелген басылымнан қалпына келтірілген мәтін", annex: "Қосымша: көрсетілген мәтіндер", previewOf: "Келушілер көретін хабарлама", evidence: "Дәлел парағын басып шығару",
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
    charts: "Көрсеткіштер", chartsTitle: "Шешімдер күн сайын", edition: "Саясат басылымы", all: "барлығы", draw: "Көрсету", grantRate: "Келісім үлесі мақсаттар бойынша, %", withdrawals: "Кері қайтарулар", flagged: "Тексеруден өтпеген жазбалар", textFlag: "мәтін", decisionFlag: "шешім", day: "Күн", rate: "Үлесі", count: "Саны", noData: "Бұл аралықта жазба жоқ.", drawing: "Сызылуда…", data: "Сандар кестесі", summary: "{n} күн, {r} жазба",
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
    textOf: "Текст, восстановленный по зарегистрированной редакции", annex: "Приложение: показанные тексты", previewOf: "Уведомление, как его видят посетители", evidence: "Напечатать лист доказательств",
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
    charts: "Показатели", chartsTitle: "Решения по дням", edition: "Редакция политики", all: "все", draw: "Показать", grantRate: "Доля согласий по целям, %", withdrawals: "Отзывы", flagged: "Записи, не прошедшие проверку", textFlag: "текст", decisionFlag: "решение", day: "День", rate: "Доля", count: "Число", noData: "За этот период записей нет.", drawing: "Строится…", data: "Таблица чисел", summary: "{n} дн., {r} записей",
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
    textOf: "The text rebuilt from the registered edition", annex: "Annex: the texts shown", previewOf: "The notice as visitors see it", evidence: "Print the evidence sheet",
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
    charts: "Pictures", chartsTitle: "Decisions by day", edition: "Policy edition", all: "all", draw: "Draw", grantRate: "Share granted by purpose, %", withdrawals: "Withdrawals", flagged: "Records a check flagged", textFlag: "text", decisionFlag: "decision", day: "Day", rate: "Share", count: "Count", noData: "No records in this range.", drawing: "Drawing…", data: "The numbers", summary: "{n} days, {r} records",
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
  for (const child of children.flat(Infinity)) if (child != null && child !== false) node.append(child instanceof Node ? child : String(child));
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
  if ($("chart-result").childElementCount) drawCharts();
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

function shownTextBlock(shownText, recorded, { preview = false } = {}) {
  if (!shownText) return el("p", { class: "check-unregistered" }, t("unregistered"));
  const same = shownText.textSha256 === recorded;
  // The notice as visitors see it, drawn by the banner's own view: a document with no script in a
  // frame that may run none.
  const frame = preview && el("iframe", { class: "preview", sandbox: "", title: t("previewOf") + " · " + shownText.language, srcdoc: shownText.preview });
  return el("figure", {},
    el("figcaption", {}, t("textOf"), " · ", t("hash"), " ", el("code", {}, shownText.textSha256), " ", el("span", { class: same ? "check-match" : "check-mismatch" }, same ? t("match") : t("mismatch"))),
    frame || null,
    el("pre", { lang: shownText.language, tabindex: "0", "aria-label": t("textOf") }, shownText.text));
}

/** The evidence sheet: one page of what was decided, when, on which text and where in the chain,
 * then an annex with each text shown, rebuilt from its registered edition. */
async function printSheet(view) {
  const proof = await api("/v1/verify").catch(() => null);
  const annex = new Map();
  for (const entry of view.history) {
    const p = entry.record.policy;
    const key = [p.id, p.version, p.language, p.textSha256].join("/");
    if (!annex.has(key)) annex.set(key, { policy: p, text: await policyText(p).catch(() => null) });
  }
  const decided = (r) => r.purposes.map((p) => p.id + ": " + (p.granted ? t("granted") : r.kind === "withdrawal" ? t("withdrawn") : t("refused"))).join("; ");
  $("sheet").replaceChildren(
    el("section", { class: "sheet-page" },
      el("h1", { id: "sheet-title" }, t("sheetTitle")),
      el("p", {}, t("subject"), ": ", el("code", {}, view.subject)),
      el("p", {}, t("sheetMade"), ": ", new Date().toISOString(), " · ", t("head"), ": ", el("code", {}, proof?.head ?? t("none")), " · ", proof?.intact ? t("intact") : t("broken")),
      el("table", { class: "grid" }, el("caption", {}, t("standing")),
        el("thead", {}, el("tr", {}, [t("policy"), t("purpose"), t("decision"), t("since")].map((h) => el("th", { scope: "col" }, h)))),
        el("tbody", {}, view.purposes.map((p) => el("tr", {}, el("td", {}, p.policyId), el("td", {}, p.purposeId), el("td", {}, p.granted ? t("granted") : refusedOrWithdrawn(view, p)), el("td", {}, p.receivedAt))))),
      el("table", { class: "grid" }, el("caption", {}, t("history")),
        el("thead", {}, el("tr", {}, [t("time"), t("decision"), t("policy"), t("textCheck"), t("decisionCheck"), t("chain")].map((h) => el("th", { scope: "col" }, h)))),
        el("tbody", {}, view.history.map((e) => el("tr", { "data-record": e.record.recordId },
          el("td", {}, e.receivedAt, el("br"), el("code", {}, e.record.recordId)),
          el("td", {}, decided(e.record)),
          el("td", {}, e.record.policy.id, " · ", e.record.policy.version, " · ", e.record.policy.language, " · ", word(e.record.channel)),
          el("td", {}, word(e.textCheck), el("br"), el("code", {}, e.record.policy.textSha256)),
          el("td", {}, word(e.decisionCheck), e.confirmationCheck ? " · " + t("confirmation") + ": " + word(e.confirmationCheck) : ""),
          el("td", {}, el("code", {}, e.seq + ":" + e.hash))))))),
    el("section", { class: "sheet-annex" },
      el("h2", {}, t("annex")),
      [...annex.values()].map(({ policy, text }) => el("section", { class: "sheet-entry" },
        el("h3", {}, policy.id, " · ", policy.version, " · ", policy.language),
        shownTextBlock(text, policy.textSha256)))));
  $("sheet").hidden = false;
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
    const written = anchor.trim();
    const proof = await api("/v1/verify" + (written ? "?anchor=" + encodeURIComponent(written) : ""));
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
    fillEditions(policies);
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
    cell.replaceChildren(...(open ? [] : [shownTextBlock(await policyText({ id: p.policyId, version: p.version, language: l.language }), l.textSha256, { preview: true })]));
  });
  return [el("tr", {}, el("td", {}, l.language), el("td", {}, el("code", {}, l.textSha256)), el("td", {}, button)), el("tr", { class: "detail" }, el("td", { colspan: "3" }, cell))];
}

// ---- pictures: the daily tallies drawn as SVG --------------------------------------------------

const SVG = "http://www.w3.org/2000/svg";
const PALETTE = ["#0b5cad", "#c2410c", "#1a7f37", "#8250df", "#b3261e", "#0f766e", "#9a6700", "#57606a"];
let editions = [];

function svg(tag, attrs = {}, ...children) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  for (const child of children.flat(Infinity)) node.append(child instanceof Node ? child : String(child));
  return node;
}

function fillEditions(policies) {
  editions = policies;
  const select = $("edition");
  const chosen = select.value;
  select.replaceChildren(...policies.map((p, i) => el("option", { value: String(i) }, p.policyId + " · " + p.version)));
  if (chosen) select.value = chosen;
}

/** The days from `from` to `to`, both included, as YYYY-MM-DD. */
function daysBetween(from, to) {
  const out = [];
  for (let d = new Date(from + "T00:00:00Z"); d <= new Date(to + "T00:00:00Z"); d.setUTCDate(d.getUTCDate() + 1)) {
    out.push(d.toISOString().slice(0, 10));
    if (out.length > 1000) break;
  }
  return out;
}

async function drawCharts() {
  const out = $("chart-result");
  const edition = editions[Number($("edition").value)];
  if (!edition) return;
  // What was drawn before goes at once: nothing on screen belongs to another filter.
  out.replaceChildren(el("p", { role: "status" }, t("drawing")));
  const query = new URLSearchParams({ policy: edition.policyId, version: edition.version });
  if ($("chart-from").value) query.set("from", $("chart-from").value);
  if ($("chart-to").value) query.set("to", $("chart-to").value);
  if ($("chart-language").value) query.set("language", $("chart-language").value);
  if ($("chart-channel").value) query.set("channel", $("chart-channel").value);
  let tallies;
  try {
    ({ tallies } = await api("/v1/stats?" + query));
  } catch (e) {
    if (e.message === "token") return signOut();
    out.textContent = t("failed");
    return;
  }
  const rows = tallies;
  const records = rows.filter((r) => r.purposeId === "");
  if (records.length === 0) {
    out.replaceChildren(el("p", { role: "status" }, t("noData")));
    return;
  }
  const present = [...new Set(rows.map((r) => r.day))].sort();
  const days = daysBetween($("chart-from").value || present[0], $("chart-to").value || present[present.length - 1]);
  const sum = (list) => list.reduce((n, r) => n + r.count, 0);
  const on = (day, list) => list.filter((r) => r.day === day);
  const purposes = edition.purposes;
  const rate = purposes.map((purpose) => days.map((day) => {
    const here = on(day, rows.filter((r) => r.purposeId === purpose));
    const granted = sum(here.filter((r) => r.decision === "granted"));
    const refused = sum(here.filter((r) => r.decision === "refused"));
    return { day, granted, refused, value: granted + refused ? (100 * granted) / (granted + refused) : null };
  }));
  const withdrawn = days.map((day) => ({ day, value: sum(on(day, records.filter((r) => r.decision === "withdrawal"))) }));
  const textFlagged = days.map((day) => ({ day, value: sum(on(day, records.filter((r) => !r.textOk))) }));
  const decisionFlagged = days.map((day) => ({ day, value: sum(on(day, records.filter((r) => r.textOk && !r.decisionOk))) }));
  out.replaceChildren(
    el("p", { role: "status" }, t("summary").replace("{n}", days.length).replace("{r}", sum(records).toLocaleString(lang))),
    chart("chart-rate", t("grantRate"), days, purposes.map((p, i) => ({ name: p, color: PALETTE[i % PALETTE.length], points: rate[i] })), { max: 100, lines: true }),
    dataTable("rate", [t("day"), t("purpose"), t("granted"), t("refused"), t("rate")],
      rate.flatMap((series, i) => series.filter((p) => p.granted + p.refused > 0).map((p) => [p.day, purposes[i], p.granted, p.refused, p.value.toFixed(1)]))),
    chart("chart-withdrawals", t("withdrawals"), days, [{ name: t("withdrawals"), color: PALETTE[1], points: withdrawn }], {}),
    dataTable("withdrawals", [t("day"), t("count")], withdrawn.filter((p) => p.value).map((p) => [p.day, p.value])),
    chart("chart-flagged", t("flagged"), days, [
      { name: t("textFlag"), color: PALETTE[4], points: textFlagged },
      { name: t("decisionFlag"), color: PALETTE[6], points: decisionFlagged },
    ], { stacked: true }),
    dataTable("flagged", [t("day"), t("textFlag"), t("decisionFlag")],
      days.map((d, i) => [d, textFlagged[i].value, decisionFlagged[i].value]).filter((r) => r[1] || r[2])),
  );
}

/** A chart of `series` over `days`: lines (a share) or bars (counts, stacked when asked). */
function chart(id, title, days, series, { max, lines = false, stacked = false }) {
  const W = 720, H = 260, L = 44, R = 12, T = 12, B = 36;
  const top = max ?? Math.max(1, ...days.map((_, i) => stacked ? series.reduce((n, s) => n + s.points[i].value, 0) : Math.max(...series.map((s) => s.points[i].value ?? 0))));
  const nice = max ?? niceCeiling(top);
  const x = (i) => L + ((W - L - R) * (days.length === 1 ? 0.5 : i / (days.length - 1)));
  const y = (v) => T + (H - T - B) * (1 - v / nice);
  const step = (W - L - R) / Math.max(days.length, 1);
  const body = [];
  for (const tick of [0, 0.25, 0.5, 0.75, 1]) {
    const v = nice * tick;
    body.push(svg("line", { class: "grid-line", x1: L, x2: W - R, y1: y(v), y2: y(v) }));
    body.push(svg("text", { x: L - 6, y: y(v) + 4, "text-anchor": "end" }, Number.isInteger(v) ? v : v.toFixed(1)));
  }
  const labelEvery = Math.ceil(days.length / 8);
  days.forEach((d, i) => {
    if (i % labelEvery === 0) body.push(svg("text", { x: lines ? x(i) : L + step * (i + 0.5), y: H - B + 16, "text-anchor": "middle" }, d.slice(5)));
  });
  body.push(svg("line", { class: "axis", x1: L, x2: W - R, y1: y(0), y2: y(0) }));
  if (lines) {
    for (const s of series) {
      let path = "";
      s.points.forEach((p, i) => {
        if (p.value == null) return;
        path += (path ? " L" : "M") + x(i).toFixed(1) + " " + y(p.value).toFixed(1);
        body.push(svg("circle", { cx: x(i), cy: y(p.value), r: days.length > 60 ? 1.5 : 3, fill: s.color, "data-series": s.name, "data-day": p.day, "data-value": p.value.toFixed(1) },
          svg("title", {}, `${s.name} ${p.day}: ${p.value.toFixed(1)}% (${p.granted}/${p.granted + p.refused})`)));
      });
      if (path) body.push(svg("path", { d: path, fill: "none", stroke: s.color, "stroke-width": 2 }));
    }
  } else {
    const width = Math.max(1, step * 0.7 / (stacked ? 1 : series.length));
    days.forEach((d, i) => {
      let base = 0;
      series.forEach((s, k) => {
        const v = s.points[i].value;
        if (!v) return;
        const left = L + step * i + step * 0.15 + (stacked ? 0 : k * width);
        body.push(svg("rect", { x: left, y: y(base + v), width, height: y(base) - y(base + v), fill: s.color, "data-series": s.name, "data-day": d, "data-value": v },
          svg("title", {}, `${s.name} ${d}: ${v}`)));
        if (stacked) base += v;
      });
    });
  }
  const legend = el("ul", { class: "legend" }, series.map((s) => {
    const item = el("li", {}, s.name);
    item.style.setProperty("--swatch", s.color);
    return item;
  }));
  return el("figure", { class: "chart", id },
    el("figcaption", {}, el("strong", {}, title)),
    svg("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": title + ": " + days[0] + " – " + days[days.length - 1] }, body),
    legend);
}

/** The smallest of 4, 8, 12, 16, 20, 40, 60, 80 times a power of ten not below `v`: quarters are whole. */
function niceCeiling(v) {
  for (let power = 1; ; power *= 10) {
    for (const m of [4, 8, 12, 16, 20, 40, 60, 80]) if (m * power >= v) return m * power;
  }
}

function dataTable(name, headings, rows) {
  return el("details", { class: "data", "data-table": name },
    el("summary", {}, t("data")),
    el("table", { class: "grid" },
      el("thead", {}, el("tr", {}, headings.map((h) => el("th", { scope: "col" }, h)))),
      el("tbody", {}, rows.map((r) => el("tr", {}, r.map((c) => el("td", {}, String(c))))))));
}

$("charts-form").addEventListener("submit", (e) => {
  e.preventDefault();
  drawCharts();
});

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
