import type { KioskConfig } from '../../kiosk-config/schema.js';

/**
 * The secrets of the sample halls (kiosk-config/halls/): they are public in this repository, so an installation
 * that still carries one would let anyone on the hall LAN call numbers or sign in at a counter. A test keeps these
 * lists equal to what the sample files contain.
 */
export const SAMPLE_LAN_TOKENS: readonly string[] = ['sample-counter-token-0001', 'sample-display-token-0001', 'sample-manager-token-0001'];

/** The sample counter PIN (2468) of windows 1-3, as hashed in the sample hall. */
export const SAMPLE_COUNTER_PIN_HASHES: readonly string[] = [
  'scrypt$15$8$1$0406b98cbf7122be192a7dfe8ab42c51$6d44ce71bca89d24f30beaf5c9e455e02aa0c6e52af22537dd5ea9c25f2d3d86',
  'scrypt$15$8$1$d21de4c795577023e604ab965ae614be$80506ac7330b6ba0d4e93a31f709cae2f920d20d25fb9707e6491f3057531e60',
  'scrypt$15$8$1$82d15bd9111f09d9020a6274a14686b7$1808ffce4abefa2301fb56fb71e924c392249b8de0a097e5e224d8bcb5215f9b',
];

/**
 * Why the hall LAN API must not start on this config, as one sentence naming the setting to change — or undefined
 * when it may. A demo kiosk may serve on the samples (that is what they are for); an installation may not.
 */
export function sampleSecretRefusal(config: KioskConfig, demo: boolean): string | undefined {
  if (demo) return undefined;
  const tokens = config.network.apiTokens.filter((t) => SAMPLE_LAN_TOKENS.includes(t.token)).map((t) => t.deviceId);
  const counters = config.network.counters.filter((c) => SAMPLE_COUNTER_PIN_HASHES.includes(c.pinHash)).map((c) => c.window);
  if (!tokens.length && !counters.length) return undefined;
  const what = [
    ...(tokens.length ? [`network.apiTokens (${tokens.join(', ')}) still use the sample tokens`] : []),
    ...(counters.length ? [`network.counters (window ${counters.join(', ')}) still use the sample PIN hash`] : []),
  ].join(' and ');
  return `The hall LAN API is not started: ${what} published in this repository; run \`npm run diag -- provision --config <hall.json> --data-dir <data dir>\` or set fresh values in the config.`;
}
