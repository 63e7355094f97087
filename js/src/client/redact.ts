/**
 * Keeping the API key out of everything a caller might print: error messages, payloads a
 * server echoed, response headers and log lines. Python's `_logging.redact_*`, in small.
 */

export const REDACTED = "***";

/** Header names whose values are secrets whatever they hold. */
const SECRET_HEADERS = new Set(["x-api-key", "authorization", "proxy-authorization", "cookie", "set-cookie"]);

function usable(secrets: readonly (string | undefined)[]): string[] {
  // Very short "secrets" would blank out ordinary text; real keys are long.
  return secrets.filter((s): s is string => typeof s === "string" && s.length >= 4);
}

/** `text` with every occurrence of each secret replaced by `***`. */
export function redactText(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const secret of usable(secrets)) out = out.split(secret).join(REDACTED);
  return out;
}

/** A deep copy of a JSON value with the secrets removed from every string (keys included). */
export function redactValue(value: unknown, secrets: readonly (string | undefined)[]): unknown {
  if (usable(secrets).length === 0) return value;
  if (typeof value === "string") return redactText(value, secrets);
  if (Array.isArray(value)) return value.map((item) => redactValue(item, secrets));
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      out[redactText(key, secrets)] = redactValue(item, secrets);
    }
    return out;
  }
  return value;
}

/** Headers as a plain lower-case object, secret-bearing ones and echoed secrets masked. */
export function redactHeaders(
  headers: Headers | Record<string, string>,
  secrets: readonly (string | undefined)[],
): Record<string, string> {
  const out: Record<string, string> = {};
  const entries = headers instanceof Headers ? [...headers.entries()] : Object.entries(headers);
  for (const [name, value] of entries) {
    const lower = name.toLowerCase();
    out[lower] = SECRET_HEADERS.has(lower) ? REDACTED : redactText(value, secrets);
  }
  return out;
}
