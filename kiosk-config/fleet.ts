import { z } from 'zod';

/**
 * The fleet agent (issue 12): off unless this section is present. The kiosk connects to an MQTT 5 broker, publishes
 * its status, alerts and counts under `{topicPrefix}/{hallId}/{kioskId}/…` and answers commands on `…/cmd`.
 * Pushed configuration must be signed with the fleet's Ed25519 key; the kiosk holds the public key
 * (`publicKey`, PEM or base64 SPKI DER, or `publicKeyFile`). Without a key every pushed config is refused.
 */
export const FleetSchema = z
  .object({
    /** Broker URL: `mqtt://host:1883` or `mqtts://host:8883`. */
    url: z.string().regex(/^mqtts?:\/\/[^\s/]+(:\d{1,5})?\/?$/, 'must look like mqtt://host:1883 or mqtts://host:8883'),
    /** Broker user name; with the shipped ACL it is `<hallId>/<kioskId>`. Default: that. */
    username: z.string().min(1).max(120).optional(),
    /** Broker password, or `passwordFile` (preferred: keeps the secret out of the config history). */
    password: z.string().min(1).max(200).optional(),
    passwordFile: z.string().min(1).optional(),
    /** CA certificate (PEM) that signed the broker's certificate, for mqtts://. */
    caFile: z.string().min(1).optional(),
    /** Topic prefix. Default `hk/v1`. */
    topicPrefix: z.string().regex(/^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*$/, 'must be topic levels without wildcards, e.g. hk/v1').default('hk/v1'),
    /** Seconds between stats messages. Range 10..3600, default 60. */
    statsIntervalS: z.number().int().min(10).max(3600).default(60),
    /** The fleet's Ed25519 public key that signs pushed configs (PEM or base64 SPKI DER). */
    publicKey: z.string().min(40).optional(),
    publicKeyFile: z.string().min(1).optional(),
    /** Region shown and grouped by on the fleet console, e.g. `广州市从化区` (optional). */
    region: z.string().min(1).max(80).optional(),
    /** Alerts and stats kept while the broker is away (oldest stats dropped first). Range 10..10000, default 500. */
    offlineQueueMax: z.number().int().min(10).max(10_000).default(500),
  })
  .strict();

export type FleetConfig = z.infer<typeof FleetSchema>;
