// expect TS2353: a confirmation method kelisim does not have, and an unknown member.
import type { KelisimConfig } from "kelisim";
export const confirm: KelisimConfig["confirm"] = { method: "sms", retries: 3 };
