import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';
import { createUser, signInFrom } from '../support/users.js';

// Timed: it compares wall-clock times, so it runs alone, after the other files (vitest.config.ts).

const PASSWORD = 'a long enough password';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const login = (username: string, password: string, clientAddress: string) => signInFrom(t, username, password, clientAddress);

describe('timing', () => {
  it('an unknown user takes as long as a known user with a wrong password (medians of interleaved tries)', async () => {
    await createUser(t, { username: 'timed', password: PASSWORD });
    const known: number[] = [];
    const unknown: number[] = [];
    const time = async (username: string, address: string) => {
      const start = performance.now();
      const response = await login(username, 'a wrong password', address);
      const ms = performance.now() - start;
      expect(response.status).toBe(401);
      return ms;
    };
    // Interleaved, each from its own address (no lock), so load on the machine hits both alike.
    for (let i = 0; i < 5; i++) {
      known.push(await time('timed', `100.64.0.${i}`));
      unknown.push(await time(`nobody-${i}`, `100.64.1.${i}`));
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const ratio = median(unknown) / median(known);
    // Before, an unknown user answered about 15 times faster; now both hash once.
    expect(ratio, `unknown ${median(unknown).toFixed(0)} ms, known ${median(known).toFixed(0)} ms`).toBeGreaterThan(0.6);
    expect(ratio).toBeLessThan(1.6);
    // Ten hashes at today's cost take their time on a busy machine.
  }, 180_000);
});
