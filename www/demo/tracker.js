// A stand-in for an analytics or advertising tag (Yandex Metrica, a VK or Meta pixel), served
// locally: it sets the cookie and storage key such a tag sets and says on the page that it ran.
document.cookie = "_ym_uid=" + Date.now() + "; path=/; max-age=31536000";
localStorage.setItem("_ym_demo_uid", String(Date.now()));
window.demoTrackerRuns = (window.demoTrackerRuns ?? 0) + 1;
const log = document.getElementById("log");
if (log) {
  const li = document.createElement("li");
  li.textContent = "tracker ran (cookie _ym_uid set)";
  log.append(li);
}
