import { describe, expect, it } from 'vitest';
import { parseStartArgs, UsageError } from './args.js';
import { findElectronBinary } from './electron-binary.js';

describe('start options', () => {
  it('has the documented defaults', () => {
    expect(parseStartArgs([])).toEqual({ port: 8787, lanPort: 8788, noWindow: false, simulate: false, host: 'auto', help: false });
  });

  it('parses every option, in both spellings', () => {
    expect(parseStartArgs(['--config', 'a.json', '--data-dir=/tmp/d', '--port', '0', '--lan-port=9000', '--no-window', '--simulate', '--host', 'browser'])).toEqual({
      config: 'a.json', dataDir: '/tmp/d', port: 0, lanPort: 9000, noWindow: true, simulate: true, host: 'browser', help: false,
    });
  });

  it.each([
    [['--bogus'], 'unknown option --bogus'],
    [['--port', 'abc'], '--port needs a port number 0..65535, got "abc"'],
    [['--port', '70000'], '--port needs a port number 0..65535, got "70000"'],
    [['--config'], '--config needs a value'],
    [['--host', 'qt'], '--host must be auto, electron or browser, got "qt"'],
    [['--no-window=yes'], '--no-window takes no value'],
    [['stray'], 'unexpected argument "stray"'],
  ])('refuses %j with one line', (argv, message) => {
    expect(() => parseStartArgs(argv)).toThrow(UsageError);
    expect(() => parseStartArgs(argv)).toThrow(message);
  });
});

describe('Electron binary detection', () => {
  it('says why there is no binary instead of triggering a download', () => {
    const r = findElectronBinary('/nonexistent-root', {});
    expect(r).toEqual({ reason: 'the electron package is not installed' });
  });
});

describe('Chromium kiosk profile', () => {
  it('turns translation off and keeps the rest of an existing Preferences file', async () => {
    const { mkdtempSync, mkdirSync, readFileSync, writeFileSync } = await import('node:fs');
    const os = await import('node:os');
    const path = await import('node:path');
    const { disableTranslateInProfile } = await import('./chromium.js');
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kiosk-profile-'));
    disableTranslateInProfile(dir);
    expect(JSON.parse(readFileSync(path.join(dir, 'Default', 'Preferences'), 'utf8'))).toEqual({ translate: { enabled: false } });
    mkdirSync(path.join(dir, 'Default'), { recursive: true });
    writeFileSync(path.join(dir, 'Default', 'Preferences'), JSON.stringify({ session: { restore_on_startup: 5 }, translate: { enabled: true } }));
    disableTranslateInProfile(dir);
    expect(JSON.parse(readFileSync(path.join(dir, 'Default', 'Preferences'), 'utf8'))).toEqual({ session: { restore_on_startup: 5 }, translate: { enabled: false } });
  });
});
