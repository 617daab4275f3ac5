import { pino } from 'pino';

/** Structured JSON logs; `LOG_LEVEL=silent` in tests. */
export const logger = pino({
  level: process.env.LOG_LEVEL || 'info',
  base: { service: 'inspection-hub' },
  redact: ['req.headers.authorization', '*.password', '*.passwordHash', '*.token'],
});

export type Logger = typeof logger;
