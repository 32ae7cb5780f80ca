import { checkPageMessage, type HostMessage, type PageMessage } from './protocol';

export type PageRequest = Exclude<PageMessage, { type: 'ready' }>;

/**
 * The host's side of one webview page: nothing is posted before the page says `ready` (a message posted to a page
 * still loading is lost), and every `ready` (a hidden page that VS Code reloaded) gets the current state again.
 */
export class PageSession {
  private ready = false;

  constructor(
    private readonly post: (message: HostMessage) => unknown,
    /** What the page needs to draw itself from scratch. */
    private readonly current: () => HostMessage[],
    private readonly handle: (request: PageRequest) => void,
    /** A message that failed its check: logged by the caller, never acted on. */
    private readonly refuse: (reason: string) => void,
  ) {}

  send(message: HostMessage): void {
    if (this.ready) this.post(message);
  }

  receive(raw: unknown): void {
    const checked = checkPageMessage(raw);
    if (!checked.ok) return this.refuse(checked.error);
    if (checked.message.type !== 'ready') return this.handle(checked.message);
    this.ready = true;
    for (const message of this.current()) this.post(message);
  }

  /** The page went away (VS Code reloads a hidden page unless it retains its context); the next `ready` redraws it. */
  reset(): void {
    this.ready = false;
  }
}
