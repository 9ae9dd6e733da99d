// Types of kelisim's JavaScript surface, the build with forms (kelisim.js). The config's type,
// KelisimConfig, is generated from schema/config.schema.json into config.d.ts when the package is
// built, so the two cannot drift.
import type { KelisimOperatorConfig } from "./config";

/** A config as schema/config.schema.json describes it; the module checks what a schema cannot. */
export type KelisimConfig = KelisimOperatorConfig;

/** The languages a notice speaks. */
export type Language = "kk" | "ru" | "en";

/** The third argument of `Kelisim.mount`. */
export interface MountOptions {
  /** A language tag (`kk`, `ru-KZ`, `en-US`, …): before the visitor's choice and the browser's. */
  lang?: string;
  /** The `subject.ref` of records (e.g. the logged-in customer's id); otherwise a browser id. */
  subject?: string;
  /** A shop's tablet: `channel: "kiosk"`, nothing kept between customers (build with forms). */
  kiosk?: boolean;
  /** With `kiosk`: the shop or point of sale the records name. */
  shop?: string;
  /** With `kiosk`: the consultant handing the tablet over. */
  consultant?: string;
}

/** One purpose as a record states it. */
export interface PurposeChoice {
  id: string;
  required: boolean;
  granted: boolean;
}

/** The consent record (`schema: 1`), as `decision` gives it and the collector stores it. */
export interface ConsentRecord {
  schema: 1;
  /** A UUID made in the browser: retries are idempotent. */
  recordId: string;
  kind: "grant" | "withdrawal";
  operator: { name: string; bin?: string };
  policy: { id: string; version: string; language: Language; textSha256: string; url?: string };
  /** Every purpose for a grant (refusals with `granted: false`); the withdrawn ones for a withdrawal. */
  purposes: PurposeChoice[];
  dataCategories: string[];
  transfers: {
    thirdParties: boolean;
    crossBorder: boolean | string[];
    publicSources: boolean;
    storedInKazakhstan: boolean;
  };
  term: string;
  subject: { ref: string };
  /** The SMS confirmation the decision waited for (a config with `confirm`). */
  confirmation?: { id: string; method: "sms" };
  /** The browser's clock, RFC 3339 UTC with milliseconds. */
  collectedAt: string;
  channel: "web" | "webview" | "kiosk";
  kiosk?: { shop?: string; consultant?: string };
  page?: string;
  userAgent?: string;
  /** The record a withdrawal withdraws from, or a re-consent updates. */
  previousRecordId?: string;
}

/** `delivered`: the backend stored the record (201) or already had it (200). */
export interface DeliveryAck {
  recordId: string;
  status: number;
}

/** Why something did not work; `load` only from the one-tag embed's `kelisim:error` event. */
export type ErrorCode = "config" | "storage" | "delivery" | "load";

/** `error`, and the one-tag embed's `kelisim:error` event's `detail`. */
export interface KelisimError {
  code: ErrorCode;
  message: string;
}

/** The decision that stands on this device, as `state()` and `change` give it. */
export interface ConsentState {
  policyVersion: string;
  purposes: Record<string, boolean>;
  recordId: string;
  decidedAt: string;
}

/** What each event passes to its callbacks. */
export interface KelisimEvents {
  /** A decision was recorded (stored in the browser, before delivery). */
  decision: ConsentRecord;
  /** The backend acknowledged a record this page made. */
  delivered: DeliveryAck;
  /** After every decision: the new state. */
  change: ConsentState | null;
  error: KelisimError;
}

/** A mounted notice. */
export class Kelisim {
  private constructor();
  /**
   * Mounts a notice into `target` (an element or a CSS selector) for `config` (an object or its
   * JSON text). A config that is refused shows nothing and is reported through `on("error")`; a
   * missing target, or no page at all (Node, a Web Worker), throws.
   */
  static mount(target: Element | string, config: KelisimConfig | string, options?: MountOptions): Kelisim;
  on<E extends keyof KelisimEvents>(event: E, callback: (payload: KelisimEvents[E]) => void): void;
  /** The language shown. */
  readonly language: Language | undefined;
  /** Shows another offered language; false if it is not offered. */
  setLanguage(lang: string): boolean;
  state(): ConsentState | null;
  /** Records and delivers a withdrawal; `null` without an earlier decision or such a purpose. */
  withdraw(purposes: string[]): Promise<ConsentRecord | null>;
  /** Records stored but not yet acknowledged by the backend. */
  pending(): ConsentRecord[];
  /** Resolves when nothing is pending. */
  flush(): Promise<void>;
  unmount(): void;
  free(): void;
}

/** The field kinds `validateField` and a config's `form.fields` know (`surname` and `givenName` are names). */
export type FieldKind =
  | "iin"
  | "bin"
  | "phone"
  | "email"
  | "name"
  | "surname"
  | "givenName"
  | "patronymic"
  | "postcode"
  | "birthDate";

/** Each outcome of a field check: `ok`, or a kind-prefixed reason. */
export type FieldCode =
  | "ok"
  | "iin.empty"
  | "iin.notDigits"
  | "iin.length"
  | "iin.checkDigit"
  | "iin.unusualDate"
  | "bin.empty"
  | "bin.notDigits"
  | "bin.length"
  | "bin.month"
  | "bin.entityType"
  | "bin.unit"
  | "bin.checkDigit"
  | "phone.empty"
  | "phone.chars"
  | "phone.length"
  | "phone.notKazakhstan"
  | "phone.notInUse"
  | "phone.landline"
  | "email.empty"
  | "email.at"
  | "email.local"
  | "email.domain"
  | "email.tooLong"
  | "name.empty"
  | "name.chars"
  | "name.mixedScript"
  | "name.shape"
  | "name.tooLong"
  | "postcode.empty"
  | "postcode.format"
  | "birthDate.empty"
  | "birthDate.format"
  | "birthDate.impossible"
  | "birthDate.future"
  | "birthDate.tooOld"
  | "birthDate.minor"
  | "birthDate.minorWarning";

/** What `validateField` answers. */
export interface FieldVerdict {
  valid: boolean;
  code: FieldCode;
  /** In the language asked for (kk by default); empty for `ok`, a warning on some valid values. */
  message: string;
  /** The value as kelisim stores it: E.164 for a phone, 12 digits for an IIN, … */
  normalized: string;
}

/** Checks one value with the signup form's own rules; works in a page, Node and a Web Worker. */
export function validateField(kind: FieldKind, value: string, lang?: string): FieldVerdict;

/** Where the wasm comes from: a URL or response (fetched), or its bytes or compiled module. */
export type InitInput = RequestInfo | URL | Response | BufferSource | WebAssembly.Module;

/** Loads the wasm (by default `kelisim_bg.wasm` beside this file). */
export default function init(options?: { module_or_path?: InitInput | Promise<InitInput> }): Promise<unknown>;

/** Loads the wasm from bytes already at hand (Node: `readFileSync`). */
export function initSync(options: { module: BufferSource | WebAssembly.Module }): unknown;
