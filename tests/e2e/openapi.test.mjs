// collector/openapi.json is what the collector does: every documented operation is called on the real
// release binary, and every answer's status, content type, required headers and body must be the ones
// documented for that operation (ajv, JSON Schema 2020-12). Then the reverse: every operation, status and
// error code the spec documents was seen, so the spec cannot promise what the server does not do.
// The record schema is also held against the strict reader: records the collector stores validate,
// records it refuses with 400 do not.
import { it, before, after } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Ajv2020 from "ajv/dist/2020.js";
import { canonicalText, sha256Hex } from "./canonical.mjs";
import { root, startCollector } from "./support.mjs";

const TOKEN = "openapi-test-token-0123456789";
const ALLOWED = "https://any.example.kz"; // allowed for every policy
const BOUND = "https://shop.example.kz"; // allowed for karatel-subscribers only
const EVIL = "https://evil.example";

const spec = JSON.parse(readFileSync(join(root, "collector/openapi.json"), "utf8"));

// ---- the spec, made checkable ---------------------------------------------------------------------

/** Follows a local `$ref` (`#/components/...`) in the spec. */
function deref(node) {
  while (node && typeof node.$ref === "string") {
    assert.ok(node.$ref.startsWith("#/"), "only local refs: " + node.$ref);
    node = node.$ref.slice(2).split("/").reduce((at, key) => at?.[key.replace(/~1/g, "/").replace(/~0/g, "~")], spec);
    assert.ok(node, "unresolved ref");
  }
  return node;
}

const SCHEMA_ID = "urn:kelisim:collector-openapi";
/** Points `#/components/schemas/X` refs at the schema document ajv is given. */
const absolute = (value) =>
  JSON.parse(JSON.stringify(value).replaceAll('"#/components/schemas/', `"${SCHEMA_ID}#/$defs/`));

const ajv = new Ajv2020({ allErrors: true, strict: true, strictTypes: false, validateFormats: false });
ajv.addSchema({ $id: SCHEMA_ID, $defs: absolute(spec.components.schemas) });
const compiled = new Map();
function validator(schema) {
  const key = JSON.stringify(schema);
  if (!compiled.has(key)) compiled.set(key, ajv.compile(absolute(schema)));
  return compiled.get(key);
}
const schemaRef = (name) => ({ $ref: "#/components/schemas/" + name });
const validRecord = validator(schemaRef("ConsentRecord"));

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/**
 * Every operation the spec documents, keyed by a name: the real operations by operationId, plus
 * `OTHER <path>` for a path's `x-other-methods` and `UNKNOWN /v1 path` for `x-unknown-paths`.
 */
const operations = new Map();
for (const [path, item] of Object.entries(spec.paths)) {
  for (const method of METHODS.filter((m) => item[m])) {
    const op = item[method];
    assert.ok(op.operationId, `${method} ${path} has an operationId`);
    operations.set(op.operationId, { name: op.operationId, method, path, responses: op.responses });
  }
  if (item["x-other-methods"]) {
    const documented = METHODS.filter((m) => item[m]);
    operations.set("OTHER " + path, { name: "OTHER " + path, path, documented, responses: item["x-other-methods"] });
  }
}
operations.set("UNKNOWN /v1 path", { name: "UNKNOWN /v1 path", responses: spec["x-unknown-paths"].responses });

/** The error codes a documented response can carry (from its schema's error.code const/enum). */
function documentedCodes(response) {
  const schema = deref(response).content?.["application/json"]?.schema;
  const code = schema?.properties?.error?.properties?.code;
  if (!code) return [];
  return code.enum ?? [code.const];
}

/** What was seen: `name status` and `name status code`. */
const seen = new Set();

/** Checks one answer against the documented response of `opName`; returns the parsed body. */
function conform(opName, res) {
  const op = operations.get(opName);
  assert.ok(op, "no such operation in the spec: " + opName);
  const where = `${opName} answered ${res.status} ${res.text.slice(0, 300)}`;
  const documented = op.responses[String(res.status)];
  assert.ok(documented, `${where}: status not documented (documented: ${Object.keys(op.responses)})`);
  const response = deref(documented);
  for (const [name, h] of Object.entries(response.headers ?? {})) {
    const header = deref(h);
    const value = res.headers.get(name);
    if (value === null) {
      assert.ok(!header.required, `${where}: required header ${name} is missing`);
      continue;
    }
    if (header.schema) {
      const typed = deref(header.schema).type === "integer" && /^\d+$/.test(value) ? Number(value) : value;
      const check = validator(header.schema);
      assert.ok(check(typed), `${where}: header ${name}: ${value}: ${JSON.stringify(check.errors)}`);
    }
  }
  let body;
  const types = Object.keys(response.content ?? {});
  if (types.length === 0) {
    assert.equal(res.text, "", `${where}: no body is documented`);
  } else {
    const essence = (res.headers.get("content-type") ?? "").split(";")[0].trim().toLowerCase();
    assert.ok(types.includes(essence), `${where}: content type ${essence}, documented ${types}`);
    const media = response.content[essence];
    if (essence === "application/x-ndjson") {
      const item = validator(media["x-ndjson"].itemSchema);
      body = res.text.split("\n").filter((line, i, all) => line !== "" || i < all.length - 1);
      body = body.map((line) => {
        const value = JSON.parse(line);
        assert.ok(item(value), `${where}: line ${line.slice(0, 200)}: ${JSON.stringify(item.errors)}`);
        return value;
      });
      assert.ok(res.text === "" || res.text.endsWith("\n"), `${where}: NDJSON ends with a newline`);
    } else {
      body = JSON.parse(res.text);
      const check = validator(media.schema);
      assert.ok(check(body), `${where}: ${JSON.stringify(check.errors)}`);
    }
  }
  seen.add(`${opName} ${res.status}`);
  if (body?.error?.code) seen.add(`${opName} ${res.status} ${body.error.code}`);
  return body;
}

// ---- the collectors -------------------------------------------------------------------------------

const tokenDir = mkdtempSync(join(tmpdir(), "kelisim-openapi-"));
const tokenFile = join(tokenDir, "token");
writeFileSync(tokenFile, TOKEN + "\nignored second line\n");
// The main collector's SMS go to a file, one `<to>\t<text>` line each; they fail while `fail` exists.
const smsFile = join(tokenDir, "sms.txt");
const smsFails = join(tokenDir, "fail");
const SMS_COMMAND = `[ -e '${smsFails}' ] && exit 1; printf '%s\\t%s\\n' "$KELISIM_SMS_TO" "$KELISIM_SMS_TEXT" >> '${smsFile}'`;
const running = [];

