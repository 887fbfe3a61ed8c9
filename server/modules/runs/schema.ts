// The runs module's GraphQL: the SDK's run documents (UpsertBucket, CreateRunFiles, RunUploadUrls,
// RunStoppedStatus) and the run page's reads (state, config, summary, history, console, files).
import { randomBytes } from 'node:crypto';
import type { RunFile } from '../../db/tables.js';
import { builder, connection, selectsPath, type Page } from '../../graphql/builder.js';
import { decodeCursor, encodeCursor, pageSize } from '../../graphql/cursor.js';
import { userError } from '../../graphql/errors.js';
import { decodeId, encodeId } from '../../graphql/ids.js';
import { ProjectRef, RunRef } from '../../graphql/refs.js';
import { projectByPath } from '../registries/service.js';
import { canSeeProject } from '../registries/access.js';
import { canWrite, requireRunWriter, requireWritableRun } from './access.js';
import { origin } from '../artifacts/urls.js';
import { signPath } from '../artifacts/signing.js';
import {
  consoleLines,
  historySample,
  MAX_RUN_FILES_PER_CALL,
  prepareRunFileUploads,
  runById,
  uploadedRunFiles,
  upsertRun,
} from './service.js';
import { runOfProject } from '../artifacts/service.js';
import { entityLoader } from '../organization/loaders.js';
import { projectLoader } from '../registries/loaders.js';

// ---- server settings (the SDK probes the type, then asks UpsertBucket for its messages)

const ServerMessage = builder.simpleObject('ServerMessage', {
  description: "A message the server shows in the SDK's console. This server has none.",
  fields: (t) => ({
    utfText: t.string({ nullable: true }),
    plainText: t.string({ nullable: true }),
    htmlText: t.string({ nullable: true }),
    messageType: t.string({ nullable: true }),
    messageLevel: t.string({ nullable: true }),
  }),
});

const ServerSettings = builder.simpleObject('ServerSettings', {
  fields: (t) => ({ serverMessages: t.field({ type: [ServerMessage] }) }),
});

// ---- UpsertBucket (a run)

const UpsertBucketInput = builder.inputType('UpsertBucketInput', {
  fields: (t) => ({
    id: t.string(),
    name: t.string(),
    groupName: t.string(),
    modelName: t.string(),
    entityName: t.string(),
    description: t.string(),
    displayName: t.string(),
    notes: t.string(),
    config: t.field({ type: 'JSONString' }),
    commit: t.string(),
    host: t.string(),
    debug: t.boolean(),
    jobProgram: t.string(),
    jobRepo: t.string(),
    jobType: t.string(),
    state: t.string(),
    sweep: t.string(),
    tags: t.stringList(),
    summaryMetrics: t.field({ type: 'JSONString' }),
  }),
});

const UpsertBucketPayload = builder.simpleObject('UpsertBucketPayload', {
  fields: (t) => ({
    bucket: t.field({ type: RunRef, nullable: true }),
    inserted: t.boolean({ nullable: true }),
    serverSettings: t.field({ type: ServerSettings }),
  }),
});

