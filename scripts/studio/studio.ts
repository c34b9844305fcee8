/**
 * `npm run studio`: build gankit studio and serve it (COOP/COEP, so wasm may use threads), then
 * print the URL to open. `--port n` (default 5173, or PORT); `--no-build` serves the last build.
 */
import { buildStudio, STUDIO_DIST } from './build.js';
import { serveStudio } from './serve.js';

async function main(): Promise<void> {
  const at = process.argv.indexOf('--port');
  const port = Number(at >= 0 ? process.argv[at + 1] : (process.env.PORT ?? 5173));
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`studio: --port must be an integer in [0, 65535]; got ${process.argv[at + 1] ?? process.env.PORT}`);
  if (!process.argv.includes('--no-build')) {
    const r = await buildStudio();
    console.log(`studio: built studio/dist (${(r.bytes / 1e6).toFixed(1)} MB, ${r.seconds.toFixed(1)} s)`);
  }
  const server = await serveStudio(STUDIO_DIST, port);
  console.log(`gankit studio: open ${server.url}  (Ctrl-C to stop; ?backend=webgpu|webgl|wasm picks the backend)`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
