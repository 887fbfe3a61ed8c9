import type { ApiKey, Entity, Organization, Project, User } from '../db/tables.js';
import { builder } from './builder.js';

// Object refs live here so modules can point at each other's types without import cycles;
// each module implements its own.
export const UserRef = builder.objectRef<User>('User');
export const ApiKeyRef = builder.objectRef<ApiKey>('ApiKey');
export const OrganizationRef = builder.objectRef<Organization>('Organization');
export const EntityRef = builder.objectRef<Entity>('Entity');
export const ProjectRef = builder.objectRef<Project>('Project');
