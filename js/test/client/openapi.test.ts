/**
 * `openapi.json` is the single source of truth: the client's routes and the local service's
 * request schemas must match it, and this test fails on any drift (also shown by mutating it).
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { ROUTES } from "../../src/models.js";
import { FIELDS } from "../../src/service/validate.js";

const specPath = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "openapi.json");

interface Schema {
  properties?: Record<string, unknown>;
  required?: string[];
}
interface Spec {
  paths: Record<string, Record<string, { operationId?: string }>>;
  components: { schemas: Record<string, Schema> };
}

const spec = JSON.parse(readFileSync(specPath, "utf8")) as Spec;

function routeDrift(routes: Record<string, readonly [string, string]>, doc: Spec): string[] {
  const problems: string[] = [];
  const fromSpec = new Map<string, string>();
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) fromSpec.set(`${method.toUpperCase()} ${path}`, op.operationId ?? "");
  }
  const ours = new Set(Object.values(routes).map(([m, p]) => `${m} ${p}`));
  for (const key of fromSpec.keys()) if (!ours.has(key)) problems.push(`spec has ${key}, the client does not`);
  for (const key of ours) if (!fromSpec.has(key)) problems.push(`client has ${key}, the spec does not`);
  return problems;
}

function schemaDrift(fields: Record<string, Record<string, { required?: boolean }>>, doc: Spec): string[] {
  const problems: string[] = [];
  for (const [name, table] of Object.entries(fields)) {
    const schema = doc.components.schemas[name];
    if (schema === undefined) {
      problems.push(`${name} is not in the spec`);
      continue;
    }
    const specFields = Object.keys(schema.properties ?? {}).sort();
    const ourFields = Object.keys(table).sort();
    if (JSON.stringify(specFields) !== JSON.stringify(ourFields)) {
      problems.push(`${name}: spec fields ${specFields.join(",")} != ours ${ourFields.join(",")}`);
    }
    const specRequired = [...(schema.required ?? [])].sort();
    const ourRequired = Object.entries(table).filter(([, f]) => f.required === true).map(([k]) => k).sort();
    if (JSON.stringify(specRequired) !== JSON.stringify(ourRequired)) {
      problems.push(`${name}: spec requires ${specRequired.join(",")}, ours ${ourRequired.join(",")}`);
    }
  }
  return problems;
}

describe("openapi.json contract", () => {
  it("ROUTES are exactly the spec's paths", () => {
    expect(routeDrift(ROUTES, spec)).toEqual([]);
  });

  it("every request schema has the spec's fields and required list", () => {
    expect(schemaDrift(FIELDS, spec)).toEqual([]);
  });

  it("fails on drift (a mutated copy of the spec)", () => {
    const mutated = structuredClone(spec);
    mutated.paths["/v1/extra"] = { post: { operationId: "extra" } };
    const encode = mutated.components.schemas.EncodeRequest;
    if (encode?.properties) encode.properties.new_field = {};
    mutated.components.schemas.DecodeRequest = { ...mutated.components.schemas.DecodeRequest, required: [] };
    expect(routeDrift(ROUTES, mutated)).toEqual(["spec has POST /v1/extra, the client does not"]);
    expect(schemaDrift(FIELDS, mutated)).toHaveLength(2);
  });
});
