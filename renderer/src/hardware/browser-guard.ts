/**
 * Browser-level escapes, cancelled in the page. In Chromium's `--app` windows no shortcut is reserved for the browser,
 * so a page that cancels a keydown also cancels the browser's action: Ctrl+N (a tabbed window with an address bar),
 * Ctrl+W (closes the kiosk), Ctrl+P (print preview with Save as PDF), F12 / Ctrl+Shift+I (DevTools), Ctrl+O (a file
 * dialog). A keyboard-wedge scanner is a keyboard too. This is one layer: the managed Chromium policy
 * (build/deploy/linux/chromium-policy.json.in) still blocks file://, printing, DevTools and downloads when the page
 * is not loaded (an error page has no guard), and the Electron host filters the same keys in `before-input-event`.
 *
 * Plain characters, Shift+character, Enter, Tab, Backspace, arrows and Escape stay usable (the touch keyboard and
 * the scanner need them); every Ctrl/Alt/Meta combination, F1–F24, Shift+Escape (the task manager) and the
 * browser/media navigation keys do not.
 * A file dropped on the window would make Chromium navigate to it (file:///...): dragover and drop are cancelled.
 */
export interface GuardKeyEvent {
  key: string;
  ctrlKey: boolean;
  altKey: boolean;
  metaKey: boolean;
  shiftKey?: boolean;
}

const BROWSER_KEYS = new Set([
  'BrowserBack',
  'BrowserForward',
  'BrowserHome',
  'BrowserRefresh',
  'BrowserSearch',
  'BrowserFavorites',
  'BrowserStop',
  'LaunchApplication1',
  'LaunchApplication2',
  'LaunchMail',
  'ContextMenu',
  'Print',
  'Help',
  'Find',
  'Open',
  'Save',
  'Close',
  'New',
  'ZoomIn',
  'ZoomOut',
  'ZoomToggle',
]);

export function isBrowserShortcut(e: GuardKeyEvent): boolean {
  if (e.key === 'Control' || e.key === 'Alt' || e.key === 'Meta' || e.key === 'AltGraph') return false; // the modifier alone
  if (e.ctrlKey || e.altKey || e.metaKey) return true;
  if (/^F([1-9]|1\d|2[0-4])$/.test(e.key)) return true;
  if (e.key === 'Escape' && e.shiftKey) return true; // Shift+Esc = Chromium's task manager, a second window
  return BROWSER_KEYS.has(e.key);
}

/** Installs the guard on the kiosk window (capture phase, before any text field); returns its removal. */
export function installBrowserGuard(target: Window): () => void {
  const onKey = (e: KeyboardEvent) => {
    if (isBrowserShortcut(e)) e.preventDefault();
  };
  const onDrag = (e: DragEvent) => {
    e.preventDefault();
    if (e.dataTransfer) e.dataTransfer.dropEffect = 'none';
  };
  target.addEventListener('keydown', onKey, true);
  target.addEventListener('dragover', onDrag, true);
  target.addEventListener('drop', onDrag, true);
  return () => {
    target.removeEventListener('keydown', onKey, true);
    target.removeEventListener('dragover', onDrag, true);
    target.removeEventListener('drop', onDrag, true);
  };
}
