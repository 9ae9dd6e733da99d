// Mounts every <div data-kelisim="/consent/….json"> on the page: no page script needed.
import init from "./kelisim.js";
init();
