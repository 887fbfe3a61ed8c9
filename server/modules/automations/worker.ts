import { listenForNotifications, type DB } from '../../db/database.js';
import { log } from '../../observability/log.js';
import { runDeliveryPass, type DeliveryOptions } from './delivery.js';

/** The channel the event trigger notifies when it queues events (migration 2026_12_07_0050). */
export const DELIVERY_CHANNEL = 'automation_events';

export interface DeliveryWorker {
  /** Stops listening and polling and waits for the pass under way to finish. */
  stop(): Promise<void>;
}

/** Passes one server runs at once: a receiver slow to answer holds up only the deliveries of its own pass. */
const MAX_PASSES = 4;

/**
 * Runs a delivery pass as soon as a change queues events (NOTIFY from the event trigger, on any server
 * of the database) and every `pollMs` besides: the poll reaches retries that fall due, and whatever a
 * lost notification would have missed. Passes claim disjoint rows (SKIP LOCKED and a lease), so up to
 * MAX_PASSES run at once; a wake-up beyond that runs one more when a pass ends. main.ts starts it with
 * the server.
 */
export function startDeliveryWorker(db: DB, options: Omit<DeliveryOptions, 'now'> & { pollMs: number }): DeliveryWorker {
  let stopped = false;
  let again = false;
  let timer: NodeJS.Timeout | undefined;
  const passes = new Set<Promise<void>>();

  const start = () => {
    again = false;
    const pass: Promise<void> = runDeliveryPass(db, options)
      .then(() => undefined)
      .catch((error: unknown) => log.error({ err: error }, 'webhook delivery pass failed; trying again'))
      .finally(() => {
        passes.delete(pass);
        if (!stopped && again) start();
      });
    passes.add(pass);
  };
  const wake = () => {
    if (stopped) return;
    if (passes.size >= MAX_PASSES) again = true;
    else start();
  };
  const poll = () => {
    wake();
    timer = setTimeout(poll, options.pollMs);
  };
  timer = setTimeout(poll, options.pollMs);
  const listening = listenForNotifications(db, DELIVERY_CHANNEL, wake).catch((error: unknown) => {
    log.warn({ err: error }, 'webhook deliveries: not listening for notifications; polling only');
    return async () => undefined;
  });

  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await (
        await listening
      )();
      await Promise.all(passes);
    },
  };
}
