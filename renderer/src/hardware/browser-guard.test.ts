// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { installBrowserGuard, isBrowserShortcut } from './browser-guard.js';

const k = (key: string, mods: Partial<{ ctrlKey: boolean; altKey: boolean; metaKey: boolean; shiftKey: boolean }> = {}) => ({
  key,
  ctrlKey: false,
  altKey: false,
  metaKey: false,
  shiftKey: false,
  ...mods,
});

describe('browser guard', () => {
  it('cancels the escapes found with real key events and the rest of the browser shortcuts', () => {
    for (const key of ['n', 'N', 'w', 'p', 'o', 't', 'I', 'q', 'Q']) expect(isBrowserShortcut(k(key, { ctrlKey: true }))).toBe(true);
    for (const key of ['F1', 'F5', 'F11', 'F12', 'F24', 'BrowserBack', 'BrowserHome', 'ContextMenu']) expect(isBrowserShortcut(k(key))).toBe(true);
    expect(isBrowserShortcut(k('ArrowLeft', { altKey: true }))).toBe(true);
    expect(isBrowserShortcut(k('F4', { altKey: true }))).toBe(true);
    expect(isBrowserShortcut(k('Escape', { shiftKey: true }))).toBe(true);
  });

  it('leaves typing and the scanner alone', () => {
    for (const key of ['a', 'Z', '1', '身', 'Enter', 'Tab', 'Backspace', 'Escape', 'ArrowLeft', 'Shift', 'Control', 'Alt']) {
      expect(isBrowserShortcut(k(key))).toBe(false);
    }
    expect(isBrowserShortcut(k('Control', { ctrlKey: true }))).toBe(false);
    // Shift+letter (capitals in a search box, X in an ID number), shifted symbols and an IME's composing key
    for (const key of ['A', 'X', '!', '@', '_', 'Enter', 'Tab', 'Shift']) expect(isBrowserShortcut(k(key, { shiftKey: true }))).toBe(false);
    expect(isBrowserShortcut(k('Process'))).toBe(false);
  });

  it('prevents the default of shortcut keydowns and of file drops on the window', () => {
    const remove = installBrowserGuard(window);
    const ctrlN = new KeyboardEvent('keydown', { key: 'n', ctrlKey: true, cancelable: true });
    const plain = new KeyboardEvent('keydown', { key: 'n', cancelable: true });
    window.dispatchEvent(ctrlN);
    window.dispatchEvent(plain);
    expect(ctrlN.defaultPrevented).toBe(true);
    expect(plain.defaultPrevented).toBe(false);
    // real drag events do not all bubble; the capture-phase listener sees them on their way down
    const drop = new Event('drop', { cancelable: true });
    const over = new Event('dragover', { cancelable: true });
    document.body.dispatchEvent(drop);
    document.body.dispatchEvent(over);
    expect(drop.defaultPrevented).toBe(true);
    expect(over.defaultPrevented).toBe(true);
    remove();
    const after = new KeyboardEvent('keydown', { key: 'n', ctrlKey: true, cancelable: true });
    window.dispatchEvent(after);
    expect(after.defaultPrevented).toBe(false);
  });
});
