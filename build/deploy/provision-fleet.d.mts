export interface KioskRow {
  id: string;
  role: 'host' | 'client';
  lanAddress: string;
  orientation?: 'portrait' | 'landscape';
}
export function parseKioskList(text: string): KioskRow[];
export function kioskHallConfig(
  hall: Record<string, unknown>,
  kiosk: KioskRow,
  kiosks: KioskRow[],
  clientQueue: { url: string; token: string } | undefined,
): Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- a hall file as JSON
