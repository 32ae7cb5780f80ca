import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface SelfSignedCertificate {
  /** PEM. */
  certificate: string;
  key: string;
  /** The certificate's file, for NODE_EXTRA_CA_CERTS (it is its own CA). */
  certificatePath: string;
  remove(): void;
}

/** A fresh P-256 certificate for 127.0.0.1 and localhost, valid for `days`, made by openssl. */
export function selfSignedCertificate(days: number): SelfSignedCertificate {
  const folder = mkdtempSync(join(tmpdir(), 'simone-cert-'));
  const certificatePath = join(folder, 'certificate.pem');
  const keyPath = join(folder, 'key.pem');
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', keyPath, '-out', certificatePath, '-days', String(days), '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'],
    { stdio: 'pipe', timeout: 30_000 },
  );
  return {
    certificate: readFileSync(certificatePath, 'utf8'),
    key: readFileSync(keyPath, 'utf8'),
    certificatePath,
    remove: () => rmSync(folder, { recursive: true, force: true }),
  };
}
