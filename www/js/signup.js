// Loyalty signup demo: the form can be sent only once the consent decision grants every required
// purpose. (Field validation and one combined submit come with the form binding.)
const form = document.getElementById("signup");
const submit = document.getElementById("signup-submit");
const done = document.getElementById("signup-done");
let consent = null;

const texts = {
  kk: "Тіркелдіңіз. Келісім жазбасы: ",
  ru: "Вы зарегистрированы. Запись о согласии: ",
  en: "You are registered. Consent record: ",
};

const refresh = () => {
  const state = consent?.state();
  const required = (window.kelisimConfigRequired ?? []);
  submit.disabled = !state || !required.every((id) => state.purposes[id]);
};

document.addEventListener("demo:ready", async (e) => {
  consent = e.detail;
  const host = document.querySelector("[data-demo-config]");
  const config = await (await fetch(host.dataset.demoConfig)).json();
  window.kelisimConfigRequired = config.purposes.filter((p) => p.required).map((p) => p.id);
  refresh();
});
document.addEventListener("demo:decision", refresh);
form.addEventListener("submit", (e) => {
  e.preventDefault();
  const state = consent?.state();
  if (!state) return;
  done.textContent = (texts[consent.language] ?? texts.kk) + state.recordId;
});
