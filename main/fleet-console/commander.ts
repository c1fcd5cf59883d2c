import { randomBytes } from 'node:crypto';
import type { MqttClient } from 'mqtt';
import { FleetAnswerSchema, type FleetAnswer, type FleetCommand } from '../contract/fleet.js';
import { kioskTopics, parseKioskTopic } from '../fleet/topics.js';

/**
 * MQTT 5 request/response to kiosks: the request goes to `{prefix}/{hall}/{kiosk}/cmd` with Response Topic
 * `{prefix}/{hall}/{kiosk}/reply` (the kiosk's ACL lets it write there and nowhere else) and random Correlation
 * Data; the answer with the same Correlation Data settles the call. No answer in time is FLEET_TIMEOUT.
 * The caller subscribes to `{prefix}/+/+/reply` once (see subscribeReplies) and feeds replies to `onReply`.
 */
export class FleetCommander {
  private readonly pending = new Map<string, { resolve: (a: FleetAnswer) => void; timer: NodeJS.Timeout }>();

  constructor(
    private readonly client: MqttClient,
    private readonly prefix: string,
  ) {}

  get replyFilter(): string {
    return `${this.prefix}/+/+/reply`;
  }

  /** Returns true when the message was a reply (consumed here). */
  onReply(topic: string, payload: Buffer, correlation: Buffer | undefined): boolean {
    const t = parseKioskTopic(this.prefix, topic);
    if (!t || t.kind !== 'reply') return false;
    if (!correlation) return true;
    const p = this.pending.get(correlation.toString('hex'));
    if (!p) return true;
    this.pending.delete(correlation.toString('hex'));
    clearTimeout(p.timer);
    let answer: FleetAnswer;
    try {
      const parsed = FleetAnswerSchema.safeParse(JSON.parse(payload.toString('utf8')));
      answer = parsed.success ? (parsed.data as FleetAnswer) : { ok: false, error: { code: 'FLEET_BAD_REQUEST', message: 'the kiosk answered something that is not an answer' } };
    } catch (e) {
      answer = { ok: false, error: { code: 'FLEET_BAD_REQUEST', message: `the kiosk's answer is not JSON: ${(e as Error).message}` } };
    }
    p.resolve(answer);
    return true;
  }

  request(hallId: string, kioskId: string, command: FleetCommand, timeoutMs = 15_000): Promise<FleetAnswer> {
    const topics = kioskTopics(this.prefix, hallId, kioskId);
    const correlation = randomBytes(16);
    const key = correlation.toString('hex');
    return new Promise<FleetAnswer>((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(key);
        resolve({ ok: false, error: { code: 'FLEET_TIMEOUT', message: `no answer from ${hallId}/${kioskId} within ${Math.round(timeoutMs / 1000)} s` } });
      }, timeoutMs);
      this.pending.set(key, { resolve, timer });
      if (!this.client.connected) {
        clearTimeout(timer);
        this.pending.delete(key);
        resolve({ ok: false, error: { code: 'FLEET_NOT_CONNECTED', message: 'the console is not connected to the broker' } });
        return;
      }
      this.client.publish(topics.cmd, JSON.stringify(command), { qos: 1, properties: { responseTopic: topics.reply, correlationData: correlation } }, (err) => {
        if (!err) return;
        clearTimeout(timer);
        this.pending.delete(key);
        resolve({ ok: false, error: { code: 'FLEET_NOT_CONNECTED', message: `the broker did not take the command: ${err.message}` } });
      });
    });
  }

  close(): void {
    for (const [key, p] of this.pending) {
      clearTimeout(p.timer);
      p.resolve({ ok: false, error: { code: 'FLEET_NOT_CONNECTED', message: 'the console is stopping' } });
      this.pending.delete(key);
    }
  }
}
