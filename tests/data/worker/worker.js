// A module worker with no window or document: the build with forms checks fields, and refuses to
// mount a notice with a clear error.
import init, { validateField, Kelisim } from "/pkg/kelisim.js";

await init();
let mount = null;
try {
  Kelisim.mount("#consent", "{}", {});
} catch (e) {
  mount = e.message;
}
postMessage({
  phone: validateField("phone", "8 (701) 234-56-78", "ru"),
  iin: validateField("iin", "910312400122", "kk"),
  mount,
});
