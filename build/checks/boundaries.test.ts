import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/**
 * The process boundaries of STYLE.md §1 are enforced by ESLint (eslint.config.js). This proves the rules bite:
 * each forbidden import, placed in a file of the folder it is forbidden in, is reported.
 */
const eslint = new ESLint({ cwd: process.cwd() });

async function ruleHits(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('import boundaries', () => {
  it.each([
    ['renderer/src/x.ts', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;"],
    ['renderer/src/x.ts', "import { ipcRenderer } from 'electron';\nexport const x = ipcRenderer;"],
    ['renderer/src/x.ts', "import Database from 'better-sqlite3';\nexport const x = Database;"],
    ['renderer/src/x.ts', "import { IdCardFramer } from '../../drivers/id-card/framer.js';\nexport const x = IdCardFramer;"],
    ['renderer/src/x.ts', "import { KioskServices } from '../../main/core/kiosk-services.js';\nexport const x = KioskServices;"],
    ['drivers/x/y.ts', "import { app } from 'electron';\nexport const x = app;"],
    ['drivers/x/y.ts', "import { KioskServices } from '../../main/core/kiosk-services.js';\nexport const x = KioskServices;"],
    ['main/contract/x.ts', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;"],
    ['kiosk-config/x.ts', "import path from 'node:path';\nexport const x = path;"],
    ['main/devices/x.ts', "import { IdCardReaderSimulator } from '../../drivers/id-card/simulator.js';\nexport const x = IdCardReaderSimulator;"],
  ])('refuses the import in %s: %s', async (file, code) => {
    expect(await ruleHits(file, code)).toHaveLength(1);
  });

  it.each([
    ['renderer/src/x.ts', "import { requests } from '../../main/contract/index.js';\nexport const x = requests;"],
    ['renderer/src/x.ts', "import { pickText } from '../../kiosk-config/i18n.js';\nexport const x = pickText;"],
    ['main/simulation/x.ts', "import { IdCardReaderSimulator } from '../../drivers/id-card/simulator.js';\nexport const x = IdCardReaderSimulator;"],
    ['main/devices/x.ts', "import { IdCardReaderDriver } from '../../drivers/id-card/driver.js';\nexport const x = IdCardReaderDriver;"],
  ])('allows the import in %s: %s', async (file, code) => {
    expect(await ruleHits(file, code)).toEqual([]);
  });
});
