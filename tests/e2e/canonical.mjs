// An independent implementation of the documented canonical text (src/canonical.rs, README),
// used to check that a stored textSha256 can be recomputed from the config alone.
import { createHash } from "node:crypto";

const esc = (v) => String(v).replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/\r/g, "\\r");
const pick = (text, lang) => text[lang] ?? text.kk ?? text.ru;

export function canonicalText(cfg, lang) {
  const lines = ["kelisim-text/1"];
  const put = (k, v) => lines.push(k + "=" + esc(v));
  put("language", lang);
  put("operator.name", pick(cfg.operator.name, lang));
  put("operator.bin", cfg.operator.bin ?? "");
  put("policy.id", cfg.policy.id);
  put("policy.version", cfg.policy.version);
  put("policy.title", pick(cfg.policy.title, lang));
  put("policy.summary", pick(cfg.policy.summary, lang));
  put("policy.url", cfg.policy.url ? pick(cfg.policy.url, lang) : "");
  cfg.purposes.forEach((p, i) => {
    const k = "purposes[" + i + "].";
    put(k + "id", p.id);
    put(k + "required", p.required);
    put(k + "title", pick(p.title, lang));
    put(k + "description", pick(p.description, lang));
    put(k + "withdrawalEffect", pick(p.withdrawalEffect, lang));
    put(k + "data", [...new Set(p.data)].join(","));
  });
  cfg.dataCategories.forEach((c, i) => {
    put("dataCategories[" + i + "].id", c.id);
    put("dataCategories[" + i + "].title", pick(c.title, lang));
  });
  const t = cfg.transfers;
  put("transfers.thirdParties", t.thirdParties);
  const cb = t.crossBorder;
  put("transfers.crossBorder", Array.isArray(cb) ? (cb.length ? cb.join(",") : "false") : cb);
  put("transfers.publicSources", t.publicSources);
  put("transfers.storedInKazakhstan", t.storedInKazakhstan);
  put("term", pick(cfg.term, lang));
  (cfg.notices ?? []).forEach((n, i) => put("notices[" + i + "]", pick(n, lang)));
  return lines.join("\n") + "\n";
}

export const sha256Hex = (s) => createHash("sha256").update(s, "utf8").digest("hex");
