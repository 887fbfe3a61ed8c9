/** A `$regex` for the server's filters that finds the text anywhere, in any letter case. */
export function containsPattern(text: string): string {
  return `(?i)${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`;
}

/** A `$regex` for the server's filters that finds values starting with the text, in any letter case. */
export function startsWithPattern(text: string): string {
  return `(?i)^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`;
}
