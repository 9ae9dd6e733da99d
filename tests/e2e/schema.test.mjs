// The shipped JSON Schema accepts every demo config and refuses what the module refuses.
import { it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import Ajv2020 from "ajv/dist/2020.js";
import { root } from "./support.mjs";

const schema = JSON.parse(readFileSync(join(root, "schema/config.schema.json"), "utf8"));
const validate = new Ajv2020({ allErrors: true }).compile(schema);
const configs = readdirSync(join(root, "www/consent")).filter((f) => f.endsWith(".json"));

it("every demo config matches the schema", () => {
  assert.ok(configs.length >= 1);
  for (const file of configs) {
    const cfg = JSON.parse(readFileSync(join(root, "www/consent", file), "utf8"));
    assert.ok(validate(cfg), file + ": " + JSON.stringify(validate.errors));
  }
});

it("the schema refuses a text without Russian, a bad BIN, a javascript: URL, an unknown field and a country it cannot name", () => {
  const base = JSON.parse(readFileSync(join(root, "tests/data/small-config.json"), "utf8"));
  assert.ok(validate(base), JSON.stringify(validate.errors));
  const broken = [
    (c) => delete c.purposes[1].title.ru,
    (c) => (c.operator.bin = "98054000039"),
    (c) => (c.policy.url.ru = "javascript:alert(1)"),
    (c) => (c.purposes[0].withdrawlEffect = c.purposes[0].withdrawalEffect),
    (c) => (c.languages = ["ru", "en"]),
    (c) => (c.endpoint = "//evil.example/collect"),
    (c) => (c.transfers.crossBorder = ["DE"]),
  ];
  for (const edit of broken) {
    const cfg = structuredClone(base);
    edit(cfg);
    assert.equal(validate(cfg), false, edit.toString());
  }
});
