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

/** Flags for headless WebGL on SwiftShader (no GPU needed). */
export const HEADLESS_WEBGL_FLAGS = ['--headless=new', '--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--ignore-gpu-blocklist'];

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