builder.mutationField('upsertBucket', (t) =>
  t.field({
    type: UpsertBucketPayload,
    nullable: true,
    description:
      'Creates or updates a run (and its team project when missing) in an entity the viewer may write to: config, summary and state replace what is stored when given.',
    args: { input: t.arg({ type: UpsertBucketInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      // The sidecar names the run; an id alone (a resumed run) means the run it was given before.
      const byId = !input.name && input.id ? await runById(ctx.db, decodeId(input.id, 'Run')) : undefined;
      if (!input.name && input.id && !byId) throw userError('NOT_FOUND', 'No run has this id: send the run name instead.');
      const writer = await requireRunWriter(ctx, input.entityName);
      const { run, inserted } = await upsertRun(ctx.db, writer, {
        projectName: input.modelName,
        runName: input.name ?? byId?.name ?? randomBytes(4).toString('hex'),
        displayName: input.displayName,
        config: input.config,
        summaryMetrics: input.summaryMetrics,
        state: input.state,
        host: input.host,
        program: input.jobProgram,
        jobType: input.jobType,
        notes: input.notes,
      });
      return { bucket: run, inserted, serverSettings: { serverMessages: [] } };
    },
  }),
);

// ---- run files

const RunFileRef = builder.objectRef<RunFile>('RunFile').implement({
  description: 'A file of a run (metadata, requirements, console log, summary, anything saved with wandb.save).',
  fields: (t) => ({
    id: t.id({ resolve: (f) => encodeId('RunFile', f.id) }),
    name: t.exposeString('name'),
    sizeBytes: t.field({ type: 'Int64', resolve: (f) => Number(f.size) }),
    md5: t.string({ nullable: true, description: 'Hex MD5 of the content.', resolve: (f) => f.md5 }),
    updatedAt: t.field({ type: 'DateTime', nullable: true, resolve: (f) => f.updated_at }),
    url: t.string({
      nullable: true,
      description:
        'With upload: true, where to PUT the content (once; only for those who may write the run). Otherwise a signed download URL that works for an hour, null until uploaded.',
      args: { upload: t.arg.boolean() },
      resolve: (f, { upload }, ctx) => (upload ? uploadUrlOf(ctx, f) : downloadUrlOf(ctx, f)),
    }),
    directUrl: t.string({
      nullable: true,
      description: 'A signed download URL (an hour).',
      resolve: (f, _args, ctx) => downloadUrlOf(ctx, f),
    }),
  }),
});

const runUploadUrl = (ctx: Parameters<typeof origin>[0], token: string) => `${origin(ctx)}/files/run-upload/${token}`;

function uploadUrlOf(ctx: Parameters<typeof origin>[0], f: RunFile): string | null {
  // Tokens are only ever issued to writers, in this same request.
  return f.upload_token ? runUploadUrl(ctx, f.upload_token) : null;
}

async function downloadUrlOf(ctx: Parameters<typeof origin>[0], f: RunFile): Promise<string | null> {
  return f.blob ? origin(ctx) + (await signPath(ctx.db, `/files/runs/${f.run_id}/files/${f.id}`)) : null;
}

const RunFileConnection = connection('RunFile', RunFileRef, { totalCount: false });
builder.objectFields(RunFileConnection, (t) => ({
  uploadHeaders: t.stringList({ description: 'Headers to send with each upload: none.', resolve: () => [] }),
}));

const RunFileUploadUrl = builder.simpleObject('RunFileUploadUrl', {
  fields: (t) => ({ name: t.string(), uploadUrl: t.string({ nullable: true }) }),
});

const CreateRunFilesPayload = builder.simpleObject('CreateRunFilesPayload', {
  fields: (t) => ({
    runID: t.id(),
    uploadHeaders: t.stringList(),
    files: t.field({ type: [RunFileUploadUrl] }),
  }),
});

const CreateRunFilesInput = builder.inputType('CreateRunFilesInput', {
  fields: (t) => ({
    entityName: t.string({ required: true }),
    projectName: t.string({ required: true }),
    runName: t.string({ required: true }),
    files: t.stringList({ required: true }),
    clientMutationId: t.string(),
  }),
});

builder.mutationField('createRunFiles', (t) =>
  t.field({
    type: CreateRunFilesPayload,
    nullable: true,
    description: `Upload URLs for files of a run (at most ${MAX_RUN_FILES_PER_CALL} a call); each works once.`,
    args: { input: t.arg({ type: CreateRunFilesInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const run = await requireWritableRun(ctx, input.entityName, input.projectName, input.runName);
      const files = await prepareRunFileUploads(ctx.db, run, input.files);
      return {
        runID: encodeId('Run', run.id),
        uploadHeaders: [],
        files: files.map((f) => ({ name: f.name, uploadUrl: uploadUrlOf(ctx, f) })),
      };
    },
  }),
);

// ---- the legacy path: model(name, entityName) { bucket(name) { files(names) { … url(upload: true) } } }

builder.queryField('model', (t) =>
  t.field({
    type: ProjectRef,
    nullable: true,
    description: 'The project by its old name in the SDK (RunUploadUrls); same as project.',
    args: { name: t.arg.string(), entityName: t.arg.string() },
    resolve: async (_r, { name, entityName }, ctx) => {
      if (!name || !entityName) return null;
      const found = await projectByPath(ctx.db, entityName, name);
      if (!found || !(await canSeeProject(ctx, found.project, found.entity))) return null;
      projectLoader(ctx).prime(found.project.id, found.project);
      entityLoader(ctx).prime(found.entity.id, found.entity);
      return found.project;
    },
  }),
);

builder.objectFields(ProjectRef, (t) => ({
  bucket: t.field({
    type: RunRef,
    nullable: true,
    description: "A run by name (the SDK's old name for run).",
    args: { name: t.arg.string({ required: true }), desc: t.arg.string(), missingOk: t.arg.boolean() },
    resolve: (p, { name }, ctx) => runOfProject(ctx, p, name),
  }),
}));

// ---- what a run shows

const LogLineRef = builder.objectRef<{ runId: number; line: number; content: string }>('LogLine').implement({
  description: 'A line of the console output (output.log).',
  fields: (t) => ({
    id: t.id({ resolve: (l) => encodeId('LogLine', `${l.runId}-${l.line}`) }),
    number: t.int({ description: 'Its line number, from 0.', resolve: (l) => l.line }),
    line: t.exposeString('content'),
    level: t.string({ nullable: true, resolve: () => null }),
  }),
});
const LogLineConnection = connection('LogLine', LogLineRef);

const MAX_SAMPLES = 5000;

builder.objectFields(RunRef, (t) => ({
  state: t.string({ description: 'running, finished, failed or crashed.', resolve: (r) => r.state }),
  stopped: t.boolean({ description: 'Whether someone asked the run to stop: never, on this server.', resolve: () => false }),
  exitcode: t.int({ nullable: true, resolve: (r) => r.exitcode }),
  summaryMetrics: t.field({ type: 'JSONString', resolve: (r) => r.summary }),
  heartbeatAt: t.field({ type: 'DateTime', nullable: true, resolve: (r) => r.heartbeat_at }),
  updatedAt: t.field({ type: 'DateTime', resolve: (r) => r.updated_at }),
  host: t.string({ nullable: true, resolve: (r) => r.host }),
  program: t.string({ nullable: true, resolve: (r) => r.program }),
  jobType: t.string({ nullable: true, resolve: (r) => r.job_type }),
  notes: t.string({ nullable: true, resolve: (r) => r.notes }),
  eventsLineCount: t.int({ resolve: (r) => r.events_line_count }),
  logLineCount: t.int({ description: 'Lines of console output.', resolve: (r) => r.output_line_count }),
  history: t.field({
    type: ['JSONString'],
    description: `History rows (one JSON object each), evenly sampled down to at most \`samples\` (default 500, at most ${MAX_SAMPLES}); the last row is always in.`,
    args: { samples: t.arg.int() },
    resolve: async (r, { samples }, ctx) => {
      const wanted = samples ?? 500;
      if (!Number.isInteger(wanted) || wanted < 1 || wanted > MAX_SAMPLES)
        throw userError('BAD_USER_INPUT', `"samples" must be between 1 and ${MAX_SAMPLES}.`);
      return historySample(ctx.db, r, wanted);
    },
  }),
  logLines: t.field({
    type: LogLineConnection,
    description: 'The console output, in order, a page at a time.',
    args: { after: t.arg.string(), first: t.arg.int() },
    resolve: async (r, args, ctx): Promise<Page<{ runId: number; line: number; content: string }>> => {
      const first = pageSize(args.first);
      const after = decodeCursor(args.after)?.id ?? -1;
      const rows = await consoleLines(ctx.db, r, after, first);
      const page = rows.slice(0, first).map((row) => ({ runId: r.id, ...row }));
      return { hasNextPage: rows.length > first, edges: page.map((node) => ({ node, cursor: encodeCursor({ v: null, id: node.line }) })) };
    },
  }),
  files: t.field({
    type: RunFileConnection,
    description:
      "Its uploaded files by name. With `names` and `url(upload: true)` selected, a writer gets an upload URL for each name (the SDK's RunUploadUrls).",
    // The SDK declares its list as [String]!.
    args: { names: t.arg.stringList({ required: { list: false, items: false } }), after: t.arg.string(), first: t.arg.int() },
    resolve: async (r, args, ctx, info): Promise<Page<RunFile>> => {
      const names = args.names ? args.names.filter((n): n is string => n !== null) : null;
      if (names && names.length > MAX_RUN_FILES_PER_CALL)
        throw userError('BAD_USER_INPUT', `Ask for at most ${MAX_RUN_FILES_PER_CALL} files at a time.`);
      if (names && selectsPath(info, ['edges', 'node', 'url']) && (await canWrite(ctx, r))) {
        const files = await prepareRunFileUploads(ctx.db, r, names);
        return { hasNextPage: false, edges: files.map((node) => ({ node, cursor: encodeCursor({ v: node.name, id: node.id }) })) };
      }
      const first = pageSize(args.first);
      const after = decodeCursor(args.after);
      const rows = await uploadedRunFiles(ctx.db, r, { names, afterName: after ? String(after.v) : null, first });
      const page = rows.slice(0, first);
      return {
        hasNextPage: rows.length > first,
        edges: page.map((node) => ({ node, cursor: encodeCursor({ v: node.name, id: node.id }) })),
      };
    },
  }),
}));
