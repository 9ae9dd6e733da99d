// Demo page script: mounts the banner named by the page's [data-demo-config] element with the JS
// API, translates the page's own labels with the banner's language, and logs each record's fate.
// A config that binds a signup form gets the build with forms, kelisim.js; the others the banner
// build, kelisim-banner.js: the same API without validateField (as kelisim-auto.js chooses).
// A module that fails to load or compile rejects `import` or `init()`: the page says so (some
// engines report nothing of a module script's failed top-level await on their own).
const host = document.querySelector("[data-demo-config]");
const log = document.getElementById("log");

const note = (text) => {
  if (!log) return;
  const li = document.createElement("li");
  li.textContent = text;
  log.append(li);
};

const translatePage = (lang) => {
  document.documentElement.lang = lang;
  for (const el of document.querySelectorAll("[data-i18n-" + lang + "]")) {
    el.textContent = el.getAttribute("data-i18n-" + lang);
  }
  document.dispatchEvent(new CustomEvent("demo:language", { detail: lang }));
};

let kelisim;
try {
  const config = await (await fetch(host.dataset.demoConfig)).json();
  const build = config.form ? "/pkg/kelisim.js" : "/pkg/kelisim-banner.js";
  const module = await import(build);
  await module.default();
  kelisim = { ...module, config };
} catch (e) {
  note("error load: kelisim could not be loaded: " + e.message);
  console.error("kelisim: load:", e);
  throw e;
}
const { Kelisim, validateField, config } = kelisim;
const consent = Kelisim.mount(host, config);
window.kelisimDemo = consent;
window.kelisimValidate = validateField;
translatePage(consent.language ?? "kk");
consent.on("error", (e) => note("error " + e.code + ": " + e.message));
consent.on("decision", (r) => {
  translatePage(r.policy.language);
  const granted = r.purposes.filter((p) => p.granted).map((p) => p.id);
  const withdrawn = r.purposes.filter((p) => !p.granted).map((p) => p.id);
  note(r.kind + " " + r.recordId + " — " + (r.kind === "grant" ? granted : withdrawn).join(", "));
  document.dispatchEvent(new CustomEvent("demo:decision", { detail: r }));
});
consent.on("delivered", (ack) => note("delivered " + ack.recordId + " (HTTP " + ack.status + ")"));
host.addEventListener("click", () => consent.language && translatePage(consent.language));
for (const button of document.querySelectorAll("[data-demo-manage]")) {
  button.addEventListener("click", () => host.querySelector('[data-k-act="manage"]')?.click());
}
document.dispatchEvent(new CustomEvent("demo:ready", { detail: consent }));
