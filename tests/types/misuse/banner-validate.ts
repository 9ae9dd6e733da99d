// expect TS2614: the banner build has no validateField.
import { validateField } from "kelisim/banner";
validateField("iin", "1");
