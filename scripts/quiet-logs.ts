// Imported first by scripts that serve many requests in-process (the bench): one log line per request
// would bury their figures. A LOG_LEVEL given by the caller still wins.
process.env.LOG_LEVEL ??= 'warn';
