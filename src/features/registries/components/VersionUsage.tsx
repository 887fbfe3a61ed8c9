import { CopyButton } from './CopyButton';

interface Props {
  /** `ORG/wandb-registry-R/C:vN`, as the SDK addresses the version. */
  path: string;
  entityName: string;
  projectName: string;
  /** `C:vN`, as the GraphQL API addresses it inside the registry. */
  nameInRegistry: string;
  canDownload: boolean;
}

function Snippet({ title, code }: { title: string; code: string }) {
  return (
    <section className="snippet" aria-label={title}>
      <header className="snippet__header">
        <h3 className="snippet__title">{title}</h3>
        <CopyButton text={code} label={`Copy ${title}`} />
      </header>
      {/* Focusable: long lines scroll sideways, and keyboard users must be able to scroll too. */}
      <pre className="snippet__code" tabIndex={0}>
        <code>{code}</code>
      </pre>
    </section>
  );
}

/** The Usage tab: how a script fetches this version, with the SDK or plain HTTP. */
export function VersionUsage({ path, entityName, projectName, nameInRegistry, canDownload }: Props) {
  if (!canDownload) {
    return (
      <p className="panel panel--info" role="note">
        Restricted viewers cannot download this version’s files, so there is no usage snippet for you. A registry admin can give you the
        viewer role.
      </p>
    );
  }
  const api = `import wandb

artifact = wandb.Api().artifact("${path}")
path = artifact.download()`;
  const run = `import wandb

with wandb.init(project="<your-project>") as run:
    artifact = run.use_artifact("${path}")
    path = artifact.download()`;
  const query = `{ project(entityName: ${JSON.stringify(entityName)}, name: ${JSON.stringify(projectName)}) { artifactCollectionMembership(name: ${JSON.stringify(nameInRegistry)}) { version files { edges { node { name sizeBytes directUrl } } } } } }`;
  const curl = `curl -s -u "api:$REGISTRY_API_KEY" \\
  -H 'content-type: application/json' \\
  ${window.location.origin}/graphql \\
  -d '${JSON.stringify({ query })}'`;
  return (
    <div className="stack">
      <p className="muted">
        Scripts sign in with an API key (create one under API keys in your user menu). Point the wandb SDK at this server with{' '}
        <code>WANDB_BASE_URL={window.location.origin}</code>.
      </p>
      <Snippet title="Python: wandb.Api" code={api} />
      <Snippet title="Python: in a run" code={run} />
      <Snippet title="curl" code={curl} />
    </div>
  );
}