/** A collector with these options; resolves to its base URL. */
async function collectorWith(args, { token = true, sms = true } = {}) {
  const collector = await startCollector({ args, token, sms });
  running.push(collector);
  return collector.url;
}

let main; // token, the five operator configs, two allowed origins, no rate limit
let noToken; // no --token-file, no --sms-command
let limited; // --rate-limit 2

before(async () => {
  [main, noToken, limited] = await Promise.all([
    collectorWith([
      "--policies", "www/consent", "--token-file", tokenFile, "--rate-limit", "0",
      "--allow-origin", ALLOWED, "--allow-origin", BOUND + "=karatel-subscribers",
      "--sms-command", SMS_COMMAND, "--confirmation-ttl", "3s", "--client-codes", "100/1h",
    ]),
    collectorWith(["--policies", "www/consent", "--rate-limit", "0"], { token: false, sms: false }),
    collectorWith(["--policies", "www/consent", "--token-file", tokenFile, "--rate-limit", "2"]),
  ]);
});

after(async () => {
  await Promise.all(running.map((collector) => collector.stop()));
  rmSync(tokenDir, { recursive: true, force: true });
});

/** One request; the body is read whole. */
async function send(base, method, path, { headers = {}, body } = {}) {
  const res = await fetch(base + path, { method, headers, body });
  const text = Buffer.from(await res.arrayBuffer()).toString("utf8");
  return { status: res.status, headers: res.headers, text };
}

const JSON_HEADERS = { "content-type": "application/json" };
const AUTH = { authorization: "Bearer " + TOKEN };
const post = (base, body, headers = {}) =>
  send(base, "POST", "/v1/consents", { headers: { ...JSON_HEADERS, ...headers }, body: typeof body === "string" || Buffer.isBuffer(body) ? body : JSON.stringify(body) });

// ---- records, made the way the banner makes them (src/record) --------------------------------------

const configs = Object.fromEntries(
  readdirSync(join(root, "www/consent"))
    .filter((f) => f.endsWith(".json"))
    .map((f) => [f.replace(/\.json$/, ""), JSON.parse(readFileSync(join(root, "www/consent", f), "utf8"))]),
);
const pick = (text, lang) => text[lang] ?? text.kk ?? text.ru;

/** A grant on `configName` in `lang`, granting the required purposes plus `extra`. */
function grant(configName, { lang, extra = [], subject = "anon-" + randomUUID() } = {}) {
  const cfg = configs[configName];
  lang ??= cfg.defaultLanguage ?? cfg.languages[0];
  const purposes = cfg.purposes.map((p) => ({ id: p.id, required: p.required, granted: p.required || extra.includes(p.id) }));
  const granted = cfg.purposes.filter((p, i) => purposes[i].granted);
  const record = {
    schema: 1,
    recordId: randomUUID(),
    kind: "grant",
    operator: { name: pick(cfg.operator.name, lang) },
    policy: { id: cfg.policy.id, version: cfg.policy.version, language: lang, textSha256: sha256Hex(canonicalText(cfg, lang)) },
    purposes,
    dataCategories: cfg.dataCategories.map((c) => c.id).filter((id) => granted.some((p) => p.data.includes(id))),
    transfers: structuredClone(cfg.transfers),
    term: pick(cfg.term, lang),
    subject: { ref: subject },
    collectedAt: new Date().toISOString(),
    channel: "web",
    page: "http://127.0.0.1:8787/" + configName + ".html",
    userAgent: "openapi-test",
  };
  if (cfg.operator.bin) record.operator.bin = cfg.operator.bin;
  if (cfg.policy.url) record.policy.url = pick(cfg.policy.url, lang);
  return record;
}

/** A withdrawal of `purposeIds` from the grant `from`. */
function withdrawal(from, purposeIds) {
  return {
    ...structuredClone(from),
    recordId: randomUUID(),
    kind: "withdrawal",
    purposes: from.purposes.filter((p) => purposeIds.includes(p.id)).map((p) => ({ ...p, granted: false })),
    dataCategories: [],
    collectedAt: new Date().toISOString(),
    previousRecordId: from.recordId,
  };
}

/** The canonical stored form of a record the test built (optional nulls dropped, language bare). */
function canonical(record) {
  const out = structuredClone(record);
  for (const [obj, key] of [[out.operator, "bin"], [out.policy, "url"], [out, "page"], [out, "userAgent"], [out, "previousRecordId"]]) {
    if (obj[key] === null) delete obj[key];
  }
  out.policy.language = out.policy.language.trim().split(/[-_]/)[0].toLowerCase();
  if (Array.isArray(out.transfers.crossBorder) && out.transfers.crossBorder.length === 0) out.transfers.crossBorder = false;
  return out;
}

// state the later tests read
const stored = {}; // name -> { record, receipt }
const subjectRef = "openapi-subject-" + randomUUID();
const forgedSubject = "openapi-forged-" + randomUUID();

// ---- POST /v1/consents -------------------------------------------------------------------------------

it("the spec's own record example is a valid record", () => {
  for (const example of spec.components.schemas.ConsentRecord.examples) {
    assert.ok(validRecord(example), JSON.stringify(validRecord.errors));
  }
});

it("POST /v1/consents: 201 with textCheck match for each operator config, Location, then 200 duplicate", async () => {
  for (const name of Object.keys(configs)) {
    const record = grant(name, { subject: subjectRef });
    assert.ok(validRecord(record), name + ": " + JSON.stringify(validRecord.errors));
    const res = await post(main, record);
    const receipt = conform("postConsent", res);
    assert.equal(res.status, 201, res.text);
    stored[name] = { record, receipt };
    assert.equal(receipt.recordId, record.recordId);
    assert.equal(res.headers.get("location"), "/v1/consents/" + record.recordId);
  }
  const first = stored.karatel;
  const again = await post(main, first.record);
  const receipt = conform("postConsent", again);
  assert.equal(again.status, 200);
  assert.deepEqual(receipt, { ...first.receipt, status: "duplicate" });
  const checks = Object.fromEntries(Object.keys(configs).map((name) => [name, stored[name].receipt.textCheck]));
  assert.deepEqual(checks, Object.fromEntries(Object.keys(configs).map((name) => [name, "match"])), "every config in www/consent is registered");
});

