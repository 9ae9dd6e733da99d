// expect TS2551: a record's id is recordId.
import { Kelisim } from "kelisim";
Kelisim.mount("#consent", "{}").on("decision", (r) => console.log(r.recordID));
