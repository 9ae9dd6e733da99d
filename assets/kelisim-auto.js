// Mounts every <div data-kelisim="/consent/….json"> on the page: no page script needed. The
// configs are fetched first; a config with a `form` gets the build with forms (kelisim.js), any
// other the banner build (kelisim-banner.js), so a page downloads only the code it uses.
const hosts = [...document.querySelectorAll("[data-kelisim]")];
const loads = hosts.map(async (host) => {
  const url = host.getAttribute("data-kelisim").trim();
  if (!url) return { host, error: "config: data-kelisim needs the URL of a config file" };
  try {
    const response = await fetch(url);
    if (!response.ok) throw new Error("HTTP " + response.status);
    const text = await response.text();
    let form = false;
    try {
      form = JSON.parse(text)?.form != null;
    } catch {
      // Not JSON: the module reports exactly where when it reads the text.
    }
    return { host, text, form };
  } catch (e) {
    return { host, error: "config: could not load " + url + " (" + e.message + ")" };
  }
});

const loaded = await Promise.all(loads);
const form = loaded.some((l) => l.form);
const build = form ? "./kelisim.js" : "./kelisim-banner.js";
const wasm = new URL(form ? "./kelisim_bg.wasm" : "./kelisim-banner_bg.wasm", import.meta.url);
// The glue and the wasm load side by side.
const [kelisim, response] = await Promise.all([import(build), fetch(wasm)]);
await kelisim.default({ module_or_path: response });
for (const { host, text, error } of loaded) {
  if (error) {
    console.error("kelisim: " + error);
    continue;
  }
  const options = {
    lang: host.getAttribute("data-kelisim-lang") ?? undefined,
    subject: host.getAttribute("data-kelisim-subject") ?? undefined,
  };
  kelisim.Kelisim.mount(host, text, options);
}
