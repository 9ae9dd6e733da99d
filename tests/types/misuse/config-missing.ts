// expect TS2741: a config names its policy.
import type { KelisimConfig } from "kelisim";
export const config: KelisimConfig = {
  operator: { name: { kk: "А", ru: "А" } },
  dataCategories: [],
  purposes: [{ id: "s", required: true, title: { kk: "А", ru: "А" }, description: { kk: "А", ru: "А" }, withdrawalEffect: { kk: "А", ru: "А" }, data: [] }],
  transfers: { thirdParties: false, crossBorder: false, publicSources: false, storedInKazakhstan: true },
  term: { kk: "А", ru: "А" },
  endpoint: "/v1/consents",
};
