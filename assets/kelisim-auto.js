// Mounts every <div data-kelisim="/consent/….json"> on the page: no page script needed. A config
// with a `form` gets the build with forms (kelisim.js), any other the banner build
// (kelisim-banner.js), so a page downloads only the code it uses. The build the page preloads is
// started at once, while the configs load; the configs then decide.
const hosts = [...document.querySelectorAll("[data-kelisim]")];
const loads = hosts.map(async (host) => {
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
const builds = {};
const start = (name) =>
  (builds[name] ??= Promise.all([
    import("./" + name + ".js"),
    fetch(new URL("./" + name + "_bg.wasm", import.meta.url)),
  ]).then(async ([kelisim, wasm]) => (await kelisim.default({ module_or_path: wasm }), kelisim)));
for (const name of ["kelisim-banner", "kelisim"]) {
  if (document.querySelector(`link[rel="modulepreload"][href$="/${name}.js"]`)) start(name);
}
const loaded = await Promise.all(loads);
// In JSON text an unescaped `"form"` followed by `:` can only be a member name; the module itself
// reads the config and reports anything wrong with it.
const kelisim = await start(loaded.some((l) => /"form"\s*:/.test(l.text)) ? "kelisim" : "kelisim-banner");
for (const { host, text, error } of loaded) {
  if (error) console.error(error);
  else {
    kelisim.Kelisim.mount(host, text, {
      lang: host.getAttribute("data-kelisim-lang") ?? undefined,
      subject: host.getAttribute("data-kelisim-subject") ?? undefined,
    });
  }
}
