import { listenForNotifications, type DB } from '../../db/database.js';
import { log } from '../../observability/log.js';
import { runDeliveryPass, type DeliveryOptions } from './delivery.js';

/** The channel the event trigger notifies when it queues events (migration 2026_12_07_0050). */
export const DELIVERY_CHANNEL = 'automation_events';

export interface DeliveryWorker {
  /** Stops listening and polling and waits for the pass under way to finish. */
  stop(): Promise<void>;
}

/**
 * Runs a delivery pass as soon as a change queues events (NOTIFY from the event trigger, on any server
 * of the database) and every `pollMs` besides: the poll reaches retries that fall due, and whatever a
 * lost notification would have missed. One pass at a time; a wake-up during a pass runs another after
 * it. main.ts starts it with the server.
 */
export function startDeliveryWorker(db: DB, options: Omit<DeliveryOptions, 'now'> & { pollMs: number }): DeliveryWorker {
  let stopped = false;
  let busy = false;
  let again = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();

  const tick = () => {
    clearTimeout(timer);
    busy = true;
    again = false;
    running = runDeliveryPass(db, options)
      .then(() => undefined)
      .catch((error: unknown) => log.error({ err: error }, 'webhook delivery pass failed; trying again'))
      .finally(() => {
        busy = false;
        if (stopped) return;
        timer = setTimeout(tick, again ? 0 : options.pollMs);
      });
  };
  const wake = () => {
    if (stopped) return;
    if (busy) {
      again = true;
      return;
    }
    clearTimeout(timer);
    timer = setTimeout(tick, 0);
  };
  timer = setTimeout(tick, options.pollMs);
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
      await running;
    },
  };
}
