import type { AppInfo } from '../../src-shared/api';
import type { ApiClient } from '../api/client';

/** What the backend reported about itself, plus whether we can reach it right now. */
export class AppInfoStore {
  info = $state<AppInfo | null>(null);
  error = $state<string | null>(null);
  connected = $state(true);

  constructor(private readonly client: ApiClient) {}

  get host() {
    return this.client.host;
  }

  /** Loads the info and follows the connection; returns the cleanup for an effect. */
  start(): () => void {
    void this.refresh();
    return this.client.onConnectionChange((connected) => {
      this.connected = connected;
      if (connected) void this.refresh();
    });
  }

  async refresh(): Promise<void> {
    try {
      this.info = await this.client.api.invoke('app.info', {});
      this.error = null;
      this.connected = true;
    } catch (error) {
      this.error = error instanceof Error ? error.message : String(error);
    }
  }
}
