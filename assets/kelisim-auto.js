// Mounts every <div data-kelisim="/consent/….json"> on the page: no page script needed. A config
// with a `form` or SMS `confirm` gets the build with forms (kelisim.js), any other the banner build
// (kelisim-banner.js), so a page downloads only the code it uses. The build the page preloads is
// started at once, while the configs load; the configs then decide.
//
// Whatever stops a notice from showing — a config that cannot be fetched, a module that fails to
// load or compile, a config the module refuses — is reported on the console and as a
// `kelisim:error` event on the host element (it bubbles to `document`), whose `detail` is
// `{ code, message }` as `on("error")` gives it; so are the mounted notices' own errors.
const hosts = [...document.querySelectorAll("[data-kelisim]")];
const tell = (host, detail) => host.dispatchEvent(new CustomEvent("kelisim:error", { bubbles: true, detail }));
const report = (host, code, message) => {
  console.error("kelisim: " + code + ": " + message);
  tell(host, { code, message });
};
const loads = hosts.map(async (host) => {
  const url = host.getAttribute("data-kelisim").trim();
  try {
    if (!url) throw new Error("data-kelisim needs the URL of a config file");
    const response = await fetch(url);
    if (!response.ok) throw new Error("HTTP " + response.status);
    return { host, text: await response.text() };
  } catch (e) {
    return { host, error: "could not load " + url + ": " + e.message };
  }
});
const builds = {};
const start = (name) =>
  (builds[name] ??= Promise.all([
    import("./" + name + ".js"),
    fetch(new URL("./" + name + "_bg.wasm", import.meta.url)),
  ]).then(async ([kelisim, wasm]) => (await kelisim.default({ module_or_path: wasm }), kelisim)));
for (const name of ["kelisim-banner", "kelisim"]) {
  // Started early; a failure is reported below, if this build turns out to be the one needed.
  if (document.querySelector(`link[rel="modulepreload"][href$="/${name}.js"]`)) start(name).catch(() => {});
}
const loaded = await Promise.all(loads);
for (const { host, error } of loaded) if (error) report(host, "config", error);
const mounts = loaded.filter((l) => !l.error);
if (mounts.length) {
  // In JSON text an unescaped `"form"` or `"confirm"` followed by `:` can only be a member name;
  // the module itself reads the config and reports anything wrong with it.
  const name = mounts.some((l) => /"(form|confirm)"\s*:/.test(l.text)) ? "kelisim" : "kelisim-banner";
  try {
    const kelisim = await start(name);
    for (const { host, text } of mounts) {
      const consent = kelisim.Kelisim.mount(host, text, {
        lang: host.getAttribute("data-kelisim-lang") ?? undefined,
        subject: host.getAttribute("data-kelisim-subject") ?? undefined,
      });
      // The module has written these to the console already.
      consent.on("error", (e) => tell(host, e));
    }
  } catch (e) {
    for (const { host } of mounts) report(host, "load", name + ".js could not be loaded or compiled: " + e.message);
  }
}
