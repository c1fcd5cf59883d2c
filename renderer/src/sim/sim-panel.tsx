import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DeviceId, PrinterFault, SimReceipt, SimState } from '../../../main/contract/index.js';
import { DEVICE_IDS } from '../../../main/contract/types.js';
import { kiosk } from '../bridge/kiosk.js';
import { useKioskEvent } from '../use-kiosk-event.js';

const FAULTS: PrinterFault[] = ['none', 'near-end', 'paper-end', 'cover-open', 'cutter-jam', 'offline'];

/**
 * The simulator control panel, present only in simulation mode (the host refuses `sim.*` requests otherwise):
 * place or remove an ID card, scan a code, set printer faults, unplug and replug devices, see printed receipts.
 * Its touches do not count as citizen activity (pointer events stop here).
 */
export function SimPanel() {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [sim, setSim] = useState<SimState | null>(null);
  const [receipts, setReceipts] = useState<SimReceipt[]>([]);
  const [payload, setPayload] = useState('AP-20261123-0001');
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    void kiosk().invoke('sim.state', {}).then((r) => r.ok && setSim(r.value));
    void kiosk().invoke('sim.receipts', { limit: 5 }).then((r) => r.ok && setReceipts(r.value));
  }, []);
  useKioskEvent('sim-changed', setSim);
  useKioskEvent('sim-receipt', (r) => setReceipts((list) => [r, ...list].slice(0, 5)));

  async function act<T extends SimState>(p: Promise<{ ok: true; value: T } | { ok: false; error: { code: string; message: string } }>) {
    const r = await p;
    if (r.ok) {
      setSim(r.value);
      setError(null);
    } else setError(`${r.error.code}: ${r.error.message}`);
  }

  return (
    <div className="sim-root" onPointerDown={(e) => e.stopPropagation()}>
      <button type="button" className="sim-toggle" onClick={() => setOpen((o) => !o)} aria-expanded={open} data-testid="sim-toggle">
        {open ? t('sim.close') : t('sim.open')}
      </button>
      {open && sim && (
        <aside className="sim-panel" aria-label={t('sim.title')} data-testid="sim-panel">
          <h2>{t('sim.title')}</h2>
          {error && <p role="alert" className="sim-error">{error}</p>}
          <section>
            <h3>{t('sim.idCard')}</h3>
            <div className="sim-row">
              {sim.identities.map((id) => (
                <button key={id.id} type="button" className={sim.cardPresent === id.id ? 'active' : ''} data-testid={`sim-card-${id.id}`}
                  onClick={() => void act(kiosk().invoke('sim.placeCard', { identityId: id.id }))}>
                  {id.label}
                </button>
              ))}
              <button type="button" onClick={() => void act(kiosk().invoke('sim.removeCard', {}))} data-testid="sim-card-remove">
                {t('sim.remove')}
              </button>
            </div>
          </section>
          <section>
            <h3>{t('sim.scanner')}</h3>
            <div className="sim-row">
              <input aria-label={t('sim.scanner')} value={payload} onChange={(e) => setPayload(e.target.value)} data-testid="sim-scan-input" />
              <button type="button" onClick={() => void act(kiosk().invoke('sim.scan', { payload }))} data-testid="sim-scan">
                {t('sim.scan')}
              </button>
            </div>
            <div className="sim-row">
              {sim.appointments.map((a) => (
                <button key={a.code} type="button" title={a.label} data-testid={`sim-scan-${a.code}`}
                  onClick={() => void act(kiosk().invoke('sim.scan', { payload: a.code }))}>
                  {a.code}
                </button>
              ))}
            </div>
          </section>
          <section>
            <h3>{t('sim.printer')}</h3>
            <div className="sim-row">
              {FAULTS.map((f) => (
                <button key={f} type="button" className={sim.printerFault === f ? 'active' : ''} data-testid={`sim-fault-${f}`}
                  onClick={() => void act(kiosk().invoke('sim.setPrinterFault', { fault: f }))}>
                  {f}
                </button>
              ))}
            </div>
          </section>
          <section>
            <h3>{t('sim.devices')}</h3>
            {DEVICE_IDS.map((d: DeviceId) => {
              const unplugged = sim.unplugged.includes(d);
              return (
                <div className="sim-row" key={d}>
                  <span>{d}</span>
                  <button type="button" data-testid={`sim-${unplugged ? 'replug' : 'unplug'}-${d}`}
                    onClick={() => void act(kiosk().invoke(unplugged ? 'sim.replug' : 'sim.unplug', { device: d }))}>
                    {unplugged ? t('sim.replug') : t('sim.unplug')}
                  </button>
                </div>
              );
            })}
          </section>
          <section>
            <h3>{t('sim.receipts')}</h3>
            {receipts.length === 0 && <p>{t('sim.noReceipts')}</p>}
            {receipts.map((r) => (
              <figure key={r.id} className="sim-receipt" data-testid="sim-receipt">
                <img src={r.png} alt={r.text.slice(0, 80)} />
                <figcaption><pre>{r.text}</pre></figcaption>
              </figure>
            ))}
          </section>
        </aside>
      )}
    </div>
  );
}