it("POST /v1/consents: textCheck mismatch and unregistered are stored too", async () => {
  const mismatch = grant("karatel", { subject: subjectRef, lang: "en" });
  mismatch.policy.textSha256 = "ab".repeat(32);
  const unregistered = grant("karatel", { subject: "anon-" + randomUUID() });
  unregistered.policy.id = "openapi-unregistered-policy";
  const otherVersion = grant("simply");
  otherVersion.policy.version = "1999-01-01";
  for (const [name, record, check] of [
    ["mismatch", mismatch, "mismatch"],
    ["unregistered", unregistered, "unregistered"],
    ["otherVersion", otherVersion, "unregistered"],
  ]) {
    assert.ok(validRecord(record), JSON.stringify(validRecord.errors));
    const res = await post(main, record);
    const receipt = conform("postConsent", res);
    assert.equal(res.status, 201, res.text);
    stored[name] = { record, receipt };
  }
  assert.deepEqual(
    ["mismatch", "unregistered", "otherVersion"].map((name) => stored[name].receipt.textCheck),
    ["mismatch", "unregistered", "unregistered"],
  );
});

it("POST /v1/consents: what the schema allows beyond the banner's own output is stored, canonically", async () => {
  const record = grant("karatel", { subject: subjectRef, lang: "ru", extra: ["marketing"] });
  record.policy.language = "RU-kz";
  record.page = null;
  record.userAgent = null;
  record.previousRecordId = null;
  record.transfers = { ...record.transfers, crossBorder: [] };
  assert.ok(validRecord(record), JSON.stringify(validRecord.errors));
  const res = await post(main, record);
  const receipt = conform("postConsent", res);
  assert.equal(res.status, 201, res.text);
  stored.lenient = { record: canonical(record), receipt };
  const withdrawn = withdrawal(stored.karatel.record, ["basicServices"]);
  assert.ok(validRecord(withdrawn), JSON.stringify(validRecord.errors));
  const w = await post(main, withdrawn);
  stored.withdrawal = { record: withdrawn, receipt: conform("postConsent", w) };
  assert.equal(w.status, 201, w.text);
  assert.equal(receipt.textCheck, "match", "the language tag RU-kz is read as ru");
});

/** Edits of a valid record the strict reader refuses, with the code and field it names. */
const REFUSED = [
  ["unknown_field", "colour", (r) => (r.colour = "red")],
  ["unknown_field", "policy.colour", (r) => (r.policy.colour = "red")],
  ["unknown_field", "operator.address", (r) => (r.operator.address = "Astana")],
  ["unknown_field", "purposes[0].title", (r) => (r.purposes[0].title = "x")],
  ["unknown_field", "transfers.viaEmail", (r) => (r.transfers.viaEmail = false)],
  ["unknown_field", "subject.phone", (r) => (r.subject.phone = "+77012345678")],
  ["unsupported_schema", "schema", (r) => (r.schema = 2)],
  ["unsupported_schema", "schema", (r) => (r.schema = "1")],
  ["missing_field", "schema", (r) => delete r.schema],
  ["missing_field", "recordId", (r) => delete r.recordId],
  ["missing_field", "term", (r) => (r.term = null)],
  ["missing_field", "policy.textSha256", (r) => delete r.policy.textSha256],
  ["missing_field", "subject.ref", (r) => delete r.subject.ref],
  ["missing_field", "previousRecordId", (r) => {
    r.kind = "withdrawal";
    r.purposes = [{ ...r.purposes[0], granted: false }];
  }],
  ["invalid_field", "recordId", (r) => (r.recordId = r.recordId.toUpperCase())],
  ["invalid_field", "kind", (r) => (r.kind = "refusal")],
  ["invalid_field", "operator.bin", (r) => (r.operator.bin = "98054000039")],
  ["invalid_field", "operator.name", (r) => (r.operator.name = "")],
  ["invalid_field", "policy.language", (r) => (r.policy.language = "de")],
  ["invalid_field", "policy.textSha256", (r) => (r.policy.textSha256 = "AB".repeat(32))],
  ["invalid_field", "policy.url", (r) => (r.policy.url = "javascript:alert(1)")],
  ["invalid_field", "purposes", (r) => (r.purposes = [])],
  ["invalid_field", "purposes[0].required", (r) => (r.purposes[0].required = "yes")],
  ["invalid_field", "dataCategories[0]", (r) => (r.dataCategories = [7])],
  ["invalid_field", "transfers.crossBorder", (r) => (r.transfers.crossBorder = "RU")],
  ["invalid_field", "transfers.crossBorder[0]", (r) => (r.transfers.crossBorder = ["ru"])],
  ["invalid_field", "term", (r) => (r.term = "x".repeat(2049))],
  ["invalid_field", "collectedAt", (r) => (r.collectedAt = "2026-11-22 22:05:28Z")],
  ["invalid_field", "channel", (r) => (r.channel = "app")],
  ["invalid_field", "previousRecordId", (r) => (r.previousRecordId = "not-a-uuid")],
  ["invalid_field", "purposes", (r) => {
    r.kind = "withdrawal"; // a withdrawal lists only withdrawn purposes
    r.previousRecordId = randomUUID();
  }],
  ["invalid_field", "subject", (r) => (r.subject = "anon-1")],
  ["invalid_field", "", () => {}, () => []], // the body is not an object
];

it("POST /v1/consents: 400 for each way a record is wrong, and the schema refuses the same records", async () => {
  for (const [code, field, edit, whole] of REFUSED) {
    const record = grant("karatel");
    const body = whole ? whole() : (edit(record), record);
    const res = await post(main, body);
    const error = conform("postConsent", res)?.error;
    assert.equal(res.status, 400, `${edit}: ${res.text}`);
    assert.equal(error.code, code, edit.toString());
    assert.equal(error.field, field === "" ? null : field, edit.toString());
    assert.equal(validRecord(body), false, `the schema accepts what the collector refuses: ${edit}`);
  }
  for (const body of ["{", '{"schema":1,"schema":1}', Buffer.from('{"a":"\xe9"}', "latin1"), ""]) {
    const res = await post(main, body);
    const error = conform("postConsent", res).error;
    assert.equal(res.status, 400, res.text);
    assert.deepEqual([error.code, error.field], ["invalid_json", null], String(body));
  }
});

it("POST /v1/consents: 409 for another record under a stored recordId", async () => {
  const other = { ...structuredClone(stored.karatel.record), subject: { ref: "someone-else" } };
  const res = await post(main, other);
  const error = conform("postConsent", res).error;
  assert.equal(res.status, 409);
  assert.equal(error.field, "recordId");
});

