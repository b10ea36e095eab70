/** The built renderer's size: all of its JS and CSS, and what the first load needs (index.html's chunks). */
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

export interface BundleSize {
  js_bytes: number;
  js_gzip_bytes: number;
  css_bytes: number;
  css_gzip_bytes: number;
  js_files: number;
  /** The entry chunk and every chunk index.html preloads: what is parsed before the first paint. */
  initial_js_bytes: number;
  initial_js_gzip_bytes: number;
  initial_js_files: number;
}

export function bundleSize(root: string): BundleSize {
  const dist = path.join(root, 'dist', 'renderer');
  const assets = path.join(dist, 'assets');
  const html = fs.readFileSync(path.join(dist, 'index.html'), 'utf8');
  const initial = new Set([...html.matchAll(/assets\/([^"']+\.js)/gu)].map((m) => m[1]));
  const size: BundleSize = { js_bytes: 0, js_gzip_bytes: 0, css_bytes: 0, css_gzip_bytes: 0, js_files: 0, initial_js_bytes: 0, initial_js_gzip_bytes: 0, initial_js_files: 0 };
  for (const f of fs.readdirSync(assets)) {
    const body = fs.readFileSync(path.join(assets, f));
    if (f.endsWith('.js')) {
      const gz = gzipSync(body, { level: 9 }).length;
      size.js_bytes += body.length;
      size.js_gzip_bytes += gz;
      size.js_files += 1;
      if (initial.has(f)) {
        size.initial_js_bytes += body.length;
        size.initial_js_gzip_bytes += gz;
        size.initial_js_files += 1;
      }
    } else if (f.endsWith('.css')) {
      size.css_bytes += body.length;
      size.css_gzip_bytes += gzipSync(body, { level: 9 }).length;
    }
  }
  return size;
}
