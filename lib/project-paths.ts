import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: lib/ sits directly under it. */
export const projectRoot = fileURLToPath(new URL('..', import.meta.url));

export class MissingSourceFileError extends Error {
  override readonly name = 'MissingSourceFileError';
}

/** The handler a catalogue entry names; a missing one stops synth with the path to create. */
export function handlerEntry(functionId: string): string {
  const entry = join(projectRoot, 'functions', functionId, 'handler.ts');
  requireFile(entry, `functions/catalogue.ts lists the function "${functionId}"`);
  return entry;
}

export function requireFile(path: string, whyNeeded: string): void {
  if (!existsSync(path)) {
    throw new MissingSourceFileError(
      `${relative(projectRoot, path)} does not exist, but ${whyNeeded}: create it (or remove the entry) and synth again`,
    );
  }
}
