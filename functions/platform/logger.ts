import { Logger } from '@aws-lambda-powertools/logger';

/**
 * The one logger. Log ids, names and counts, never answers, names, emails, link tokens or task
 * tokens: logs leave the clinic's control far more easily than the table does.
 */
export const logger = new Logger({ serviceName: 'care-journeys', logLevel: process.env['LOG_LEVEL'] === 'DEBUG' ? 'DEBUG' : 'INFO' });
