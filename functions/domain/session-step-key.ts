/**
 * The session a step or reminder key belongs to: every key of a session's steps and reminders starts with
 * `session-<number>-` ("session-2-a1-check-in", "session-2-prep"), as the schedule and the session plan
 * build them. Undefined for a key of no session ("intake-reminder-1").
 */
export function sessionNumberOfKey(key: string): number | undefined {
  const match = /^session-(\d+)-/.exec(key);
  return match === null ? undefined : Number(match[1]);
}
