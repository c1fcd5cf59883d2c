/** Topic layout of the fleet wire (see main/contract/fleet.ts). */
export interface KioskTopics {
  status: string;
  alert: string;
  stats: string;
  cmd: string;
  reply: string;
}

export function kioskTopics(prefix: string, hallId: string, kioskId: string): KioskTopics {
  const base = `${prefix}/${hallId}/${kioskId}`;
  return { status: `${base}/status`, alert: `${base}/alert`, stats: `${base}/stats`, cmd: `${base}/cmd`, reply: `${base}/reply` };
}

export type FleetTopicKind = 'status' | 'alert' | 'stats' | 'cmd' | 'reply';

/** `{prefix}/{hallId}/{kioskId}/{kind}` → parts, or null for a topic outside the layout. */
export function parseKioskTopic(prefix: string, topic: string): { hallId: string; kioskId: string; kind: FleetTopicKind } | null {
  if (!topic.startsWith(`${prefix}/`)) return null;
  const parts = topic.slice(prefix.length + 1).split('/');
  if (parts.length !== 3) return null;
  const [hallId, kioskId, kind] = parts as [string, string, string];
  if (kind === 'status' || kind === 'alert' || kind === 'stats' || kind === 'cmd' || kind === 'reply') return { hallId, kioskId, kind };
  return null;
}
