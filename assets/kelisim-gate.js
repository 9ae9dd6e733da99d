// kelisim's gating, appended to each build's glue: on every `kelisim:gate` (the notice announces
// what stands once it is built and after each decision) it runs the gated scripts the decision
// allows, in document order, and loads the gated embeds; an embed it may not load gets a
// placeholder in the notice's language that grants just the purpose it needs. Marks added later
// are handled too. Text is set as text, never parsed as HTML. Where there is no document (Node, a
// Web Worker: `validateField` alone) there is nothing to gate.
if (typeof document !== "undefined") {
  const MARKS = "script[type='text/plain'][data-kelisim-purpose],iframe[data-kelisim-purpose][data-kelisim-src]";
  let plan = null;
  let waiting = false;
  const named = (el) => el.getAttribute("data-kelisim-purpose").split(/\s+/).filter(Boolean);
  const allowed = (el) => named(el).length > 0 && named(el).every((id) => plan.purposes[id] === true);
  const run = (old) => {
    const script = document.createElement("script");
    for (const { name, value } of old.attributes) {
      if (name !== "type" && !name.startsWith("data-kelisim")) script.setAttribute(name, value);
    }
    const type = old.getAttribute("data-kelisim-type");
    if (type) script.type = type;
    // A CSP nonce is hidden from getAttribute once the page has loaded; the property keeps it.
    script.nonce = old.nonce;
    script.text = old.text;
    // An external script that must run in order: the next mark waits for it.
    const inOrder = old.hasAttribute("src") && !old.hasAttribute("async");
    if (inOrder) {
      script.async = false;
      waiting = true;
      // Listeners, not onload: the script's own onload attribute still runs.
      const next = () => {
        waiting = false;
        scan();
      };
      script.addEventListener("load", next);
      script.addEventListener("error", next);
    }
    old.replaceWith(script);
    return inOrder;
  };
  const hold = (frame) => {
    const id = named(frame).find((p) => plan.purposes[p] !== true);
    const shown = frame.previousElementSibling?.classList.contains("k-embed") ? frame.previousElementSibling : null;
    // Kept while it still asks for the same purpose in the same language; rebuilt otherwise.
    if (shown && shown.dataset.kFor === plan.for && shown.dataset.kNeed === id && shown.lang === plan.lang) return;
    shown?.remove();
    if (!id || !(id in plan.purposes)) return;
    const box = document.createElement("div");
    box.className = "k-embed";
    box.lang = plan.lang;
    box.dataset.kFor = plan.for;
    box.dataset.kNeed = id;
    const text = document.createElement("p");
    text.textContent = (frame.title ? frame.title + " — " : "") + plan.needs + " «" + plan.titles[id] + "».";
    const button = document.createElement("button");
    button.type = "button";
    button.dataset.kAct = "grant:" + id;
    button.textContent = plan.allow;
    box.append(text, button);
    frame.before(box);
    frame.hidden = true;
  };
  const scan = () => {
    if (!plan || waiting) return;
    for (const el of document.querySelectorAll(MARKS)) {
      if (el.tagName === "SCRIPT") {
        if (allowed(el) && run(el)) return;
      } else if (allowed(el)) {
        const address = el.getAttribute("data-kelisim-src");
        el.removeAttribute("data-kelisim-src");
        let src;
        try {
          src = new URL(address, location.href);
        } catch {
          continue;
        }
        // Only a web page may load: a javascript: or data: address would run in the frame.
        if (src.protocol !== "https:" && src.protocol !== "http:") continue;
        if (el.previousElementSibling?.classList.contains("k-embed")) el.previousElementSibling.remove();
        el.hidden = false;
        el.src = src.href;
      } else {
        hold(el);
      }
    }
  };
  // gtag('consent', …) through the page's own `gtag` (Google's stub: it pushes `arguments`).
  let unheard = false;
  const consent = (command, all) => {
    const state = {};
    for (const [signal, on] of Object.entries(plan.consent)) state[signal] = on && !all ? "granted" : "denied";
    if (!Object.keys(state).length) return;
    if (typeof window.gtag === "function") return window.gtag("consent", command, state);
    // The config names Consent Mode signals, yet nothing on the page would hear them: said once,
    // as the one-tag embed says its errors.
    if (unheard) return;
    unheard = true;
    const message = "consentMode: window.gtag is not defined; put Google's gtag stub before kelisim";
    console.error("kelisim: config: " + message);
    document.dispatchEvent(new CustomEvent("kelisim:error", { detail: { code: "config", message } }));
  };
  const matches = (list, name) => list.some((t) => (t.endsWith("*") ? name.startsWith(t.slice(0, -1)) : name === t));
  const clear = () => {
    const { cookies, keys } = plan.clear;
    for (const pair of cookies.length ? document.cookie.split(";") : []) {
      const name = pair.split("=")[0].trim();
      if (!matches(cookies, name)) continue;
      // As set for this host and for each parent domain (trackers use `.example.kz` as often).
      const parts = location.hostname.split(".");
      const domains = /^[\d.]+$|:/.test(location.hostname) ? [] : parts.slice(0, -1).map((_, i) => parts.slice(i).join("."));
      for (const domain of ["", ...domains]) document.cookie = name + "=; Max-Age=0; path=/" + (domain && "; domain=" + domain);
    }
    for (const key of keys.length ? Object.keys(localStorage) : []) if (matches(keys, key)) localStorage.removeItem(key);
  };
  // Each step on its own: a page's gtag that throws, or storage the browser blocks, must not stop
  // the scripts and embeds a decision allows.
  const attempt = (step) => {
    try {
      step();
    } catch (e) {
      console.error("kelisim: gating:", e);
    }
  };
  document.addEventListener("kelisim:gate", (e) => {
    plan = e.detail;
    if (plan.consentDefault) attempt(() => consent("default", true));
    if (plan.decided) attempt(() => consent("update", false));
    attempt(clear);
    attempt(scan);
  });
  new MutationObserver(scan).observe(document.documentElement, { childList: true, subtree: true });
}
