// Imported first by the integration tests: the in-process executor's info logs would bury the
// test report. LOG_LEVEL is read when lib/log.ts is first evaluated, so this must come first.
process.env.LOG_LEVEL ??= "warn";
