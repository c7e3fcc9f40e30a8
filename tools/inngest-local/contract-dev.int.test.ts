import "./test/quiet-logs.ts";
import { contractSuite } from "./test/contract-suite.ts";
import { crashSuite } from "./test/crash-suite.ts";

// Dev mode: the app runs with INNGEST_DEV=<executor url>; nothing is signed.
contractSuite("dev");
crashSuite("dev");
