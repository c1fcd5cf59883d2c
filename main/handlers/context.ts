import type { KioskConfig } from '../../kiosk-config/schema.js';
import type { CatalogStore } from '../catalog/catalog-store.js';
import type { HostKind, KioskMode } from '../contract/index.js';
import type { EventHub } from '../core/event-hub.js';
import type { Health } from '../core/health.js';
import type { Logger } from '../core/logger.js';
import type { DeviceManager } from '../devices/device-manager.js';
import type { QueueEngine } from '../queue/engine.js';
import type { CitizenSession } from '../session/citizen-session.js';
import type { StaffHost } from '../staff/staff-service.js';
import type { Db } from '../storage/database.js';
import type { CitizenQueue } from './citizen/deps.js';

/**
 * What the request handlers see of the kiosk: the services below them, as an interface. The composition root
 * (main/app/kiosk-services.ts) implements it and wires the handlers; handlers never import the root, so there is
 * no circle between main/app, main/handlers and main/staff (checked by main/import-cycles.test.ts).
 */
export interface KioskContext extends StaffHost {
  readonly hub: EventHub;
  readonly logger: Logger;
  readonly db: Db;
  readonly devices: DeviceManager;
  readonly session: CitizenSession;
  readonly catalog: CatalogStore;
  readonly installationSecret: Buffer;
  readonly now: () => Date;
  readonly mode: KioskMode;
  readonly demo: boolean;
  readonly options: { readonly configPath: string; readonly dataDir: string; readonly hostKind: HostKind };
  readonly currentConfig: KioskConfig;
  readonly queue: QueueEngine;
  readonly citizenQueue: CitizenQueue;
  applyConfig(config: KioskConfig, meta: { author: string; comment?: string }): { restartNeededFor: string[] };
  health(): Health;
  onQueueReplaced(listener: () => void): () => void;
  onConfigApplied(listener: (c: KioskConfig) => void): () => void;
}
