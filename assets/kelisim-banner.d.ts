// Types of the banner build (kelisim-banner.js): the same notice as the build with forms, without
// field checks, the SMS step, the receipt or the kiosk, so without `validateField`.
export { Kelisim, default, initSync } from "./kelisim";
export type {
  ConsentRecord,
  ConsentState,
  DeliveryAck,
  ErrorCode,
  InitInput,
  KelisimConfig,
  KelisimError,
  KelisimEvents,
  Language,
  MountOptions,
  PurposeChoice,
} from "./kelisim";
