import type { DB } from '../../db/database.js';
import { log } from '../../observability/log.js';
import { runDeliveryPass, type DeliveryOptions } from './delivery.js';

export interface DeliveryWorker {
  /** Stops polling and waits for the pass under way to finish. */
  stop(): Promise<void>;
}

/** Runs delivery passes every `pollMs` until stopped (main.ts starts it with the server). */
export function startDeliveryWorker(db: DB, options: Omit<DeliveryOptions, 'now'> & { pollMs: number }): DeliveryWorker {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();

  const tick = () => {
    running = runDeliveryPass(db, options)
      .then(() => undefined)
      .catch((error: unknown) => log.error({ err: error }, 'webhook delivery pass failed; trying again'))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, options.pollMs);
      });
  };
  timer = setTimeout(tick, options.pollMs);

  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
