/** One line of `npm run bench`: a measurement and, beside it, its goal (never asserted) or its context. */
export function reportLine(label: string, value: string, goal: string): void {
  console.log(`${label.padEnd(60)} ${value.padStart(12)}   ${goal}`);
}

export function goal(text: string): string {
  return `goal ${text}`;
}
