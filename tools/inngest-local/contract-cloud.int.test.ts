import "./test/quiet-logs.ts";
import { contractSuite } from "./test/contract-suite.ts";
import { crashSuite } from "./test/crash-suite.ts";

// Signed ("cloud") mode: the app runs with INNGEST_BASE_URL + signing and event keys, and the
// executor signs every call and verifies what the SDK sends.
contractSuite("cloud");
crashSuite("cloud");
