import type { SignatureScheme as SchemeName } from '../../core/model';
import { githubSignature } from './githubSignature';
import { noneSignature } from './noneSignature';
import type { SignatureScheme } from './signatureScheme';
import { slackSignature } from './slackSignature';
import { standardSignature } from './standardSignature';
import { stripeSignature } from './stripeSignature';

export const SIGNATURE_SCHEMES: Readonly<Record<SchemeName, SignatureScheme>> = {
  github: githubSignature,
  standard: standardSignature,
  slack: slackSignature,
  stripe: stripeSignature,
  none: noneSignature,
};

/** The schemes that sign something, for the CLI and benchmarks. */
export const SIGNING_SCHEMES = ['github', 'standard', 'slack', 'stripe'] as const satisfies readonly SchemeName[];
