// Loyalty signup demo: kelisim checks the fields and, when they are valid, records the consent as
// the form is sent; this handler then runs, as a shop's own would, and shows the outcome.
const form = document.getElementById("signup");
const done = document.getElementById("signup-done");

const texts = {
  kk: "Тіркелдіңіз. Келісім жазбасы: ",
  ru: "Вы зарегистрированы. Запись о согласии: ",
  en: "You are registered. Consent record: ",
};

form.addEventListener("submit", (e) => {
  e.preventDefault();
  const consent = window.kelisimDemo;
  const state = consent?.state();
  if (!state) return;
  done.textContent = (texts[consent.language] ?? texts.kk) + state.recordId;
});
