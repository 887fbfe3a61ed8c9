import { basicAuth, type SeedClient } from './client.js';

// The run documents of wandb v0.20.1 exactly as it sends them (recorded: run-v0.20.1.jsonl), and a
// file_stream helper that posts like the SDK (API key as HTTP Basic).

export const PROBE_SERVER_SETTINGS = `query ProbeServerSettings {
  ServerSettingsType: __type(name: "ServerSettings") {
    ...fieldData
  }
}

fragment fieldData on __Type {
  fields {
    name
  }
}
`;

export const UPSERT_BUCKET = `mutation UpsertBucket($id: String, $name: String, $project: String, $entity: String, $groupName: String, $description: String, $displayName: String, $notes: String, $commit: String, $config: JSONString, $host: String, $debug: Boolean, $program: String, $repo: String, $jobType: String, $state: String, $sweep: String, $tags: [String!], $summaryMetrics: JSONString) {
  upsertBucket(input: {id: $id, name: $name, groupName: $groupName, modelName: $project, entityName: $entity, description: $description, displayName: $displayName, notes: $notes, config: $config, commit: $commit, host: $host, debug: $debug, jobProgram: $program, jobRepo: $repo, jobType: $jobType, state: $state, sweep: $sweep, tags: $tags, summaryMetrics: $summaryMetrics}) {
    bucket {
      id
      name
      displayName
      description
      config
      sweepName
      project {
        id
        name
        entity {
          id
          name
        }
      }
      historyLineCount
    }
    inserted
    serverSettings {
      serverMessages {
        utfText
        plainText
        htmlText
        messageType
        messageLevel
      }
    }
  }
}
`;

export const RUN_UPLOAD_URLS = `query RunUploadUrls($name: String!, $files: [String]!, $entity: String, $run: String!, $description: String) {
  model(name: $name, entityName: $entity) {
    bucket(name: $run, desc: $description) {
      id
      files(names: $files) {
        uploadHeaders
        edges {
          node {
            name
            url(upload: true)
            updatedAt
          }
        }
      }
    }
  }
}
`;

export const RUN_STOPPED_STATUS = `query RunStoppedStatus($projectName: String, $entityName: String, $runId: String!) {
  project(name: $projectName, entityName: $entityName) {
    run(name: $runId) {
      stopped
    }
  }
}
`;

export const CREATE_RUN_FILES = `
        mutation CreateRunFiles($entity: String!, $project: String!, $run: String!, $files: [String!]!) {
            createRunFiles(input: {entityName: $entity, projectName: $project, runName: $run, files: $files}) {
                runID
                uploadHeaders
                files {
                    name
                    uploadUrl
                }
            }
        }
        `;

/** The variables of UpsertBucket as the SDK fills them, with overrides. */
export function upsertBucketVariables(overrides: Record<string, unknown>): Record<string, unknown> {
  return {
    id: null,
    entity: null,
    name: null,
    project: null,
    groupName: null,
    tags: null,
    description: null,
    config: null,
    commit: null,
    displayName: null,
    notes: null,
    host: null,
    debug: false,
    repo: null,
    program: null,
    jobType: null,
    state: null,
    sweep: null,
    summaryMetrics: null,
    ...overrides,
  };
}

/** POSTs a file_stream body for entity/project/run the way the SDK does. */
export function fileStream(t: Pick<SeedClient, 'request'>, path: string, body: unknown, key: string | null): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (key !== null) headers.authorization = basicAuth(key);
  return t.request(`/files/${path}/file_stream`, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
}
