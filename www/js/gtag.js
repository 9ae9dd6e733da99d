// Google's gtag stub, as Google tells sites to put it before any tag: kelisim finds `gtag` and
// gives it Consent Mode's default and every update. (A classic script, so it runs first.)
window.dataLayer = window.dataLayer || [];
window.gtag = function gtag() {
  window.dataLayer.push(arguments);
};
