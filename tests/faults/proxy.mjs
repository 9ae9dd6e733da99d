// A fault-injecting HTTP proxy in front of the collector. Pages and the package pass through
// untouched; POSTs of records meet dropped connections, delays, 500s and 503s, and resets after
// the collector has answered (so the record is stored but the browser never hears it).
import http from "node:http";

/** A small seeded random generator (mulberry32), so a run can be repeated. */
export function seeded(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Starts the proxy on 127.0.0.1 (a free port). `target()` gives the collector's current base URL
 * (it changes when the collector restarts). Resolves to { url, counts, close() }.
 */
export async function startFaultProxy({ target, seed = 1, faultRate = 0.4 }) {
  const random = seeded(seed);
  const counts = { posts: 0, dropped: 0, delayed: 0, error500: 0, error503: 0, resetAfterStore: 0, forwarded: 0, upstreamDown: 0, duplicateAnswers: 0 };

  const forward = (req, body, res, { resetAfter = false } = {}) => {
    const upstream = new URL(req.url, target());
    const out = http.request(
      upstream,
      { method: req.method, headers: req.headers },
      (answer) => {
        const chunks = [];
        answer.on("data", (c) => chunks.push(c));
        // The collector died mid-answer: the browser sees a broken connection, as it would.
        answer.on("aborted", () => req.socket.destroy());
        answer.on("error", () => req.socket.destroy());
        answer.on("end", () => {
          if (answer.statusCode === 200 && req.method === "POST") counts.duplicateAnswers++;
          if (resetAfter) {
            counts.resetAfterStore++;
            req.socket.destroy();
            return;
          }
          res.writeHead(answer.statusCode, answer.headers);
          res.end(Buffer.concat(chunks));
        });
      },
    );
    out.on("error", () => {
      counts.upstreamDown++;
      if (!res.headersSent) {
        res.writeHead(502, { "content-type": "application/json" });
        res.end('{"error":{"code":"bad_gateway","message":"collector unreachable","field":null}}');
      }
    });
    out.end(body);
  };

  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      if (!(req.method === "POST" && req.url === "/v1/consents")) return forward(req, body, res);
      counts.posts++;
      const roll = random();
      const slice = faultRate / 5;
      if (roll < slice) {
        counts.dropped++;
        req.socket.destroy();
      } else if (roll < 2 * slice) {
        counts.error500++;
        res.writeHead(500, { "content-type": "application/json" });
        res.end('{"error":{"code":"injected","message":"injected fault","field":null}}');
      } else if (roll < 3 * slice) {
        counts.error503++;
        res.writeHead(503, { "content-type": "application/json", "retry-after": "1" });
        res.end('{"error":{"code":"injected","message":"injected fault","field":null}}');
      } else if (roll < 4 * slice) {
        counts.delayed++;
        setTimeout(() => forward(req, body, res), Math.floor(random() * 1500));
      } else if (roll < 5 * slice) {
        forward(req, body, res, { resetAfter: true });
      } else {
        counts.forwarded++;
        forward(req, body, res);
      }
    });
  });
  server.keepAliveTimeout = 1000;
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: "http://127.0.0.1:" + server.address().port,
    counts,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections?.();
        server.close(r);
      }),
  };
}
