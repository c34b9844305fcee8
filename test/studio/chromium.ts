/**
 * The system Chromium the browser tests drive (never downloaded): `GANKIT_CHROMIUM` when set, else
 * the usual install paths. A clear error says what to install when none is found.
 */
import { existsSync } from 'node:fs';

const CANDIDATES = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/snap/bin/chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
];

/**
 * Flags for headless WebGL on SwiftShader (no GPU needed). WebGL runs on SwiftShader; the page is
 * composited in software (`--disable-gpu-compositing`): with nothing to display, compositing on the
 * emulated GPU only queues raster work ahead of tfjs's shaders and read-backs in the GPU process,
 * which doubled a slider update (measured 66 → 33 ms median for the 32-px DCGAN, 110 → 85–105 ms
 * for the 64-px stand-in, on 2 busy cores).
 */
export const HEADLESS_WEBGL_FLAGS = ['--headless=new', '--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--ignore-gpu-blocklist', '--disable-gpu-compositing'];

/** The launch flags: {@link HEADLESS_WEBGL_FLAGS} plus any in `GANKIT_CHROMIUM_ARGS` (space-separated). */
export function chromiumArgs(env: NodeJS.ProcessEnv = process.env): string[] {
  return [...HEADLESS_WEBGL_FLAGS, ...(env.GANKIT_CHROMIUM_ARGS ?? '').split(/\s+/).filter(Boolean)];
}

export function findChromium(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.GANKIT_CHROMIUM;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`GANKIT_CHROMIUM=${fromEnv} does not exist; point it at a Chromium or Chrome executable`);
    return fromEnv;
  }
  const found = CANDIDATES.find((p) => existsSync(p));
  if (!found) {
    throw new Error(
      `no Chromium found (looked in ${CANDIDATES.join(', ')}); install it (Debian/Ubuntu: apt-get install chromium) or set GANKIT_CHROMIUM to its path. The studio tests never download a browser.`,
    );
  }
  return found;
}
