// Notes, in the order the scripts ran, which one this was and how long dataLayer was then.
(window.__order ??= []).push(document.currentScript.dataset.order + ":" + window.dataLayer.length + ":" + document.currentScript.crossOrigin);
