(window.__order ??= []).push("module:" + (import.meta.url.endsWith("/gate/module.js") ? "esm" : "?"));
