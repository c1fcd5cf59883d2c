import type { KioskConfig } from '../../kiosk-config/schema.js';
import type { DeviceStatus } from '../contract/index.js';
import type { LogLine } from '../core/logger.js';
import { redactString, redactValue } from '../core/redact.js';
import type { AuditEntry } from './audit.js';
import type { ConfigVersionMeta } from './config-store.js';
import { withoutSecrets } from './config-secrets.js';
import { tarGz } from './tar.js';

export interface DiagnosticBundleInput {
  now: Date;
  appVersion: string;
  kioskId: string;
  config: KioskConfig;
  currentVersion: number | null;
  versions: { meta: ConfigVersionMeta; config: KioskConfig | { error: string } }[];
  devices: DeviceStatus[];
  health: unknown;
  logs: LogLine[];
  audit: AuditEntry[];
}

export interface DiagnosticBundle {
  filename: string;
  data: Buffer;
  files: string[];
}

/**
 * Every text that goes into a bundle passes through here: secrets replaced (withoutSecrets is applied by the
 * caller for configs), values under personal-data keys replaced and ID numbers masked (the log redaction), once
 * more on the serialised text so that nothing hides in a key or a nested string.
 */
export function redactForBundle(value: unknown): string {
  return redactString(JSON.stringify(redactValue(value), null, 2));
}

/**
 * The technician's diagnostic bundle: one .tar.gz with the running config (no tokens), the config history (bodies
 * without tokens), device states and self-check, /healthz, recent logs and the staff audit trail. No PIN hashes,
 * no installation secret, no database file, no protocol trace bytes (card frames could carry personal data).
 */
export function buildDiagnosticBundle(input: DiagnosticBundleInput): DiagnosticBundle {
  const stamp = input.now.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '');
  const dir = `kiosk-diag-${input.kioskId}-${stamp}`;
  const files: { name: string; text: string }[] = [
    { name: 'config.json', text: redactForBundle(withoutSecrets(input.config)) },
    {
      name: 'config-versions.json',
      text: redactForBundle({
        current: input.currentVersion,
        versions: input.versions.map((v) => ({ ...v.meta, config: 'error' in v.config ? v.config : withoutSecrets(v.config) })),
      }),
    },
    { name: 'devices.json', text: redactForBundle(input.devices) },
    { name: 'health.json', text: redactForBundle(input.health) },
    { name: 'logs.jsonl', text: input.logs.map((l) => redactString(JSON.stringify(redactValue(l)))).join('\n') + '\n' },
    { name: 'audit.json', text: redactForBundle(input.audit) },
  ];
  const manifest = {
    kind: 'hall-kiosk diagnostic bundle',
    createdAt: input.now.toISOString(),
    appVersion: input.appVersion,
    kioskId: input.kioskId,
    files: files.map((f) => ({ name: f.name, bytes: Buffer.byteLength(f.text) })),
    redaction: 'tokens, PIN hashes and secrets omitted; personal-data fields and ID numbers masked',
  };
  files.unshift({ name: 'manifest.json', text: JSON.stringify(manifest, null, 2) });
  const mtime = Math.floor(input.now.getTime() / 1000);
  const data = tarGz(files.map((f) => ({ name: `${dir}/${f.name}`, data: f.text, mtime })));
  return { filename: `${dir}.tar.gz`, data, files: files.map((f) => `${dir}/${f.name}`) };
}
