// Mounts every <div data-kelisim="/consent/….json"> on the page: no page script needed. The
// configs are fetched first; a config with a `form` gets the build with forms (kelisim.js), any
// other the banner build (kelisim-banner.js), so a page downloads only the code it uses.
const loads = [...document.querySelectorAll("[data-kelisim]")].map(async (host) => {
  const url = host.getAttribute("data-kelisim").trim();
  try {
    if (!url) throw new Error("data-kelisim needs the URL of a config file");
    const response = await fetch(url);
    if (!response.ok) throw new Error("HTTP " + response.status);
    return { host, text: await response.text() };
  } catch (e) {
    return { host, error: "kelisim: config: could not load " + url + ": " + e.message };
  }
});
const loaded = await Promise.all(loads);
// In JSON text an unescaped `"form"` followed by `:` can only be a member name; the module itself
// reads the config and reports anything wrong with it.
const form = loaded.some((l) => /"form"\s*:/.test(l.text));
const [kelisim, response] = await Promise.all([
  import(form ? "./kelisim.js" : "./kelisim-banner.js"),
  fetch(new URL(form ? "./kelisim_bg.wasm" : "./kelisim-banner_bg.wasm", import.meta.url)),
]);
await kelisim.default({ module_or_path: response });
for (const { host, text, error } of loaded) {
  if (error) console.error(error);
  else {
    kelisim.Kelisim.mount(host, text, {
      lang: host.getAttribute("data-kelisim-lang") ?? undefined,
      subject: host.getAttribute("data-kelisim-subject") ?? undefined,
    });
  }
}