it("POST /v1/consents: 413 over 64 KiB, 415 for another content type", async () => {
  const big = grant("karatel");
  big.userAgent = "x".repeat(70 * 1024);
  const tooLarge = await post(main, big);
  conform("postConsent", tooLarge);
  assert.equal(tooLarge.status, 413);
  const plain = await post(main, grant("karatel"), { "content-type": "text/plain" });
  conform("postConsent", plain);
  assert.equal(plain.status, 415);
});

it("POST /v1/consents: 403 for a disallowed origin and for an origin bound to other policies", async () => {
  const evil = await post(main, grant("karatel"), { origin: EVIL });
  assert.equal(conform("postConsent", evil).error.code, "origin_not_allowed");
  assert.equal(evil.status, 403);
  const elsewhere = await post(main, grant("simply"), { origin: BOUND });
  assert.equal(conform("postConsent", elsewhere).error?.code, "origin_not_allowed", elsewhere.text);
  assert.equal(elsewhere.status, 403);
  const bound = await post(main, grant("karatel"), { origin: BOUND });
  conform("postConsent", bound);
  assert.equal(bound.status, 201, bound.text);
  assert.equal(bound.headers.get("access-control-allow-origin"), BOUND);
  const allowed = await post(main, grant("simply"), { origin: ALLOWED });
  conform("postConsent", allowed);
  assert.equal(allowed.status, 201, allowed.text);
});

// ---- GET /v1/consents/{recordId} -----------------------------------------------------------------------

it("GET /v1/consents/{recordId}: with the token the entry as stored, without it only stored/seq/receivedAt; 404, 401, 403", async () => {
  for (const name of ["karatel", "mismatch", "unregistered", "lenient", "withdrawal"]) {
    const { record, receipt } = stored[name];
    const res = await send(main, "GET", "/v1/consents/" + record.recordId, { headers: AUTH });
    const entry = conform("getConsent", res);
    assert.equal(res.status, 200);
    assert.deepEqual(entry.record, canonical(record), name);
    assert.deepEqual(
      [entry.seq, entry.receivedAt, entry.textCheck, entry.decisionCheck, entry.decisionFindings],
      [receipt.seq, receipt.receivedAt, receipt.textCheck, receipt.decisionCheck, receipt.decisionFindings],
      name,
    );
    const open = await send(main, "GET", "/v1/consents/" + record.recordId);
    const status = conform("getConsent", open);
    assert.deepEqual(status, { recordId: record.recordId, stored: true, seq: receipt.seq, receivedAt: receipt.receivedAt }, name);
    assert.ok(!open.text.includes(record.subject.ref), "no subject ref without the token");
  }
  for (const id of [randomUUID(), "not-a-uuid", "5f0c2a9e-3b1d-1c6e-8f7a-0d9b8c7e6f5a"]) {
    const res = await send(main, "GET", "/v1/consents/" + id);
    conform("getConsent", res);
    assert.equal(res.status, 404);
  }
  const wrong = await send(main, "GET", "/v1/consents/" + stored.karatel.record.recordId, { headers: { authorization: "Bearer wrong-token-0123456789" } });
  conform("getConsent", wrong);
  assert.equal(wrong.status, 401);
  const off = await send(noToken, "GET", "/v1/consents/" + randomUUID(), { headers: AUTH });
  assert.equal(conform("getConsent", off).error?.code, "token_not_configured", off.text);
  const evil = await send(main, "GET", "/v1/consents/" + stored.karatel.record.recordId, { headers: { origin: EVIL } });
  assert.equal(conform("getConsent", evil).error?.code, "origin_not_allowed");
  assert.equal(evil.status, 403);
});

it("POST /v1/consents: a forged decision under the registered text hash is stored inconsistent, naming what differs", async () => {
  const forged = grant("karatel", { subject: forgedSubject });
  forged.purposes.push({ id: "sellToAnyone", required: false, granted: true });
  forged.operator.name = "«Басқа» ЖШС";
  const res = await post(main, forged);
  const receipt = conform("postConsent", res);
  assert.equal(res.status, 201, res.text);
  assert.deepEqual([receipt.textCheck, receipt.decisionCheck], ["match", "inconsistent"]);
  assert.deepEqual(receipt.decisionFindings, [
    { field: "operator.name", code: "differs" },
    { field: "purposes[5].id", code: "not_in_notice" },
  ]);
  stored.forged = { record: forged, receipt };
});

// ---- GET /v1/subjects/{ref}/consents -------------------------------------------------------------------

const subjectPath = (ref) => "/v1/subjects/" + encodeURIComponent(ref) + "/consents";

it("GET /v1/subjects/{ref}/consents: 200 with the standing decisions and the history", async () => {
  const res = await send(main, "GET", subjectPath(subjectRef), { headers: AUTH });
  const view = conform("getSubjectConsents", res);
  assert.equal(res.status, 200, res.text);
  assert.equal(view.subject, subjectRef);
  const seqs = view.history.map((e) => e.seq);
  assert.deepEqual(seqs, [...seqs].sort((a, b) => a - b), "history in seq order");
  assert.ok(view.history.every((e) => e.record.subject.ref === subjectRef));
  const ids = new Set(view.history.map((e) => e.record.recordId));
  for (const name of [...Object.keys(configs), "mismatch", "lenient", "withdrawal"]) {
    assert.ok(ids.has(stored[name].record.recordId), name + " is in the history");
  }
  const forged = conform("getSubjectConsents", await send(main, "GET", subjectPath(forgedSubject), { headers: AUTH }));
  const sell = forged.purposes.find((p) => p.purposeId === "sellToAnyone");
  assert.deepEqual([sell.granted, sell.textCheck, sell.decisionCheck], [true, "match", "inconsistent"]);
  const basic = view.purposes.find((p) => p.policyId === "karatel-subscribers" && p.purposeId === "basicServices");
  assert.deepEqual([basic.granted, basic.recordId], [false, stored.withdrawal.record.recordId], "withdrawn last");
  const marketing = view.purposes.find((p) => p.policyId === "karatel-subscribers" && p.purposeId === "marketing");
  assert.deepEqual([marketing.granted, marketing.recordId], [true, stored.lenient.record.recordId]);
  const nobody = await send(main, "GET", subjectPath("nobody-" + randomUUID()), { headers: AUTH });
  assert.deepEqual(conform("getSubjectConsents", nobody).history, []);
  // A ref no record can carry (not UTF-8, or with U+0000, which the record reader refuses).
  for (const raw of ["%FF", "a%00b"]) {
    const res = await send(main, "GET", "/v1/subjects/" + raw + "/consents", { headers: AUTH });
    assert.equal(conform("getSubjectConsents", res).error?.code, "not_found", raw + ": " + res.text);
  }
});

