import { PageSession, type PageRequest } from './pageSession';
import type { HostMessage } from './protocol';
import { resultModel, type AnyResultView } from './resultView';

/** Events kept for a page that reloads mid-run: far more than a run's attempts and tables. */
export const MAX_KEPT_EVENTS = 500;

/** One result panel's state on the host: the latest result and the events of the run in progress since. */
export class ResultSession {
  private view: AnyResultView;
  private events: unknown[] = [];
  private readonly page: PageSession;

  constructor(view: AnyResultView, post: (message: HostMessage) => unknown, handle: (request: PageRequest) => void, refuse: (reason: string) => void) {
    this.view = view;
    this.page = new PageSession(post, () => this.snapshot(), handle, refuse);
  }

  /** The result shown now (a button acts on it). */
  get current(): AnyResultView {
    return this.view;
  }

  /** A new result (a re-run finished): it replaces the old one and the events that led to it. */
  show(view: AnyResultView): void {
    this.view = view;
    this.events = [];
    this.page.send({ type: 'show', model: resultModel(view) });
  }

  event(event: unknown): void {
    if (typeof event !== 'object' || event === null) return;
    if (this.events.length < MAX_KEPT_EVENTS) this.events.push(event);
    this.page.send({ type: 'event', event });
  }

  receive(raw: unknown): void {
    this.page.receive(raw);
  }

  reset(): void {
    this.page.reset();
  }

  private snapshot(): HostMessage[] {
    return [{ type: 'show', model: resultModel(this.view) }, ...this.events.map((event): HostMessage => ({ type: 'event', event }))];
  }
}
