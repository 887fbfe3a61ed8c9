// The artifacts module's GraphQL: the types (Artifact, File, Run, manifests) and the SDK's write path.
import './types.js';
import './mutations.js';