it("GET /v1/subjects/{ref}/consents: 401 without or with a wrong token, 403 without a configured token or from a disallowed origin", async () => {
  for (const headers of [{}, { authorization: "Bearer wrong-token-0123456789" }, { authorization: "Basic " + TOKEN }]) {
    const res = await send(main, "GET", subjectPath(subjectRef), { headers });
    conform("getSubjectConsents", res);
    assert.equal(res.status, 401, JSON.stringify(headers));
  }
  for (const headers of [{}, AUTH]) {
    const res = await send(noToken, "GET", subjectPath(subjectRef), { headers });
    assert.equal(conform("getSubjectConsents", res).error?.code, "token_not_configured", res.text);
  }
  const evil = await send(main, "GET", subjectPath(subjectRef), { headers: { ...AUTH, origin: EVIL } });
  assert.equal(conform("getSubjectConsents", evil).error?.code, "origin_not_allowed");
});

// ---- GET /v1/export -----------------------------------------------------------------------------------

it("GET /v1/export: 200 NDJSON of every entry in seq order, bounded by from and to", async () => {
  const all = await send(main, "GET", "/v1/export", { headers: AUTH });
  const entries = conform("exportEntries", all);
  assert.equal(all.status, 200, all.text);
  assert.deepEqual(entries.map((e) => e.seq), entries.map((_, i) => i + 1), "every entry, seq order");
  for (const { record, receipt } of Object.values(stored)) {
    const entry = entries.find((e) => e.seq === receipt.seq);
    assert.deepEqual([entry.record.recordId, entry.textCheck], [record.recordId, receipt.textCheck]);
  }
  const middle = entries[Math.floor(entries.length / 2)];
  const last = entries.at(-1);
  for (const [query, keep] of [
    ["?from=" + middle.receivedAt, (e) => e.receivedAt >= middle.receivedAt],
    ["?to=" + middle.receivedAt, (e) => e.receivedAt < middle.receivedAt],
    [`?from=${entries[0].receivedAt}&to=${last.receivedAt}`, (e) => e.receivedAt < last.receivedAt],
    ["?from=2999-01-01T00:00:00Z", () => false],
  ]) {
    const res = await send(main, "GET", "/v1/export" + query, { headers: AUTH });
    const part = conform("exportEntries", res);
    assert.deepEqual(part.map((e) => e.seq), entries.filter(keep).map((e) => e.seq), query);
  }
});

it("GET /v1/export: 400 invalid_query naming the parameter, 401, 403", async () => {
  for (const [query, field] of [["?from=yesterday", "from"], ["?to=2026-11-22T22:05:28+05:00", "to"], ["?from=2026-02-30T00:00:00Z", "from"], ["?limit=5", "limit"]]) {
    const res = await send(main, "GET", "/v1/export" + query, { headers: AUTH });
    const error = conform("exportEntries", res).error;
    assert.equal(res.status, 400, res.text);
    assert.equal(error?.field, field, query);
  }
  const anonymous = await send(main, "GET", "/v1/export");
  conform("exportEntries", anonymous);
  assert.equal(anonymous.status, 401);
  const off = await send(noToken, "GET", "/v1/export", { headers: AUTH });
  assert.equal(conform("exportEntries", off).error?.code, "token_not_configured", off.text);
  const evil = await send(main, "GET", "/v1/export", { headers: { ...AUTH, origin: EVIL } });
  assert.equal(conform("exportEntries", evil).error?.code, "origin_not_allowed");
});

// ---- SMS confirmations and receipts ------------------------------------------------------------------

const asJson = (body) => (typeof body === "string" || Buffer.isBuffer(body) ? body : JSON.stringify(body));
const askCode = (base, body, headers = {}) =>
  send(base, "POST", "/v1/confirmations", { headers: { ...JSON_HEADERS, ...headers }, body: asJson(body) });
const typeCode = (base, id, code, headers = {}) =>
  send(base, "POST", "/v1/confirmations/" + id, { headers: { ...JSON_HEADERS, ...headers }, body: asJson(typeof code === "string" ? { code } : code) });
const askReceipt = (base, id, recordId, headers = {}) =>
  send(base, "POST", `/v1/confirmations/${id}/receipt`, { headers: { ...JSON_HEADERS, ...headers }, body: asJson(typeof recordId === "string" ? { recordId } : recordId) });
/** The code in the last SMS sent to `phone` (a code message starts with it). */
const lastCode = (phone) =>
  readFileSync(smsFile, "utf8").trim().split("\n").map((l) => l.split("\t")).filter(([to]) => to === phone).at(-1)[1].slice(0, 6);
const otherThan = (code) => String((Number(code) + 1) % 1000000).padStart(6, "0");
const KARATEL = "karatel-subscribers";
/** Asks for a code (201 expected) and returns the confirmation id. */
async function confirmation(phone, policyId = KARATEL, headers = {}) {
  const res = await askCode(main, { phone, policyId, language: "ru" }, headers);
  const created = conform("createConfirmation", res);
  assert.equal(res.status, 201, res.text);
  return created.confirmationId;
}
const confirmations = {};

it("POST /v1/confirmations: 201 and the code by SMS; 400, 403, 413, 415, 422, 429, 502, 503", async () => {
  confirmations.late = await confirmation("+77011000001");
  const lateAsked = Date.now();
  confirmations.verified = await confirmation("8 (701) 100-00-02");
  assert.match(lastCode("+77011000002"), /^[0-9]{6}$/);
  for (const [body, code, field] of [
    ["{", "invalid_json", null],
    [{ phone: "+77011000003", language: "ru" }, "missing_field", "policyId"],
    [{ phone: "+996555123456", policyId: KARATEL, language: "ru" }, "invalid_field", "phone"],
    [{ phone: "+77011000003", policyId: KARATEL, language: "de" }, "invalid_field", "language"],
    [{ phone: "+77011000003", policyId: KARATEL, language: "ru", colour: 1 }, "unknown_field", "colour"],
  ]) {
    const error = conform("createConfirmation", await askCode(main, body)).error;
    assert.deepEqual([error.code, error.field], [code, field], JSON.stringify(body));
  }
  const simply = configs.simply.policy.id;
  const foreign = await askCode(main, { phone: "+77011000003", policyId: simply, language: "kk" }, { origin: BOUND });
  assert.equal(conform("createConfirmation", foreign).error.code, "origin_not_allowed");
  confirmations.simply = await confirmation("+77011000003", simply, { origin: ALLOWED });
  assert.equal(conform("createConfirmation", await askCode(main, "x".repeat(70 * 1024))).error.code, "payload_too_large");
  const plain = await askCode(main, { phone: "+77011000003" }, { "content-type": "text/plain" });
  assert.equal(conform("createConfirmation", plain).error.code, "unsupported_media_type");
  const unknown = await askCode(main, { phone: "+77011000003", policyId: "no-such-policy", language: "kk" });
  assert.deepEqual(conform("createConfirmation", unknown).error.code, "unknown_policy");
  let limited = null;
  for (let i = 0; i < 4 && !limited; i++) {
    const res = await askCode(main, { phone: "+77011000004", policyId: KARATEL, language: "en" });
    conform("createConfirmation", res);
    if (res.status === 429) limited = res;
  }
  assert.ok(limited, "the fourth code in 15 minutes is refused");
  assert.deepEqual([JSON.parse(limited.text).error.code, JSON.parse(limited.text).error.field], ["too_many_codes", "phone"]);
  writeFileSync(smsFails, "");
  const failed = await askCode(main, { phone: "+77011000005", policyId: KARATEL, language: "kk" });
  rmSync(smsFails);
  assert.equal(conform("createConfirmation", failed).error.code, "sms_failed");
  const off = await askCode(noToken, { phone: "+77011000005", policyId: KARATEL, language: "kk" });
  assert.equal(conform("createConfirmation", off).error.code, "sms_unavailable");
  confirmations.lateAsked = lateAsked;
});

