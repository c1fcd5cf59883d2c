import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import path from 'node:path';

// The renderer is built once and served by either host: Electron loads it through its app:// protocol, the browser
// host serves it on 127.0.0.1. Relative asset paths keep both working. Pages: the kiosk (index.html), the hall
// display (display.html), the counter caller (counter.html) and the staff console (staff.html) as they land.
const root = path.dirname(new URL(import.meta.url).pathname);
export default defineConfig({
  root,
  base: './',
  plugins: [react()],
  build: {
    outDir: path.resolve(root, '../dist/renderer'),
    emptyOutDir: true,
    target: 'chrome120',
    sourcemap: true,
    chunkSizeWarningLimit: 2000,
    rollupOptions: {
      input: {
        index: path.resolve(root, 'index.html'),
        staff: path.resolve(root, 'staff.html'),
        display: path.resolve(root, 'display.html'), // [lan-pages]
        counter: path.resolve(root, 'counter.html'), // [lan-pages]
        fleet: path.resolve(root, 'fleet.html'), // fleet console page (npm run fleet)
        follow: path.resolve(root, 'follow.html'), // ticket follow page for phones (/t/<token> on the LAN port)
      },
    },
  },
});
