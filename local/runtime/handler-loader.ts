import { existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';

export type LoadedHandler = (event: unknown, context: Context) => Promise<unknown>;

export const repositoryRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export class HandlerNotFoundError extends Error {
  override readonly name = 'HandlerNotFoundError';
}

export function handlerPath(functionId: string): string {
  return join(repositoryRoot, 'functions', functionId, 'handler.ts');
}

const loaded = new Map<string, Promise<LoadedHandler>>();

/**
 * Imports `functions/<id>/handler.ts` the first time the function is called, like a Lambda cold start,
 * and only then: the runtime has set the environment by that time, and a function whose handler is not
 * written yet fails when called, not when the runtime starts.
 */
export function loadHandler(functionId: string): Promise<LoadedHandler> {
  let pending = loaded.get(functionId);
  if (pending === undefined) {
    pending = importHandler(functionId);
    loaded.set(functionId, pending);
    // a failed import (missing file, syntax error being fixed) is retried on the next call
    pending.catch(() => loaded.delete(functionId));
  }
  return pending;
}

async function importHandler(functionId: string): Promise<LoadedHandler> {
  const path = handlerPath(functionId);
  const shown = relative(repositoryRoot, path);
  if (!existsSync(path)) {
    throw new HandlerNotFoundError(`function "${functionId}" has no handler yet: ${shown} does not exist`);
  }
  const module = (await import(pathToFileURL(path).href)) as { handler?: unknown };
  if (typeof module.handler !== 'function') {
    throw new HandlerNotFoundError(`${shown} does not export a function named "handler"`);
  }
  return module.handler as LoadedHandler;
}
