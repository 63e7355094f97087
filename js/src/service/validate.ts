/**
 * Request validation for the in-process service: the checks Python's pydantic request models
 * make, with errors in pydantic's shape (`{type, loc, msg, input}`), so a bad body fails the
 * same way (422 `validation_error`) in local and remote mode. Unknown keys are ignored, as
 * there. `FIELDS` is compared with `openapi.json` by `test/client/openapi.test.ts`.
 *
 * JSON types are checked strictly (pydantic's lax mode also turns `"5"` into `5`; this does
 * not): the one known difference, on input the typed client never produces.
 */

export interface FieldError {
  type: string;
  loc: (string | number)[];
  msg: string;
  input?: unknown;
}

type Check = (value: unknown, loc: (string | number)[], errors: FieldError[]) => void;

interface Field {
  check: Check;
  required?: boolean;
  nullable?: boolean;
}

const MAX_INDENT = 16;

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

const any: Check = () => undefined;

const str: Check = (value, loc, errors) => {
  if (typeof value !== "string") errors.push({ type: "string_type", loc, msg: "Input should be a valid string", input: value });
};

const bool: Check = (value, loc, errors) => {
  if (typeof value !== "boolean") errors.push({ type: "bool_type", loc, msg: "Input should be a valid boolean", input: value });
};

const dict: Check = (value, loc, errors) => {
  if (!isObject(value)) errors.push({ type: "dict_type", loc, msg: "Input should be a valid dictionary", input: value });
};

const strList: Check = (value, loc, errors) => {
  if (!Array.isArray(value)) {
    errors.push({ type: "list_type", loc, msg: "Input should be a valid list", input: value });
    return;
  }
  value.forEach((item, index) => {
    str(item, [...loc, index], errors);
  });
};

function bounded(kind: "int" | "float", min: number, max: number): Check {
  return (value, loc, errors) => {
    const isNumber = typeof value === "number" && Number.isFinite(value);
    if (!isNumber || (kind === "int" && !Number.isInteger(value))) {
      const what = kind === "int" ? "integer" : "number";
      errors.push({ type: `${kind}_type`, loc, msg: `Input should be a valid ${what}`, input: value });
    } else if (value < min) {
      errors.push({ type: "greater_than_equal", loc, msg: `Input should be greater than or equal to ${min}`, input: value });
    } else if (value > max) {
      errors.push({ type: "less_than_equal", loc, msg: `Input should be less than or equal to ${max}`, input: value });
    }
  };
}

function literal(...allowed: string[]): Check {
  return (value, loc, errors) => {
    if (typeof value !== "string" || !allowed.includes(value)) {
      const names = allowed.map((a) => JSON.stringify(a).replaceAll('"', "'"));
      const list = names.length > 1 ? `${names.slice(0, -1).join(", ")} or ${names.at(-1) ?? ""}` : (names[0] ?? "");
      errors.push({ type: "literal_error", loc, msg: `Input should be ${list}`, input: value });
    }
  };
}

const lengthMarker: Check = (value, loc, errors) => {
  if (typeof value !== "boolean" && typeof value !== "string") {
    errors.push({ type: "string_type", loc, msg: "Input should be a valid boolean or string", input: value });
  }
};

export type SchemaName =
  | "EncodeOptions"
  | "DecodeOptions"
  | "EncodeRequest"
  | "DecodeRequest"
  | "PromptEncodePayload"
  | "PromptDecodePayload"
  | "OptimizeRequestPayload"
  | "OptimizeResponsePayload";

/** The request schemas: field name -> check, per `components/schemas` name. */
export const FIELDS: Readonly<Record<SchemaName, Readonly<Record<string, Field>>>> = {
  EncodeOptions: {
    delimiter: { check: literal(",", "\t", "|"), nullable: true },
    indent: { check: bounded("int", 1, MAX_INDENT), nullable: true },
    length_marker: { check: lengthMarker, nullable: true },
    mode: { check: literal("auto", "toon") },
    model: { check: str },
    min_tokens_saved: { check: bounded("int", 0, 1_000_000_000) },
    min_percent_saved: { check: bounded("float", 0, 100) },
    bypass: { check: bool },
    preserve_prefix: { check: bounded("int", 0, 100_000) },
    respect_cache_control: { check: bool },
  },
  DecodeOptions: {
    indent: { check: bounded("int", 1, MAX_INDENT), nullable: true },
    strict: { check: bool, nullable: true },
  },
  EncodeRequest: {
    data: { check: any, required: true, nullable: true },
    options: { check: model("EncodeOptions"), nullable: true },
    token_models: { check: strList, nullable: true },
    metadata: { check: dict, nullable: true },
  },
  DecodeRequest: {
    data: { check: str, required: true },
    options: { check: model("DecodeOptions"), nullable: true },
    metadata: { check: dict, nullable: true },
  },
  PromptEncodePayload: {
    prompt: { check: any, required: true, nullable: true },
    options: { check: model("EncodeOptions"), nullable: true },
    auto_detect_json: { check: bool },
    schemas: { check: dict, nullable: true },
    metadata: { check: dict, nullable: true },
    token_models: { check: strList, nullable: true },
  },
  PromptDecodePayload: {
    ktof: { check: str, nullable: true },
    payload_id: { check: str, nullable: true },
    options: { check: model("DecodeOptions"), nullable: true },
    replay_meta: { check: dict, nullable: true },
    metadata: { check: dict, nullable: true },
  },
  OptimizeRequestPayload: {
    prompt: { check: any, required: true, nullable: true },
    options: { check: model("EncodeOptions"), nullable: true },
    auto_detect_json: { check: bool },
    metadata: { check: dict, nullable: true },
    token_models: { check: strList, nullable: true },
  },
  OptimizeResponsePayload: {
    ktof: { check: str, required: true },
    options: { check: model("DecodeOptions"), nullable: true },
    metadata: { check: dict, nullable: true },
  },
};

function model(name: SchemaName): Check {
  return (value, loc, errors) => {
    validateInto(name, value, loc, errors);
  };
}

function validateInto(name: SchemaName, value: unknown, loc: (string | number)[], errors: FieldError[]): void {
  if (!isObject(value)) {
    errors.push({
      type: "model_type",
      loc,
      msg: `Input should be a valid dictionary or instance of ${name}`,
      input: value,
    });
    return;
  }
  const fields = FIELDS[name];
  for (const [key, field] of Object.entries(fields)) {
    if (!Object.hasOwn(value, key)) {
      if (field.required === true) errors.push({ type: "missing", loc: [...loc, key], msg: "Field required", input: value });
      continue;
    }
    const item = value[key];
    if (item === null && field.nullable === true) continue;
    field.check(item, [...loc, key], errors);
  }
}

/** Pydantic-shaped errors of `value` against schema `name`; empty when it is valid. */
export function validate(name: SchemaName, value: unknown): FieldError[] {
  const errors: FieldError[] = [];
  validateInto(name, value, [], errors);
  if (name === "PromptDecodePayload" && errors.length === 0 && isObject(value)) {
    const has = (key: string): boolean => value[key] !== undefined && value[key] !== null;
    if (!has("ktof") && !has("payload_id")) {
      errors.push({
        type: "value_error",
        loc: [],
        msg: "Value error, either 'ktof' or 'payload_id' is required",
        input: value,
      });
    }
  }
  return errors;
}
