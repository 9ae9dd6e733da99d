// expect TS2367: no such code; the comparison can never be true.
import { validateField } from "kelisim";
if (validateField("iin", "1").code === "iin.wrong") console.log("never");
