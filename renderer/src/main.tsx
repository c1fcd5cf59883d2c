import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app.js';
import { installBrowserGuard } from './hardware/browser-guard.js';
import './i18n/index.js';
import './styles/kiosk.css';

// No context menu, text selection, pinch-zoom or drag on a public terminal.
for (const type of ['contextmenu', 'dragstart', 'selectstart', 'gesturestart']) {
  window.addEventListener(type, (e) => e.preventDefault(), { passive: false });
}
window.addEventListener('wheel', (e) => e.ctrlKey && e.preventDefault(), { passive: false });
window.addEventListener('touchmove', (e) => e.touches.length > 1 && e.preventDefault(), { passive: false });
// Browser shortcuts (Ctrl+N/W/P, F12 ...) and file drops: see browser-guard.ts.
installBrowserGuard(window);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
