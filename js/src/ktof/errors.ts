/** Errors raised by the KTOF codec: each says what is wrong and where (as in Python's `errors.py`). */

/** Base class of codec errors. */
export class KTOFError extends Error {
  override name = "KTOFError";
}

/**
 * Text that is neither valid TOON 4.0 nor valid KTOF. `line` is the 1-based line of the input
 * where the problem was found (0 when it is not tied to one line), `msg` the bare description.
 */
export class KTOFDecodeError extends KTOFError {
  override name = "KTOFDecodeError";
  readonly msg: string;
  readonly line: number;

  constructor(msg: string, line = 0) {
    super(line ? `line ${line}: ${msg}` : msg);
    this.msg = msg;
    this.line = line;
  }
}

/** A value that cannot be encoded; `path` is its JSON path, e.g. `$.orders[3].created`. */
export class KTOFEncodeError extends KTOFError {
  override name = "KTOFEncodeError";
  readonly msg: string;
  readonly path: string;

  constructor(msg: string, path = "$") {
    super(`${path}: ${msg}`);
    this.msg = msg;
    this.path = path;
  }
}

/** Python's `repr()` of a string, for messages that name a key or token. */
export function repr(text: string): string {
  return `'${text.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
}
