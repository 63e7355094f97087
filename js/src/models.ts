/**
 * Types of the Kaizen REST API, written by hand from `openapi.json` (the single source of
 * truth for the wire contract, as in Python's `kaizen_client.models`). Field names are the
 * wire names (snake_case), so a body is sent and read as it is. `test/client/openapi.test.ts`
 * compares `ROUTES` and the request field tables of `service/validate.ts` with the spec and
 * fails on drift.
 */

import type { EncodeMode } from "./engine/defaults.js";

// The engine owns its vocabulary; the wire schema re-exports it (as in Python).
export type { EncodeMode, FragmentAction, FragmentKind, FragmentReason } from "./engine/defaults.js";
export type { CompressionReport, FragmentDecision } from "./engine/report.js";
import type { CompressionReport } from "./engine/report.js";

export type Delimiter = "," | "\t" | "|";

/** How to encode: codec knobs plus the gating knobs of message compression. */
export interface EncodeOptions {
  delimiter?: Delimiter | null;
  indent?: number | null;
  /** Accepted for 0.1.4 compatibility and ignored (TOON 4.0 has no length marker). */
  length_marker?: boolean | string | null;
  mode?: EncodeMode;
  model?: string;
  min_tokens_saved?: number;
  min_percent_saved?: number;
  bypass?: boolean;
  preserve_prefix?: number;
  respect_cache_control?: boolean;
}

/** How to read KTOF text. */
export interface DecodeOptions {
  indent?: number | null;
  strict?: boolean | null;
}

export type Metadata = Record<string, unknown>;

/** Body of `compress` and `optimize`. */
export interface EncodeRequest {
  data: unknown;
  options?: EncodeOptions | null;
  token_models?: string[] | null;
  metadata?: Metadata | null;
}

/** Body of `decompress`. */
export interface DecodeRequest {
  data: string;
  options?: DecodeOptions | null;
  metadata?: Metadata | null;
}

/** Body of `prompts_encode`: a string, a message list or an object with `messages`. */
export interface PromptEncodePayload {
  prompt: unknown;
  options?: EncodeOptions | null;
  auto_detect_json?: boolean;
  schemas?: Record<string, unknown> | null;
  metadata?: Metadata | null;
  token_models?: string[] | null;
}

/** Body of `prompts_decode`: the KTOF text, or the id of a stored payload. */
export interface PromptDecodePayload {
  ktof?: string | null;
  payload_id?: string | null;
  options?: DecodeOptions | null;
  replay_meta?: Record<string, unknown> | null;
  metadata?: Metadata | null;
}

/** Body of `optimize_request`: a provider request to compress. */
export interface OptimizeRequestPayload {
  prompt: unknown;
  options?: EncodeOptions | null;
  auto_detect_json?: boolean;
  metadata?: Metadata | null;
  token_models?: string[] | null;
}

/** Body of `optimize_response`: KTOF text from a provider response. */
export interface OptimizeResponsePayload {
  ktof: string;
  options?: DecodeOptions | null;
  metadata?: Metadata | null;
}

/** Sizes in UTF-8 bytes; `reduction_ratio` is compressed/original. */
export interface Stats {
  original_bytes: number;
  compressed_bytes: number;
  reduction_ratio: number;
}

export interface TokenStats {
  original: number;
  compressed: number;
}

/** Body every successful operation returns (except `health`). */
export interface KaizenResponse<Result = unknown> {
  operation: string;
  status: "ok";
  result: Result;
  stats: Stats;
  token_stats?: Record<string, TokenStats> | null;
  metadata?: Metadata | null;
  request_id?: string | null;
  [extra: string]: unknown;
}

/** `prompts.encode`: also the compressed chat messages and the decision report. */
export interface PromptsEncodeResponse extends KaizenResponse<string> {
  messages: unknown[];
  report: CompressionReport;
  payload_id?: string | null;
}

/** `optimize.request`: `result` is the compressed request; plus the report. */
export interface OptimizeRequestResponse extends KaizenResponse {
  report: CompressionReport;
}

/** Liveness answer; `mode` is `local` for the in-process engine. */
export interface HealthResponse {
  status: "ok";
  operation: "health";
  version: string;
  mode: string;
  request_id?: string | null;
  [extra: string]: unknown;
}

/** Body of every non-2xx answer. */
export interface ErrorResponse {
  error: { code: string; message: string; request_id?: string | null; detail?: unknown };
}

/** Client method name -> (HTTP method, path), as in Python's `ROUTES`. */
export const ROUTES = {
  health: ["GET", "/"],
  compress: ["POST", "/v1/compress"],
  decompress: ["POST", "/v1/decompress"],
  optimize: ["POST", "/v1/optimize"],
  optimize_request: ["POST", "/v1/optimize/request"],
  optimize_response: ["POST", "/v1/optimize/response"],
  prompts_encode: ["POST", "/v1/prompts/encode"],
  prompts_decode: ["POST", "/v1/prompts/decode"],
} as const satisfies Record<string, readonly ["GET" | "POST", string]>;

export type Operation = keyof typeof ROUTES;
