import type { RequestAuthorizer } from '../http/requestAuthorizer';

/** bearer, api_key and basic: one fixed header, nothing cached, so nothing to invalidate. */
export class StaticHeaderAuth implements RequestAuthorizer {
  constructor(
    private readonly name: string,
    private readonly value: string,
  ) {}

  async authorize(headers: Record<string, string>): Promise<void> {
    headers[this.name] = this.value;
  }

  invalidate(): void {}
}
