import { PageSession, type PageRequest } from './pageSession';
import type { HostMessage } from './protocol';
import { cell, type ResultModel } from './resultModel';
import { resultModel, type AnyResultView } from './resultView';

/** Events kept for a page that reloads mid-run: far more than a run's attempts and tables. */
export const MAX_KEPT_EVENTS = 500;

/** A run that has started and has no result yet: the panel says what goes on and draws its events as they come. */
export interface RunStart {
  title: string;
  /** What goes on, as the progress notification says it ("Testing tracker.list"). */
  doing: string;
}

function runningModel(start: RunStart): ResultModel {
  return { title: start.title, headline: cell(`${start.doing}…`, 'muted', 'loading'), facts: [], sections: [], actions: [] };
}

/** One result panel's state on the host: the latest result (or the run going on) and the events of the run since. */
export class ResultSession {
  private state: { view: AnyResultView } | { running: RunStart };
  private events: unknown[] = [];
  private readonly page: PageSession;

  constructor(first: AnyResultView | RunStart, post: (message: HostMessage) => unknown, handle: (request: PageRequest) => void, refuse: (reason: string) => void) {
    this.state = 'doing' in first ? { running: first } : { view: first };
    this.page = new PageSession(post, () => this.snapshot(), handle, refuse);
  }

  /** The result shown now (a button acts on it); undefined while a run goes on (the page shows no button then). */
  get current(): AnyResultView | undefined {
    return 'view' in this.state ? this.state.view : undefined;
  }

  /** A new result (a run finished): it replaces the old one and the events that led to it. */
  show(view: AnyResultView): void {
    this.replace({ view });
  }

  /** A run starts: the old result and its events make way for the new run's. */
  begin(start: RunStart): void {
    this.replace({ running: start });
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

  private replace(state: ResultSession['state']): void {
    this.state = state;
    this.events = [];
    this.page.send(this.showMessage());
  }

  private showMessage(): HostMessage {
    return { type: 'show', model: 'view' in this.state ? resultModel(this.state.view) : runningModel(this.state.running) };
  }

  private snapshot(): HostMessage[] {
    return [this.showMessage(), ...this.events.map((event): HostMessage => ({ type: 'event', event }))];
  }
}
