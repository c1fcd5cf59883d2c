/**
 * The sample catalog shipped with the kiosk (`sampleData: true`: illustrative data modelled on public Guangdong
 * guides, fictitious phone numbers). Exported unvalidated: pass it through `validateCatalog` like any import.
 */
import raw from './items.json' with { type: 'json' };

export const SAMPLE_CATALOG_JSON: unknown = raw;
