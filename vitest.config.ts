import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Integration suites start real services (DynamoDB Local is a JVM); give them room on a 2-core machine.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // vitest's default is one worker less than the cores: on the 2-core machines CI runs on, that ran every
    // file one after another with a core idle
    maxWorkers: 2,
    // prints the stack's IAM grants that no local call of the run used
    globalSetup: ['./test/support/unused-grants-report.ts'],
    // the functions' INFO lines would bury the test report; warnings and errors still show
    env: { LOG_LEVEL: 'WARN' },
    reporters: ['default', './test/support/closing-line-reporter.ts'],
  },
});
