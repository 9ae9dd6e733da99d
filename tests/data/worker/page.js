// Asks the module worker to check fields and puts its answers in #out, as JSON.
const worker = new Worker("/worker/worker.js", { type: "module" });
worker.onmessage = (e) => (document.getElementById("out").textContent = JSON.stringify(e.data));
worker.onerror = (e) => (document.getElementById("out").textContent = JSON.stringify({ error: e.message }));
