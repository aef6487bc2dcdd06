// Polling while something moves: schedule(true) asks for one more tick after `ms`; stop() ends it for good.
import { showError } from './notices.js';

export function poller(tick, ms) {
  let timer = null;
  let stopped = false;
  const self = {
    schedule(again) {
      clearTimeout(timer);
      if (!again || stopped) return;
      timer = setTimeout(async () => {
        try {
          await tick();
        } catch (error) {
          if (error?.name === 'AbortError') return;
          showError(error);
          // Keep watching, more slowly, until the API answers again.
          timer = setTimeout(() => self.schedule(true), ms * 4);
        }
      }, ms);
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
  return self;
}
