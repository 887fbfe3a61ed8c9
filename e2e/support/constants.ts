/** Credentials of the e2e server's first start (see playwright.config.ts). */
export const E2E_ADMIN = { username: 'admin', password: 'e2e-admin-password' };
export const E2E_API_KEY = 'e2e0'.repeat(10);
/** The e2e server's port and origin: the session cookie counts only with this Origin. */
export const E2E_PORT = Number(process.env.E2E_PORT ?? 4180);
export const E2E_ORIGIN = `http://127.0.0.1:${E2E_PORT}`;
