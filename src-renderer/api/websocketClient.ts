import {
  apiChannels,
  apiEvents,
  ServerMessage,
  TOKEN_PARAM,
  WS_PATH,
  type ChannelName,
  type EventName,
  type EventPayloadOf,
  type NetwrightApi,
  type RequestOf,
  type ResponseOf,
} from '../../src-shared/api';

type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void };
type ConnectionListener = (connected: boolean) => void;

/** Thrown when the backend answers with an error: its message is meant for the user. */
export class BackendError extends Error {
  constructor(message: string, readonly code: string) {
    super(message);
    this.name = 'BackendError';
  }
}

/**
 * The address Netwright printed carries the access token; the server answered it with the token
 * cookie. Once a connection has proved the cookie works, the token has no business in the
 * address bar, the history or a bookmark: a reload authenticates with the cookie.
 */
function dropTokenFromAddress(): void {
  const address = new URL(location.href);
  if (!address.searchParams.has(TOKEN_PARAM)) return;
  address.searchParams.delete(TOKEN_PARAM);
  history.replaceState(history.state, '', address);
}

/**
 * The web host's client: the contract over one WebSocket, with reconnection.
 * The access token travels in the cookie the server set when the page was opened.
 */
export class WebSocketApi implements NetwrightApi {
  private opened: Promise<WebSocket> | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Map<string, Set<(payload: unknown) => void>>();
  private readonly connectionListeners = new Set<ConnectionListener>();

  constructor(private readonly url: string = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${WS_PATH}`) {}

  async invoke<C extends ChannelName>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>> {
    const socket = await this.connect();
    const id = this.nextId++;
    const payload = await new Promise<unknown>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      socket.send(JSON.stringify({ kind: 'request', id, channel, payload: request }));
    });
    return apiChannels[channel].response.parse(payload) as ResponseOf<C>;
  }

  on<E extends EventName>(event: E, listener: (payload: EventPayloadOf<E>) => void): () => void {
    const set = this.listeners.get(event) ?? new Set();
    const wrapped = (payload: unknown) => listener(apiEvents[event].parse(payload) as EventPayloadOf<E>);
    set.add(wrapped);
    this.listeners.set(event, set);
    void this.connect().catch(() => undefined);
    return () => set.delete(wrapped);
  }

  /** Connection state changes (for the status bar). Returns an unsubscribe function. */
  onConnectionChange(listener: ConnectionListener): () => void {
    this.connectionListeners.add(listener);
    return () => this.connectionListeners.delete(listener);
  }

  private connect(): Promise<WebSocket> {
    if (this.opened) return this.opened;
    this.opened = new Promise((resolve, reject) => {
      const socket = new WebSocket(this.url);
      socket.onopen = () => {
        dropTokenFromAddress();
        this.connectionListeners.forEach((l) => l(true));
        resolve(socket);
      };
      socket.onmessage = (message) => this.receive(String(message.data));
      socket.onerror = () => reject(new BackendError('Cannot reach the Netwright backend. Is `npm start` still running?', 'disconnected'));
      socket.onclose = () => this.handleClose();
    });
    return this.opened;
  }

  private handleClose(): void {
    this.opened = null;
    for (const { reject } of this.pending.values()) reject(new BackendError('The connection to the Netwright backend was lost.', 'disconnected'));
    this.pending.clear();
    this.connectionListeners.forEach((l) => l(false));
    // Come back by ourselves once the backend is there again (e.g. after a restart).
    setTimeout(() => void this.connect().catch(() => undefined), 2000);
  }

  private receive(text: string): void {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return;
    }
    const parsed = ServerMessage.safeParse(json);
    if (!parsed.success) return;
    const message = parsed.data;
    if (message.kind === 'event') {
      this.listeners.get(message.event)?.forEach((l) => l(message.payload));
      return;
    }
    const waiting = this.pending.get(message.id);
    if (!waiting) return;
    this.pending.delete(message.id);
    if (message.ok) waiting.resolve(message.payload);
    else waiting.reject(new BackendError(message.error.message, message.error.code));
  }
}
