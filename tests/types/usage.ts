// The JavaScript surface as a web team writes against it; compiled with `tsc --strict`.
import init, { Kelisim, validateField, initSync } from "kelisim";
import type { ConsentRecord, FieldCode, FieldVerdict, KelisimConfig, KelisimError } from "kelisim";
import * as banner from "kelisim/banner";
import karatel from "../../www/consent/karatel.json";
import esperance from "../../www/consent/esperance.json";

export async function start(config: KelisimConfig): Promise<void> {
  await init();
  const consent = Kelisim.mount("#consent", config, { lang: "ru-KZ", subject: "customer-4711" });
  consent.on("decision", (record: ConsentRecord) => {
    const granted: string[] = record.purposes.filter((p) => p.granted).map((p) => p.id);
    const hash: string = record.policy.textSha256;
    const sms: "sms" | undefined = record.confirmation?.method;
    console.log(granted, hash, sms, record.channel === "kiosk" ? record.kiosk?.shop : record.page);
  });
  consent.on("delivered", (ack) => console.log(ack.recordId, ack.status + 1));
  consent.on("change", (state) => console.log(state?.purposes["marketing"] === true));
  consent.on("error", (e: KelisimError) => console.log(e.code === "config", e.message));
  const language: "kk" | "ru" | "en" | undefined = consent.language;
  const switched: boolean = consent.setLanguage("kk");
  const withdrawal: ConsentRecord | null = await consent.withdraw(["marketing"]);
  const pending: ConsentRecord[] = consent.pending();
  await consent.flush();
  console.log(language, switched, withdrawal?.previousRecordId, pending.length, consent.state()?.decidedAt);
  consent.unmount();
  Kelisim.mount(document.createElement("div"), JSON.stringify(config), { kiosk: true, shop: "ALM-MEGA-014" });
}

export function check(value: string): string {
  const verdict: FieldVerdict = validateField("phone", value, "kk");
  const code: FieldCode = verdict.code;
  if (code === "phone.notKazakhstan" || code === "birthDate.minorWarning") return verdict.message;
  return verdict.valid ? verdict.normalized : code;
}

export async function banners(config: KelisimConfig): Promise<void> {
  await banner.default({ module_or_path: new URL("kelisim-banner_bg.wasm", import.meta.url) });
  banner.Kelisim.mount("#consent", config).on("delivered", (ack) => console.log(ack.recordId));
}

export function node(bytes: Uint8Array): void {
  initSync({ module: bytes });
}

// The operators' configs are KelisimConfigs as they stand.
export const configs: KelisimConfig[] = [karatel as KelisimConfig, esperance as KelisimConfig];
export const literal: KelisimConfig = {
  operator: { name: { kk: "«КаР-Тел» ЖШС", ru: "ТОО «КаР-Тел»" }, bin: "980540000397" },
  policy: { id: "karatel-subscribers", version: "2018-02-26", title: { kk: "Т", ru: "Т" }, summary: { kk: "С", ru: "С" } },
  dataCategories: [{ id: "phone", title: { kk: "Телефон", ru: "Телефон" } }],
  purposes: [
    {
      id: "service",
      required: true,
      title: { kk: "Қызмет", ru: "Услуга" },
      description: { kk: "Қ", ru: "У" },
      withdrawalEffect: { kk: "Қ", ru: "У" },
      data: ["phone"],
    },
  ],
  transfers: { thirdParties: false, crossBorder: false, publicSources: false, storedInKazakhstan: true },
  term: { kk: "Мерзім", ru: "Срок" },
  endpoint: "/v1/consents",
  confirm: { method: "sms" },
};
