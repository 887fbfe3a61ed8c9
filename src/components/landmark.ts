/**
 * The landmark a menu's portal opens in: the page's main region, or the banner for the user menu. Radix portals
 * default to the end of <body>, outside every landmark, where screen-reader users navigating by landmark miss it.
 */
export function landmark(which: 'main' | 'banner'): HTMLElement | null {
  return document.querySelector(which === 'main' ? 'main' : 'header');
}
