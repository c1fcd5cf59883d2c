import { z } from 'zod';

/**
 * Counter (窗口) sign-in for the counter caller page (counter.html): one PIN per window, stored only as a scrypt hash
 * in the text form `scrypt$<logN>$<r>$<p>$<salt hex>$<key hex>` that `npm run diag -- pin-hash <pin>` prints.
 * A PIN is 4 to 8 digits (window staff type it at a shared desk many times a day); five wrong PINs lock the window
 * (main/lan/counter-sessions.ts). Pure zod: no Node, shared by the host and tests.
 */

/** `scrypt$15$8$1$<32 hex salt>$<64 hex key>`; logN 15..20, r 1..32, p 1..16. */
export const PIN_HASH_PATTERN = /^scrypt\$(1[5-9]|20)\$([1-9]|[12]\d|3[0-2])\$([1-9]|1[0-6])\$[0-9a-f]{32}\$[0-9a-f]{64}$/;

/** A counter PIN is 4 to 8 digits. */
export const COUNTER_PIN_PATTERN = /^\d{4,8}$/;

export const CounterCredentialSchema = z.object({
  /** Window number (窗口号) as in queue.categories[].windows, e.g. `3` or `5A`. */
  window: z.string().regex(/^[0-9A-Za-z-]{1,8}$/, 'must be 1-8 letters, digits or dashes'),
  /** scrypt hash of the window's PIN (see PIN_HASH_PATTERN); never the PIN itself. */
  pinHash: z.string().regex(PIN_HASH_PATTERN, 'must be a hash printed by `npm run diag -- pin-hash <pin>` (scrypt$15$8$1$salt$key)'),
});

/** Windows that may sign in on counter.html; empty (default) = the counter page cannot be used. */
export const CountersSchema = z
  .array(CounterCredentialSchema)
  .default([])
  .superRefine((list, ctx) => {
    const seen = new Set<string>();
    list.forEach((c, i) => {
      if (seen.has(c.window)) ctx.addIssue({ code: 'custom', path: [i, 'window'], message: `window ${c.window} is listed twice` });
      seen.add(c.window);
    });
  });

export type CounterCredential = z.infer<typeof CounterCredentialSchema>;