it("POST /v1/confirmations/{confirmationId}: 200 for the code, 422 with attemptsLeft, 429 after five, 410 when late; 400, 403, 404, 413, 415", async () => {
  const id = confirmations.verified;
  const right = lastCode("+77011000002");
  for (const _ of [1, 2]) {
    const res = await typeCode(main, id, right);
    assert.deepEqual(conform("verifyConfirmation", res), { confirmationId: id, verified: true });
  }
  for (const [body, code, field] of [
    [Buffer.from("{"), "invalid_json", null],
    [{}, "missing_field", "code"],
    [{ code: "12ab56" }, "invalid_field", "code"],
    [{ code: right, colour: 1 }, "unknown_field", "colour"],
  ]) {
    const error = conform("verifyConfirmation", await typeCode(main, id, body)).error;
    assert.deepEqual([error.code, error.field], [code, field], JSON.stringify(body));
  }
  const foreign = await typeCode(main, confirmations.simply, "123456", { origin: BOUND });
  assert.equal(conform("verifyConfirmation", foreign).error.code, "origin_not_allowed");
  for (const path of ["/v1/confirmations/" + randomUUID(), "/v1/confirmations/not-an-id"]) {
    const res = await send(main, "POST", path, { headers: JSON_HEADERS, body: '{"code":"123456"}' });
    assert.equal(conform("verifyConfirmation", res).error.code, "unknown_confirmation");
  }
  const empty = await send(main, "POST", "/v1/confirmations//x", { headers: JSON_HEADERS, body: '{"code":"123456"}' });
  assert.equal(conform("verifyConfirmation", empty).error.code, "not_found");
  assert.equal(conform("verifyConfirmation", await typeCode(main, id, "x".repeat(70 * 1024))).error.code, "payload_too_large");
  const plain = await typeCode(main, id, right, { "content-type": "text/plain" });
  assert.equal(conform("verifyConfirmation", plain).error.code, "unsupported_media_type");
  const wrong = otherThan(lastCode("+77011000003"));
  for (const left of [4, 3, 2, 1, 0]) {
    const res = await typeCode(main, confirmations.simply, wrong);
    assert.equal(conform("verifyConfirmation", res).error.attemptsLeft, left);
  }
  const dead = await typeCode(main, confirmations.simply, lastCode("+77011000003"));
  assert.equal(conform("verifyConfirmation", dead).error.code, "too_many_attempts");
  await new Promise((r) => setTimeout(r, Math.max(0, confirmations.lateAsked + 3300 - Date.now())));
  const late = await typeCode(main, confirmations.late, lastCode("+77011000001"));
  assert.equal(conform("verifyConfirmation", late).error.code, "expired");
});

it("POST /v1/consents with a confirmation: verified once for its phone; the receipt code finds it and the receipt SMS goes out", async () => {
  const record = grant("karatel", { subject: "+77011000002" });
  record.confirmation = { id: confirmations.verified, method: "sms" };
  assert.ok(validRecord(record), JSON.stringify(validRecord.errors));
  const res = await post(main, record);
  const receipt = conform("postConsent", res);
  assert.equal(res.status, 201, res.text);
  assert.deepEqual([receipt.confirmationCheck, receipt.confirmationReason], ["verified", null]);
  const again = { ...structuredClone(record), recordId: randomUUID() };
  const reused = conform("postConsent", await post(main, again));
  assert.deepEqual([reused.confirmationCheck, reused.confirmationReason], ["unverified", "already_used"]);
  assert.equal(stored.karatel.receipt.confirmationCheck, "none");

  const typed = (receipt.receiptCode.slice(0, 4) + "-" + receipt.receiptCode.slice(4)).toLowerCase();
  const found = await send(main, "GET", "/v1/receipts/" + typed, { headers: AUTH });
  const entries = conform("getReceipt", found);
  assert.equal(found.status, 200, found.text);
  assert.deepEqual([entries.code, entries.entries.map((e) => e.record.recordId)], [receipt.receiptCode, [record.recordId]]);
  for (const code of ["22222222", "not-a-code"]) {
    assert.equal(conform("getReceipt", await send(main, "GET", "/v1/receipts/" + code, { headers: AUTH })).error.code, "not_found");
  }
  assert.equal((await send(main, "GET", "/v1/receipts/" + typed)).status, 401);
  conform("getReceipt", await send(main, "GET", "/v1/receipts/" + typed));
  const off = await send(noToken, "GET", "/v1/receipts/" + typed, { headers: AUTH });
  assert.equal(conform("getReceipt", off).error.code, "token_not_configured");
  const evil = await send(main, "GET", "/v1/receipts/" + typed, { headers: { ...AUTH, origin: EVIL } });
  assert.equal(conform("getReceipt", evil).error.code, "origin_not_allowed");

  const id = confirmations.verified;
  for (const [body, code, field] of [
    [Buffer.from("{"), "invalid_json", null],
    [{}, "missing_field", "recordId"],
    [{ recordId: "x" }, "invalid_field", "recordId"],
    [{ recordId: record.recordId, colour: 1 }, "unknown_field", "colour"],
  ]) {
    const error = conform("sendReceipt", await askReceipt(main, id, body)).error;
    assert.deepEqual([error.code, error.field], [code, field], JSON.stringify(body));
  }
  const foreign = await askReceipt(main, confirmations.simply, record.recordId, { origin: BOUND });
  assert.equal(conform("sendReceipt", foreign).error.code, "origin_not_allowed");
  assert.equal(conform("sendReceipt", await askReceipt(main, randomUUID(), record.recordId)).error.code, "unknown_confirmation");
  assert.equal(conform("sendReceipt", await askReceipt(main, id, randomUUID())).error.code, "not_found");
  assert.equal(conform("sendReceipt", await askReceipt(main, id, again.recordId)).error.code, "not_verified");
  assert.equal(conform("sendReceipt", await askReceipt(main, id, "x".repeat(70 * 1024))).error.code, "payload_too_large");
  const plain = await askReceipt(main, id, record.recordId, { "content-type": "text/plain" });
  assert.equal(conform("sendReceipt", plain).error.code, "unsupported_media_type");
  const sent = await askReceipt(main, id, record.recordId);
  assert.deepEqual(conform("sendReceipt", sent), { sent: true });
  assert.ok(readFileSync(smsFile, "utf8").includes(receipt.receiptCode.slice(0, 4) + "-" + receipt.receiptCode.slice(4)));
  writeFileSync(smsFails, "");
  const failed = await askReceipt(main, id, record.recordId);
  rmSync(smsFails);
  assert.equal(conform("sendReceipt", failed).error.code, "sms_failed");
  assert.equal(conform("sendReceipt", await askReceipt(main, id, record.recordId)).error.code, "too_many_receipts");
});

