import { describe, expect, it } from 'vitest';
import { parseStartArgs, UsageError } from '../cli/args.js';
import { splitElectronArgv } from './argv.js';

/** What main/electron/main.ts does with process.argv before anything else. */
function electronStart(argv: string[]) {
  return parseStartArgs(splitElectronArgv(argv).app);
}

describe('Electron host command line', () => {
  it('lets Chromium/Electron switches through and still parses the kiosk options around them', () => {
    const argv = ['--no-sandbox', '--config', 'hall.json', '--disable-gpu', '--enable-logging', '--ozone-platform=wayland', '--simulate', '--enable-logging=stderr', '--v=1'];
    expect(splitElectronArgv(argv)).toEqual({
      app: ['--config', 'hall.json', '--simulate'],
      chromium: ['--no-sandbox', '--disable-gpu', '--enable-logging', '--ozone-platform=wayland', '--enable-logging=stderr', '--v=1'],
    });
    expect(electronStart(argv)).toMatchObject({ config: 'hall.json', simulate: true });
  });

  it('still refuses unknown options', () => {
    expect(() => electronStart(['--no-sandbox', '--bogus'])).toThrow('unknown option --bogus');
    expect(() => electronStart(['--no-sandboxx'])).toThrow(UsageError);
  });

  it.each(['--remote-debugging-port=9222', '--inspect', '--inspect-brk=9229', '--js-flags=--allow-natives-syntax', '--ignore-certificate-errors', '--disable-web-security'])(
    'refuses %s by name, with the reason',
    (arg) => {
      expect(() => electronStart([arg])).toThrow(UsageError);
      expect(() => electronStart([arg])).toThrow(/is refused on a kiosk: /);
    },
  );
});
