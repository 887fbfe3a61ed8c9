import type {
  Alias,
  ApiKey,
  Artifact,
  ArtifactFile,
  Collection,
  Entity,
  Membership,
  Organization,
  Project,
  Run,
  User,
} from '../db/tables.js';
import { builder } from './builder.js';

// Object refs live here so modules can point at each other's types without import cycles;
// each module implements its own.
export const UserRef = builder.objectRef<User>('User');
export const ApiKeyRef = builder.objectRef<ApiKey>('ApiKey');
export const OrganizationRef = builder.objectRef<Organization>('Organization');
export const EntityRef = builder.objectRef<Entity>('Entity');
export const ProjectRef = builder.objectRef<Project>('Project');

// Registry API types (see docs in each module): collections are sequences (source) or portfolios
// (registry), both `ArtifactCollection`; a version inside one is an `ArtifactCollectionMembership`.
export const ArtifactCollectionRef = builder.interfaceRef<Collection>('ArtifactCollection');
export const ArtifactSequenceRef = builder.objectRef<Collection>('ArtifactSequence');
export const ArtifactPortfolioRef = builder.objectRef<Collection>('ArtifactPortfolio');
export const ArtifactRef = builder.objectRef<Artifact>('Artifact');
export const MembershipRef = builder.objectRef<Membership>('ArtifactCollectionMembership');
export const RunRef = builder.objectRef<Run>('Run');
export const FileRef = builder.objectRef<ArtifactFile>('File');

/** An artifact type of a project (a registry's allowed type, or a type used in a team project). */
export interface ArtifactTypeShape {
  projectId: number;
  name: string;
  createdAt: Date;
}
export const ArtifactTypeRef = builder.objectRef<ArtifactTypeShape>('ArtifactType');
/** A tag on a collection or an artifact version; tags are plain names. */
export interface TagShape {
  name: string;
}
export const TagRef = builder.objectRef<TagShape>('Tag');
/** An alias row: unique in its collection, on one membership (implemented in collections). */
export const ArtifactAliasRef = builder.objectRef<Alias>('ArtifactAlias');
