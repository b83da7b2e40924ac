/** The app's single API client, with tokens in localStorage and a session-expiry signal. */
import { ApiClient, browserTokenStore } from "./client";

type Listener = () => void;
const expiryListeners = new Set<Listener>();

/** Subscribe to "the session expired and could not be refreshed"; returns the unsubscribe. */
export function onSessionExpired(listener: Listener): () => void {
  expiryListeners.add(listener);
  return () => {
    expiryListeners.delete(listener);
  };
}

export const api = new ApiClient({
  tokens: browserTokenStore(),
  onSessionExpired: () => {
    for (const listener of expiryListeners) listener();
  },
});
