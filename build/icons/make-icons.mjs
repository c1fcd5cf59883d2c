// Renders the package icons from icon.svg: icon.png (512×512, Linux) and icon.ico (16…256, Windows installer and
// executable). The SVG is kept to rounded <rect>s so this small rasteriser (4×4 supersampling, pngjs) can draw it
// with no SVG library or ImageMagick delegate. The results are committed; rerun after editing the SVG:
//   node build/icons/make-icons.mjs
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';

const dir = path.dirname(fileURLToPath(import.meta.url));
const svg = readFileSync(path.join(dir, 'icon.svg'), 'utf8');
const size = Number(/viewBox="0 0 (\d+) \d+"/.exec(svg)[1]);
const rects = [...svg.matchAll(/<rect\b([^>]*)\/>/g)].map((m) => {
  const a = (n, d) => {
    const v = new RegExp(`\\b${n}="([^"]+)"`).exec(m[1]);
    return v ? v[1] : d;
  };
  const fill = a('fill', '#000000');
  if (!/^#[0-9a-f]{6}$/i.test(fill)) throw new Error(`icon.svg: fill ${fill} is not #rrggbb`);
  return { x: +a('x', 0), y: +a('y', 0), w: +a('width'), h: +a('height'), r: +a('rx', 0), rgb: [1, 3, 5].map((i) => parseInt(fill.slice(i, i + 2), 16)) };
});
if (rects.length === 0 || /<(?!rect|svg|\/svg|!--)[a-z]/i.test(svg)) throw new Error('icon.svg: only <rect> elements are supported');

function inside(rc, x, y) {
  if (x < rc.x || y < rc.y || x >= rc.x + rc.w || y >= rc.y + rc.h) return false;
  const cx = Math.min(Math.max(x, rc.x + rc.r), rc.x + rc.w - rc.r);
  const cy = Math.min(Math.max(y, rc.y + rc.r), rc.y + rc.h - rc.r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= rc.r ** 2;
}

function render(px) {
  const png = new PNG({ width: px, height: px });
  const s = size / px;
  const n = 4;
  for (let j = 0; j < px; j++) {
    for (let i = 0; i < px; i++) {
      const acc = [0, 0, 0, 0];
      for (let sj = 0; sj < n; sj++) {
        for (let si = 0; si < n; si++) {
          const x = (i + (si + 0.5) / n) * s;
          const y = (j + (sj + 0.5) / n) * s;
          let hit;
          for (const rc of rects) if (inside(rc, x, y)) hit = rc; // later shapes paint over earlier ones
          if (hit) {
            acc[0] += hit.rgb[0];
            acc[1] += hit.rgb[1];
            acc[2] += hit.rgb[2];
            acc[3] += 1;
          }
        }
      }
      const o = (j * px + i) * 4;
      png.data[o] = acc[3] ? Math.round(acc[0] / acc[3]) : 0;
      png.data[o + 1] = acc[3] ? Math.round(acc[1] / acc[3]) : 0;
      png.data[o + 2] = acc[3] ? Math.round(acc[2] / acc[3]) : 0;
      png.data[o + 3] = Math.round((255 * acc[3]) / (n * n));
    }
  }
  return PNG.sync.write(png);
}

writeFileSync(path.join(dir, 'icon.png'), render(512));
// ICO with PNG-compressed entries (Windows Vista and later); a width/height byte of 0 means 256.
const sizes = [16, 24, 32, 48, 64, 128, 256];
const images = sizes.map(render);
const header = Buffer.alloc(6 + 16 * sizes.length);
header.writeUInt16LE(0, 0);
header.writeUInt16LE(1, 2);
header.writeUInt16LE(sizes.length, 4);
let offset = header.length;
sizes.forEach((px, k) => {
  const e = 6 + 16 * k;
  header[e] = px % 256;
  header[e + 1] = px % 256;
  header.writeUInt16LE(1, e + 4); // colour planes
  header.writeUInt16LE(32, e + 6); // bits per pixel
  header.writeUInt32LE(images[k].length, e + 8);
  header.writeUInt32LE(offset, e + 12);
  offset += images[k].length;
});
writeFileSync(path.join(dir, 'icon.ico'), Buffer.concat([header, ...images]));
console.log(`icons: icon.png 512×512, icon.ico ${sizes.join('/')} from ${rects.length} shapes`);
