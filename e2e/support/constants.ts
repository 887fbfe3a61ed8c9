/** Credentials of the e2e server's first start (see playwright.config.ts). */
export const E2E_ADMIN = { username: 'admin', password: 'e2e-admin-password' };
export const E2E_API_KEY = 'e2e0'.repeat(10);
