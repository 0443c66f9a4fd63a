import { Logger } from '@aws-lambda-powertools/logger';

/**
 * The one logger. Log ids, names and counts, never answers, names, emails, link tokens or task
 * tokens: logs leave the clinic's control far more easily than the table does.
 */
const levels = ['DEBUG', 'INFO', 'WARN', 'ERROR', 'SILENT'] as const;
type Level = (typeof levels)[number];
const requested = process.env['LOG_LEVEL']?.toUpperCase();
const logLevel: Level = levels.find((level) => level === requested) ?? 'INFO';

export const logger = new Logger({ serviceName: 'care-journeys', logLevel });
