import { pino } from 'pino';

// The CLI keeps stdout for its own output (JSON reports): its logs go to stderr, warnings only by default.
const isCli = process.argv.some((arg) => /cli[\\/]hub\.ts$/.test(arg));

/** Structured JSON logs; `LOG_LEVEL=silent` in tests. */
export const logger = pino(
  {
    level: process.env.LOG_LEVEL || (isCli ? 'warn' : 'info'),
    base: { service: 'inspection-hub' },
    redact: ['req.headers.authorization', '*.password', '*.passwordHash', '*.token'],
  },
  pino.destination(isCli ? 2 : 1),
);

export type Logger = typeof logger;
