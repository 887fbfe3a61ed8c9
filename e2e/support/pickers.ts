import { expect, type Locator } from '@playwright/test';

/** A searchable picker (ARIA combobox) inside `scope`, by its label. */
export function combobox(scope: Locator, label: string): Locator {
  return scope.getByRole('combobox', { name: label, exact: true });
}

/** The list of options a picker shows while open. */
export function listbox(scope: Locator, label: string): Locator {
  return scope.getByRole('listbox', { name: label, exact: true });
}

/**
 * Opens a picker, types `search` (the option's name when it is text: a list shows only its first
 * matches, and the suite's data grows) and picks the option named `option`.
 */
export async function choose(scope: Locator, label: string, option: string | RegExp, search?: string): Promise<void> {
  const box = combobox(scope, label);
  await box.click();
  const text = search ?? (typeof option === 'string' ? option : undefined);
  if (text !== undefined) await box.fill(text);
  // The list as the server answered the search, not the one before it.
  await expect(scope.getByText('Searching…')).toHaveCount(0);
  const choice = listbox(scope, label).getByRole('option', { name: option });
  await expect(choice).toHaveCount(1);
  await choice.click();
  await expect(box).toHaveAttribute('aria-expanded', 'false');
}