// ---- what the console reads ------------------------------------------------------------------------

it("GET /v1/policies and /v1/policies/{policyId}/{version}/{language}: the editions, each text and its hash; 401, 403, 404", async () => {
  const list = conform("getPolicies", await send(main, "GET", "/v1/policies", { headers: AUTH }));
  assert.equal(list.policies.length, Object.keys(configs).length, "one edition per operator config");
  const karatel = list.policies.find((p) => p.policyId === configs.karatel.policy.id);
  assert.deepEqual(karatel.purposes, configs.karatel.purposes.map((p) => p.id));
  for (const { language, textSha256 } of karatel.languages) {
    const path = `/v1/policies/${karatel.policyId}/${encodeURIComponent(karatel.version)}/${language}`;
    const text = conform("getPolicyText", await send(main, "GET", path, { headers: AUTH }));
    assert.equal(text.textSha256, textSha256);
    assert.equal(sha256Hex(text.text), textSha256, "the text is what the hash is taken over");
    assert.equal(text.text, canonicalText(configs.karatel, language));
  }
  for (const path of ["/v1/policies/karatel-subscribers/none/kk", `/v1/policies/${karatel.policyId}/${encodeURIComponent(karatel.version)}/de`]) {
    assert.equal(conform("getPolicyText", await send(main, "GET", path, { headers: AUTH })).error.code, "not_found");
  }
  for (const [name, path] of [["getPolicies", "/v1/policies"], ["getPolicyText", "/v1/policies/a/b/kk"]]) {
    assert.equal((await send(main, "GET", path)).status, 401);
    conform(name, await send(main, "GET", path));
    assert.equal(conform(name, await send(noToken, "GET", path, { headers: AUTH })).error.code, "token_not_configured");
    assert.equal(conform(name, await send(main, "GET", path, { headers: { ...AUTH, origin: EVIL } })).error.code, "origin_not_allowed");
  }
});

it("GET /v1/verify: the chain walked, its head, an anchor held or not; 400 invalid_query, 401, 403", async () => {
  const proof = conform("verifyLedger", await send(main, "GET", "/v1/verify", { headers: AUTH }));
  assert.equal(proof.intact, true);
  assert.match(proof.head, /^\d+:[0-9a-f]{64}$/);
  const held = conform("verifyLedger", await send(main, "GET", "/v1/verify?anchor=" + proof.head, { headers: AUTH }));
  assert.deepEqual([held.intact, held.anchor.holds], [true, true]);
  const [seq] = proof.head.split(":");
  const other = conform("verifyLedger", await send(main, "GET", `/v1/verify?anchor=${seq}:${"0".repeat(64)}`, { headers: AUTH }));
  assert.deepEqual([other.intact, other.anchor.holds], [false, false]);
  assert.match(other.anchor.why, /hash differs/);
  for (const [query, field] of [["anchor=12", "anchor"], ["anchor=0:" + "a".repeat(64), "anchor"], ["colour=red", "colour"]]) {
    const error = conform("verifyLedger", await send(main, "GET", "/v1/verify?" + query, { headers: AUTH })).error;
    assert.deepEqual([error.code, error.field], ["invalid_query", field], query);
  }
  conform("verifyLedger", await send(main, "GET", "/v1/verify"));
  assert.equal(conform("verifyLedger", await send(noToken, "GET", "/v1/verify", { headers: AUTH })).error.code, "token_not_configured");
  assert.equal(conform("verifyLedger", await send(main, "GET", "/v1/verify", { headers: { ...AUTH, origin: EVIL } })).error.code, "origin_not_allowed");
});

it("GET /v1/stats: the daily tallies of what was stored, filtered; 400 invalid_query, 401, 403", async () => {
  const { tallies } = conform("getStats", await send(main, "GET", "/v1/stats", { headers: AUTH }));
  const exported = (await send(main, "GET", "/v1/export", { headers: AUTH })).text.split("\n").filter(Boolean).map((l) => JSON.parse(l));
  const records = tallies.filter((t) => t.purposeId === "").reduce((n, t) => n + t.count, 0);
  assert.equal(records, exported.length, "one record row per stored record");
  const decisions = tallies.filter((t) => t.purposeId !== "").reduce((n, t) => n + t.count, 0);
  assert.equal(decisions, exported.reduce((n, e) => n + e.record.purposes.length, 0), "one row per purpose decided");
  const karatel = configs.karatel.policy.id;
  const only = conform("getStats", await send(main, "GET", "/v1/stats?policy=" + karatel, { headers: AUTH })).tallies;
  assert.ok(only.length > 0 && only.every((t) => t.policyId === karatel));
  assert.ok(tallies.every((t) => t.language === "*" && t.channel === "*"), "summed over what was not asked for");
  const kk = conform("getStats", await send(main, "GET", "/v1/stats?language=kk&channel=web", { headers: AUTH })).tallies;
  assert.ok(kk.length > 0 && kk.every((t) => t.language === "kk" && t.channel === "web"));
  const day = tallies[0].day;
  const oneDay = conform("getStats", await send(main, "GET", `/v1/stats?from=${day}&to=${day}`, { headers: AUTH })).tallies;
  assert.ok(oneDay.every((t) => t.day === day));
  for (const [query, field] of [["from=yesterday", "from"], ["to=2026-13-01", "to"], ["policy=a&policy=b", "policy"], ["colour=red", "colour"]]) {
    const error = conform("getStats", await send(main, "GET", "/v1/stats?" + query, { headers: AUTH })).error;
    assert.deepEqual([error.code, error.field], ["invalid_query", field], query);
  }
  conform("getStats", await send(main, "GET", "/v1/stats"));
  assert.equal(conform("getStats", await send(noToken, "GET", "/v1/stats", { headers: AUTH })).error.code, "token_not_configured");
  assert.equal(conform("getStats", await send(main, "GET", "/v1/stats", { headers: { ...AUTH, origin: EVIL } })).error.code, "origin_not_allowed");
});

