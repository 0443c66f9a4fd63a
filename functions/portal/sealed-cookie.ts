import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * A value sealed into a cookie with AES-256-GCM: the browser holds it, can neither read nor change it,
 * and a cookie sealed under one name cannot be replayed under another (the name is the additional
 * authenticated data). `unseal` answers undefined for anything it did not seal itself: tampered,
 * truncated, another key, another name.
 */
const ivBytes = 12;
const tagBytes = 16;

export function sealValue(key: Buffer, name: string, value: unknown): string {
  const iv = randomBytes(ivBytes);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(name, 'utf8'));
  const sealed = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64url');
}

export function unsealValue(key: Buffer, name: string, cookie: string): unknown {
  const raw = Buffer.from(cookie, 'base64url');
  if (raw.length <= ivBytes + tagBytes) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, ivBytes));
    decipher.setAAD(Buffer.from(name, 'utf8'));
    decipher.setAuthTag(raw.subarray(ivBytes, ivBytes + tagBytes));
    const plain = Buffer.concat([decipher.update(raw.subarray(ivBytes + tagBytes)), decipher.final()]);
    return JSON.parse(plain.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

export interface CookieOptions {
  readonly path: string;
  readonly maxAgeSeconds: number;
  /** false only on plain-http loopback, where a browser would drop a Secure cookie */
  readonly secure: boolean;
}

/** A Set-Cookie value: always HttpOnly and SameSite=Lax (a top-level GET from an email or the provider still carries it). */
export function setCookie(name: string, value: string, options: CookieOptions): string {
  return `${name}=${value}; Path=${options.path}; Max-Age=${options.maxAgeSeconds}; HttpOnly; SameSite=Lax${options.secure ? '; Secure' : ''}`;
}

export function clearCookie(name: string, options: Omit<CookieOptions, 'maxAgeSeconds'>): string {
  return setCookie(name, '', { ...options, maxAgeSeconds: 0 });
}

/** The value of a cookie from API Gateway's `cookies` ("name=value" each), or a Cookie header. */
export function cookieValue(cookies: readonly string[] | undefined, name: string): string | undefined {
  for (const pair of cookies ?? []) {
    for (const part of pair.split(/;\s*/)) {
      const at = part.indexOf('=');
      if (at > 0 && part.slice(0, at) === name) return part.slice(at + 1);
    }
  }
  return undefined;
}
