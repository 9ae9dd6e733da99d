// expect TS2345: kelisim checks no passports.
import { validateField } from "kelisim";
validateField("passport", "N1234567");
