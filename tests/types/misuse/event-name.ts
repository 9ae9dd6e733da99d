// expect TS2345: there is no "decided" event.
import { Kelisim } from "kelisim";
Kelisim.mount("#consent", "{}").on("decided", () => {});
