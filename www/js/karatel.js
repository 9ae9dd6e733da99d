// Demo page script: mounts the Kar-Tel banner with the JS API and logs what happens to each record.
import init, { Kelisim } from "/pkg/kelisim.js";

const log = document.getElementById("log");
const note = (text) => {
  const li = document.createElement("li");
  li.textContent = text;
  log.append(li);
};

const translatePage = (lang) => {
  document.documentElement.lang = lang;
  for (const el of document.querySelectorAll("[data-i18n-" + lang + "]")) {
    el.textContent = el.getAttribute("data-i18n-" + lang);
  }
};

await init();
const config = await (await fetch("/consent/karatel.json")).json();
const consent = Kelisim.mount("#consent", config);
window.kelisimDemo = consent;
translatePage(consent.language ?? "kk");
consent.on("error", (e) => note("error " + e.code + ": " + e.message));
consent.on("decision", (r) => {
  translatePage(r.policy.language);
  note(r.kind + " " + r.recordId + " — " + r.purposes.filter((p) => p.granted).map((p) => p.id).join(", "));
});
consent.on("delivered", (ack) => note("delivered " + ack.recordId + " (HTTP " + ack.status + ")"));
document.getElementById("consent").addEventListener("click", () => {
  if (consent.language) translatePage(consent.language);
});