// ---- /healthz, preflights, other methods, unknown paths ------------------------------------------------

it("GET /healthz: 200 ok", async () => {
  const res = await send(main, "GET", "/healthz");
  conform("getHealth", res);
  assert.equal(res.status, 200);
});

/** A concrete path for each documented path template. */
const concrete = (path) =>
  path
    .replace("{recordId}", stored.karatel?.record.recordId ?? randomUUID())
    .replace("{ref}", encodeURIComponent(subjectRef))
    .replace("{confirmationId}", randomUUID())
    .replace("{code}", "ABCD2345")
    .replace("{policyId}/{version}/{language}", "karatel-subscribers/2018-02-26/kk");

it("OPTIONS on every /v1 path: 204 for an allowed or absent Origin, 403 for another", async () => {
  for (const op of [...operations.values()].filter((o) => o.method === "options")) {
    for (const origin of [ALLOWED, BOUND, null]) {
      const headers = origin ? { origin, "access-control-request-method": "POST" } : {};
      const res = await send(main, "OPTIONS", concrete(op.path), { headers });
      conform(op.name, res);
      assert.equal(res.status, 204, `${op.path} from ${origin}`);
      assert.equal(res.headers.get("access-control-allow-origin"), origin, op.path);
    }
    const evil = await send(main, "OPTIONS", concrete(op.path), { headers: { origin: EVIL } });
    conform(op.name, evil);
    assert.equal(evil.status, 403);
  }
});

it("a documented /v1 path with another method answers 405 method_not_allowed", async () => {
  for (const op of [...operations.values()].filter((o) => o.name.startsWith("OTHER "))) {
    for (const method of ["GET", "POST", "PUT", "DELETE", "PATCH"].filter((m) => !op.documented.includes(m.toLowerCase()))) {
      const res = await send(main, method, concrete(op.path), { headers: AUTH });
      assert.equal(conform(op.name, res).error?.code, "method_not_allowed", `${method} ${op.path}: ${res.text}`);
    }
  }
});

it("an unknown /v1 path answers 404 not_found", async () => {
  for (const [method, path] of [["GET", "/v1"], ["POST", "/v1/consent"], ["GET", "/v1/consents/x/y"], ["GET", "/v1/subjects/x"], ["DELETE", "/v1/export/x"]]) {
    const res = await send(main, method, path, { headers: AUTH });
    assert.equal(conform("UNKNOWN /v1 path", res).error?.code, "not_found", `${method} ${path}`);
  }
});

// ---- 429 ---------------------------------------------------------------------------------------------

it("every /v1 operation answers 429 rate_limited with Retry-After once the client's bucket is spent", async () => {
  const record = grant("karatel");
  const calls = {
    postConsent: () => post(limited, record),
    getConsent: () => send(limited, "GET", "/v1/consents/" + record.recordId),
    getSubjectConsents: () => send(limited, "GET", subjectPath(subjectRef), { headers: AUTH }),
    exportEntries: () => send(limited, "GET", "/v1/export", { headers: AUTH }),
    createConfirmation: () => askCode(limited, { phone: "+77012345678", policyId: "karatel-subscribers", language: "kk" }),
    verifyConfirmation: () => typeCode(limited, randomUUID(), "123456"),
    sendReceipt: () => askReceipt(limited, randomUUID(), randomUUID()),
    getReceipt: () => send(limited, "GET", "/v1/receipts/ABCD2345", { headers: AUTH }),
    getPolicies: () => send(limited, "GET", "/v1/policies", { headers: AUTH }),
    getPolicyText: () => send(limited, "GET", "/v1/policies/a/b/kk", { headers: AUTH }),
    verifyLedger: () => send(limited, "GET", "/v1/verify", { headers: AUTH }),
    getStats: () => send(limited, "GET", "/v1/stats", { headers: AUTH }),
  };
  for (const op of [...operations.values()].filter((o) => o.method === "options")) {
    calls[op.name] = () => send(limited, "OPTIONS", concrete(op.path));
  }
  for (const op of operations.values()) {
    if (op.method && op.responses["429"]) assert.ok(calls[op.name], "a call for " + op.name);
  }
  for (const [name, call] of Object.entries(calls)) {
    let refused = null;
    for (let i = 0; i < 50 && !refused; i++) {
      const res = await call();
      conform(name, res);
      if (res.status === 429) refused = res;
    }
    assert.ok(refused, name + " was never refused with 429 at --rate-limit 2");
    assert.match(refused.headers.get("retry-after"), /^\d+$/);
  }
  const health = await send(limited, "GET", "/healthz");
  conform("getHealth", health);
  assert.equal(health.status, 200, "/healthz is outside the rate limit");
});

// ---- the reverse: the spec documents nothing the server was not seen doing -----------------------------

/** Statuses that cannot be provoked over HTTP against a healthy ledger, or not with fetch: 408 needs
 * a client that stops in the middle of its body (collector/tests/hostile.rs sends one). */
const UNPROVOKABLE = new Set(["500", "503", "408"]);

it("every documented operation, status and error code was exercised", () => {
  const missing = [];
  for (const op of operations.values()) {
    if (![...seen].some((s) => s.startsWith(op.name + " "))) missing.push(op.name + " (never called)");
    for (const [status, response] of Object.entries(op.responses)) {
      if (UNPROVOKABLE.has(status)) continue;
      if (!seen.has(`${op.name} ${status}`)) missing.push(`${op.name} ${status}`);
      for (const code of documentedCodes(response)) {
        if (!seen.has(`${op.name} ${status} ${code}`)) missing.push(`${op.name} ${status} ${code}`);
      }
    }
  }
  assert.deepEqual(missing, [], "documented but never seen");
});
