/** "refill-cycle" -> "RefillCycle": catalogue ids as construct ids, so logical ids read like the catalogue. */
export function pascalCase(kebab: string): string {
  return kebab.replace(/(^|-)([a-z0-9])/g, (_m, _dash: string, c: string) => c.toUpperCase());
}
