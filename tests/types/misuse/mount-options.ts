// expect TS2322: kiosk is a boolean.
import { Kelisim } from "kelisim";
Kelisim.mount("#consent", "{}", { kiosk: "yes" });
