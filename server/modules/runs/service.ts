import { randomBytes } from 'node:crypto';
import type { Run, RunFile, RunState, RunStream } from '../../db/tables.js';
import { userError } from '../../graphql/errors.js';
import { validateFilePath } from '../artifacts/manifest.js';
import {
  insertLines,
  issueUploadTokens,
  listRunFiles,
  pageOfLines,
  sampledLines,
  updateRunAfterStream,
  upsertRunFields,
  type RunFields,
  type StreamUpdate,
} from './repository.js';
import { checkProjectName } from '../registries/access.js';
import { checkRunName } from '../../graphql/names.js';
import { ensureProject } from '../registries/repository.js';
import { runsByIds } from '../artifacts/repository-runs.js';
import type { DB } from '../../db/database.js';
import type { RunWriter } from './access.js';

// The rules of runs, shared by the SDK's documents, its file_stream and the web app's reads. They take
// the database; who may write a run is access.ts's to say, before they are called.

export const RUN_STATES: readonly RunState[] = ['running', 'finished', 'failed', 'crashed'];
/** Config and summary are shown whole on the run page; bulk data belongs in files or history. */
export const MAX_RUN_JSON_BYTES = 1024 * 1024;
const MAX_TEXT = 64 * 1024;

/** A JSON object given as text (config, summary), re-serialized; null when absent. */
export function parseJsonObject(what: string, text: string | null | undefined): string | null {
  if (text == null || text === '') return null;
  if (Buffer.byteLength(text, 'utf8') > MAX_RUN_JSON_BYTES) {
    throw userError(
      'BAD_USER_INPUT',
      `The ${what} is larger than ${MAX_RUN_JSON_BYTES / 1024} KiB of JSON: log large data as files or artifacts.`,
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw userError('BAD_USER_INPUT', `The ${what} must be a JSON object, given as a JSON string.`);
  }
  if (value === null) return '{}';
  if (typeof value !== 'object' || Array.isArray(value))
    throw userError('BAD_USER_INPUT', `The ${what} must be a JSON object ({"key": value}).`);
  return JSON.stringify(value);
}

function checkText(what: string, text: string | null | undefined, max = MAX_TEXT): string | null {
  if (text == null) return null;
  if (text.length > max) throw userError('BAD_USER_INPUT', `${what} is longer than ${max} characters.`);
  return text;
}

export function checkState(state: string | null | undefined): RunState | null {
  if (state == null || state === '') return null;
  const found = RUN_STATES.find((s) => s === state);
  if (!found) throw userError('BAD_USER_INPUT', `Run state "${state.slice(0, 40)}" is not one of ${RUN_STATES.join(', ')}.`);
  return found;
}

export interface UpsertRunInput {
  projectName: string | null | undefined;
  runName: string;
  displayName?: string | null;
  config?: string | null;
  summaryMetrics?: string | null;
  state?: string | null;
  host?: string | null;
  program?: string | null;
  jobType?: string | null;
  notes?: string | null;
}

/**
 * Creates or updates a run (and its team project when missing) in the entity a writer logs into
 * (runs/access.ts's requireRunWriter says who). Everything is checked before anything is written.
 */
export async function upsertRun(db: DB, writer: RunWriter, input: UpsertRunInput): Promise<{ run: Run; inserted: boolean }> {
  const projectName = checkProjectName(input.projectName ?? 'uncategorized');
  const runName = checkRunName(input.runName);
  const fields: RunFields = {
    displayName: checkText('displayName', input.displayName, 256),
    config: parseJsonObject('config', input.config),
    summary: parseJsonObject('summaryMetrics', input.summaryMetrics),
    state: checkState(input.state),
    host: checkText('host', input.host, 1024),
    program: checkText('program', input.program, 4096),
    jobType: checkText('jobType', input.jobType, 128),
    notes: checkText('notes', input.notes),
  };
  return db.transaction().execute(async (trx) => {
    const project = await ensureProject(trx, writer.entity.id, projectName);
    return upsertRunFields(trx, { projectId: project.id, name: runName, userId: writer.viewer.id, fields });
  });
}

// ---- reads

/** A run by id (a resumed run the SDK names by id only). */
export async function runById(db: DB, id: number): Promise<Run | undefined> {
  return (await runsByIds(db, [id]))[0];
}

/** History rows (JSON text), every n-th so that at most `samples` come back, always with the last one. */
export async function historySample(db: DB, run: Run, samples: number): Promise<string[]> {
  const count = run.history_line_count;
  if (count === 0) return [];
  const every = Math.max(1, Math.ceil(count / samples));
  const rows = await sampledLines(db, run.id, 'history', { every, last: count - 1, limit: samples + 1 });
  return rows.map((row) => row.content);
}

/** Console lines after line `after` (-1: from the start), one more than `first` to tell whether more follow. */
export function consoleLines(db: DB, run: Run, after: number, first: number) {
  return pageOfLines(db, run.id, 'output', after, first + 1);
}

/** Uploaded files of a run by name after `afterName`, one more than `first` to tell whether more follow. */
export function uploadedRunFiles(db: DB, run: Run, input: { names: readonly string[] | null; afterName: string | null; first: number }) {
  return listRunFiles(db, { runId: run.id, ...input });
}

// ---- run files

export const MAX_RUN_FILES_PER_CALL = 1000;

/** Upload URLs for the named files of a run the viewer writes to; each URL works once. */
export async function prepareRunFileUploads(db: DB, run: Run, names: readonly string[]): Promise<RunFile[]> {
  if (names.length > MAX_RUN_FILES_PER_CALL)
    throw userError('BAD_USER_INPUT', `Ask for at most ${MAX_RUN_FILES_PER_CALL} files at a time.`);
  // A run file's name is a relative path, like an artifact's files.
  const unique = [...new Set(names.map(validateFilePath))];
  return issueUploadTokens(
    db,
    run.id,
    unique.map((name) => ({ name, token: randomBytes(24).toString('base64url') })),
  );
}

// ---- file_stream

export const FILE_STREAM_LIMITS = {
  /** Request body. */
  bodyBytes: 10 * 1024 * 1024,
  /** One line of any file. */
  lineBytes: 1024 * 1024,
  /** Files in one request. */
  files: 8,
  /** Lines of one file in one request. */
  lines: 10_000,
};

const STREAMS: Record<string, RunStream | 'summary'> = {
  'wandb-history.jsonl': 'history',
  'wandb-events.jsonl': 'events',
  'output.log': 'output',
  'wandb-summary.json': 'summary',
};

export class FileStreamError extends Error {}

interface StreamChunk {
  stream: RunStream;
  offset: number;
  lines: string[];
}

interface ParsedStream {
  chunks: StreamChunk[];
  summary: string | null;
  complete: boolean;
  failed: boolean;
  exitcode: number | null;
}

const bad = (message: string) => new FileStreamError(message);

function jsonObjectLine(name: string, line: string): void {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw bad(`A line of ${name} is not JSON: each line is one JSON object.`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw bad(`A line of ${name} is not a JSON object.`);
}

/**
 * Checks a whole file_stream body before anything is stored: `{"files": {"<name>": {"offset": N,
 * "content": [lines]}}, "complete", "failed", "exitcode", "uploaded", "dropped"}`.
 */
export function parseFileStreamBody(body: unknown): ParsedStream {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw bad('The body must be a JSON object.');
  const { files = {}, complete = false, failed = false, exitcode = null } = body as Record<string, unknown>;
  if (files === null || typeof files !== 'object' || Array.isArray(files))
    throw bad('"files" must be an object of file name → {offset, content}.');
  if (typeof complete !== 'boolean' || typeof failed !== 'boolean') throw bad('"complete" and "failed" must be true or false.');
  if (exitcode !== null && !(Number.isSafeInteger(exitcode) && Math.abs(exitcode as number) < 2 ** 31))
    throw bad('"exitcode" must be an integer.');
  const entries = Object.entries(files as Record<string, unknown>);
  if (entries.length > FILE_STREAM_LIMITS.files) throw bad(`At most ${FILE_STREAM_LIMITS.files} files per request.`);
  const parsed: ParsedStream = { chunks: [], summary: null, complete, failed, exitcode: exitcode as number | null };
  for (const [name, value] of entries) {
    const stream = STREAMS[name];
    if (!stream) throw bad(`Unknown file "${name.slice(0, 100)}": file_stream takes ${Object.keys(STREAMS).join(', ')}.`);
    const { offset, content } = (value ?? {}) as { offset?: unknown; content?: unknown };
    if (!Number.isSafeInteger(offset) || (offset as number) < 0 || (offset as number) >= 2 ** 31 - FILE_STREAM_LIMITS.lines) {
      throw bad(`"offset" of ${name} must be a line number (0 or more).`);
    }
    if (!Array.isArray(content) || content.some((line) => typeof line !== 'string'))
      throw bad(`"content" of ${name} must be a list of strings.`);
    if (content.length > FILE_STREAM_LIMITS.lines) throw bad(`At most ${FILE_STREAM_LIMITS.lines} lines of ${name} per request.`);
    const lines = content as string[];
    for (const line of lines) {
      if (Buffer.byteLength(line, 'utf8') > FILE_STREAM_LIMITS.lineBytes)
        throw bad(`A line of ${name} is longer than ${FILE_STREAM_LIMITS.lineBytes} bytes.`);
    }
    if (stream === 'summary') {
      // Each line is the whole summary at that moment: the last one is current.
      const last = lines.at(-1);
      if (last !== undefined) {
        jsonObjectLine(name, last);
        parsed.summary = JSON.stringify(JSON.parse(last));
      }
      continue;
    }
    if (stream !== 'output') for (const line of lines) jsonObjectLine(name, line);
    // Console lines arrive with their newline; PostgreSQL text cannot hold NUL.
    const stored = stream === 'output' ? lines.map((line) => line.replace(/\r?\n$/, '').replaceAll('\u0000', '\uFFFD')) : lines;
    parsed.chunks.push({ stream, offset: offset as number, lines: stored });
  }
  return parsed;
}

/**
 * Stores one file_stream request in one transaction: when it answers, the lines are in the database.
 * Lines are keyed by offset, so a resent chunk is harmless. `complete` ends the run: finished when
 * the exit code is 0, failed otherwise; `failed` marks it crashed.
 */
export async function applyFileStream(db: DB, run: Run, body: ParsedStream): Promise<void> {
  const ends: StreamUpdate['ends'] = {};
  for (const chunk of body.chunks) ends[chunk.stream] = Math.max(ends[chunk.stream] ?? 0, chunk.offset + chunk.lines.length);
  let state: RunState | null = null;
  if (body.failed) state = 'crashed';
  else if (body.complete) state = body.exitcode === null || body.exitcode === 0 ? 'finished' : 'failed';
  await db.transaction().execute(async (trx) => {
    for (const chunk of body.chunks) await insertLines(trx, run.id, chunk.stream, chunk.offset, chunk.lines);
    await updateRunAfterStream(trx, run.id, { ends, summary: body.summary, state, exitcode: body.complete ? body.exitcode : null });
  });
}
