import { aliasProblem, aliasUseProblem, nameProblem, newCollectionNameProblem, runNameProblem, tagProblem } from '../../shared/names.js';
import { userError } from './errors.js';

// The shared naming rules as the API applies them: a name that breaks one is the caller's to fix.

function check<T extends string>(value: T, problem: string | undefined): T {
  if (problem) throw userError('BAD_USER_INPUT', problem);
  return value;
}

export const validateName = (kind: string, name: string): string => check(name, nameProblem(kind, name));
/** The name of a registry collection about to be made (or renamed). */
export const validateNewCollectionName = (name: string): string => check(name, newCollectionNameProblem(name));
export const validateAlias = (alias: string): string => check(alias, aliasProblem(alias));
/** An alias to put on a version (`linking`: by a link or a log, which set `latest` themselves). */
export const validateAliasUse = (alias: string, linking: boolean): string => check(alias, aliasUseProblem(alias, linking));
export const validateTag = (tag: string): string => check(tag, tagProblem(tag));
export const checkRunName = (name: string): string => check(name, runNameProblem(name));
