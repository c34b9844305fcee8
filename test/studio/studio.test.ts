/**
 * gankit studio in a real browser: the system Chromium (headless, WebGL on SwiftShader), driven by
 * playwright-core. Builds the site into a temporary folder, serves it with the studio's own server
 * (COOP/COEP) and checks the page on webgl and on wasm. `GANKIT_STUDIO_SCREENSHOT=1` writes the
 * screenshot the docs use to docs/studio.png; otherwise it goes to the temporary folder.
 */
import * as path from 'node:path';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { buildStudio, REPO_ROOT } from '../../scripts/studio/build.js';
import { serveStudio, type StudioServer } from '../../scripts/studio/serve.js';
import { chromiumArgs, findChromium } from './chromium.js';
import { MODELS } from '../../studio/src/model_registry.js';
import type {} from '../../studio/src/test_hook.js'; // window.__studio's type

/**
 * The budget per slider update on webgl (100 ms) is a measurement, printed with the load:
 * performance is measured, not asserted, because the suite shares 2 cores with other test files and
 * a busy runner doubles the figure. The test asserts only `GANKIT_STUDIO_BUDGET_MS` (default 10× the
 * budget), which still catches updates that queue or recompile on every move.
 */
const SLIDER_BUDGET_MS = 100;
const SLIDER_LIMIT_MS = Number(process.env.GANKIT_STUDIO_BUDGET_MS ?? 10 * SLIDER_BUDGET_MS);
const MOVES = 200;

let dir: string;
let server: StudioServer;
let browser: Browser;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'gankit-studio-'));
  await buildStudio(path.join(dir, 'site'));
  server = await serveStudio(path.join(dir, 'site'));
  browser = await chromium.launch({ executablePath: findChromium(), args: chromiumArgs() });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface Loaded {
  page: Page;
  consoleErrors: string[];
}

async function openStudio(query: string): Promise<Loaded> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  const consoleErrors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(e.message));
  await page.goto(`${server.url}${query}`);
  await page.waitForFunction(() => document.body.dataset.ready === '1' || document.body.dataset.error != null, null, { timeout: 60_000 });
  const error = await page.evaluate(() => document.body.dataset.error);
  if (error) throw new Error(`the studio page failed: ${error}`);
  return { page, consoleErrors };
}

/** Set a slider through its input event, as a drag does, and wait for the redraw. */
async function moveSlider(page: Page, id: string, value: number): Promise<void> {
  await page.evaluate(
    async ([id, value]) => {
      const input = document.getElementById(`slider-${id}`) as HTMLInputElement;
      input.value = String(value);
      input.dispatchEvent(new Event('input', { bubbles: true }));
      await window.__studio!.idle();
    },
    [id, value] as const,
  );
}

/** A timing: retried when another job's burst of CPU load hits SwiftShader (the host is shared). */
const TIMING = { retry: 2 };

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
/** The host's 1-minute load average per core: SwiftShader runs WebGL on the CPU, so its timings follow the load. */
const load = (): string => `load ${loadavg()[0].toFixed(1)} on ${availableParallelism()} cores`;

for (const backend of ['webgl', 'wasm'] as const) {
  describe(`studio on ${backend}`, () => {
    let loaded: Loaded;

    beforeAll(async () => {
      loaded = await openStudio(`?backend=${backend}&model=001-expression-synthesis/dcgan-generator&seed=0`);
    }, 90_000);

    afterAll(async () => {
      await loaded?.page.close();
    });

    it('draws the first image and shows its backend', async () => {
      const { page } = loaded;
      expect(await page.evaluate(() => window.__studio!.backend)).toBe(backend);
      expect(await page.locator('#backend-name').textContent()).toBe(backend);
      expect(await page.evaluate(() => window.__studio!.imageChecksum())).toBeGreaterThan(0);
    });

    it('raises the smile readout when the smile slider moves', async () => {
      const { page } = loaded;
      await moveSlider(page, 'tlgan-smile', 0);
      const before = await page.evaluate(() => ({ smile: window.__studio!.read('smile'), image: window.__studio!.imageChecksum() }));
      // by keyboard, as a user would: focus the labelled slider, End moves it to its maximum
      await page.getByLabel('smile (TL-GAN axis)').focus();
      await page.keyboard.press('End');
      await page.evaluate(() => window.__studio!.idle());
      const after = await page.evaluate(() => ({ smile: window.__studio!.read('smile'), image: window.__studio!.imageChecksum() }));
      console.log(`[studio ${backend}] smile readout ${before.smile.toFixed(3)} → ${after.smile.toFixed(3)} along the TL-GAN smile axis (α 0 → 3)`);
      expect(after.image).not.toBe(before.image);
      expect(after.smile).toBeGreaterThan(before.smile + 0.03);
      if (backend === 'webgl') {
        await page.screenshot({ path: process.env.GANKIT_STUDIO_SCREENSHOT === '1' ? path.join(REPO_ROOT, 'docs', 'studio.png') : path.join(dir, 'studio.png') });
      }
    });

    it(`measures a slider update against the ${SLIDER_BUDGET_MS} ms budget${backend === 'webgl' ? '' : ' (the budget is for webgl)'}`, TIMING, async () => {
      const { page } = loaded;
      const times: number[] = [];
      for (let i = 0; i < 30; i++) {
        await moveSlider(page, 'interfacegan-smile', -3 + (6 * i) / 29);
        times.push(await page.evaluate(() => window.__studio!.durations.at(-1)!));
      }
      const m = median(times);
      console.log(
        `[studio ${backend}] slider update (generator + readout + draw, 32-px DCGAN, 001 checkpoint): median ${m.toFixed(1)} ms, max ${Math.max(...times).toFixed(1)} ms over ${times.length} moves (${load()}); budget ${SLIDER_BUDGET_MS} ms: ${m <= SLIDER_BUDGET_MS ? 'within' : 'OVER'}`,
      );
      expect(m).toBeLessThanOrEqual(SLIDER_LIMIT_MS);
    });

    it(`measures a 64-px generator's slider update against the ${SLIDER_BUDGET_MS} ms budget${backend === 'webgl' ? '' : ' (the budget is for webgl)'}`, TIMING, async () => {
      const { page } = loaded;
      // no bundled generator is 64 px: an untrained 64-px DCGAN (001's architecture) through the same draw path
      const before = await page.evaluate(() => window.__studio!.numTensors());
      const times = await page.evaluate(() => window.__studio!.timeGenerator(64, 30));
      const m = median(times);
      console.log(
        `[studio ${backend}] slider update (generator + readout + draw, 64-px DCGAN, untrained stand-in): median ${m.toFixed(1)} ms, max ${Math.max(...times).toFixed(1)} ms over ${times.length} moves (${load()}); budget ${SLIDER_BUDGET_MS} ms: ${m <= SLIDER_BUDGET_MS ? 'within' : 'OVER'}`,
      );
      expect(await page.evaluate(() => window.__studio!.numTensors())).toBe(before);
      // the budget is stated for 64 px: ~85 ms on 2 cores with software compositing (see chromium.ts)
      expect(m).toBeLessThanOrEqual(SLIDER_LIMIT_MS);
    });

    it(`keeps the tensor count flat over ${MOVES} slider moves, coalescing the draws`, async () => {
      const { page } = loaded;
      const r = await page.evaluate(async (moves) => {
        const s = window.__studio!;
        await s.idle();
        const tensors = s.numTensors();
        const draws = s.draws();
        const input = document.getElementById('slider-pca-0') as HTMLInputElement;
        for (let i = 0; i < moves; i++) {
          input.value = String(-3 + (6 * (i % 50)) / 49);
          input.dispatchEvent(new Event('input', { bubbles: true }));
          // a drag's pace: input events every couple of milliseconds, faster than a draw
          await new Promise((resolve) => setTimeout(resolve, 2));
        }
        await s.idle();
        return { before: tensors, after: s.numTensors(), draws: s.draws() - draws };
      }, MOVES);
      console.log(`[studio ${backend}] ${MOVES} slider moves: tensors ${r.before} → ${r.after}, ${r.draws} draws (coalesced)`);
      expect(r.after).toBe(r.before);
      expect(r.draws).toBeGreaterThan(0);
      expect(r.draws).toBeLessThan(MOVES);
    });

    it('locks TL-GAN axes and conditions InterFaceGAN boundaries without errors', async () => {
      const { page } = loaded;
      await page.getByLabel('lock blond').check();
      await page.getByLabel('condition on').selectOption('interfacegan-blond');
      await moveSlider(page, 'tlgan-smile', 2);
      await moveSlider(page, 'interfacegan-smile', 2);
      expect(await page.evaluate(() => document.body.dataset.error ?? null)).toBeNull();
    });

    it('labels every control and reaches it from the keyboard', async () => {
      const { page } = loaded;
      const unlabelled = await page.evaluate(() =>
        Array.from(document.querySelectorAll('input, select, button'))
          .filter((el) => {
            const e = el as HTMLInputElement;
            const named = (e.labels?.length ?? 0) > 0 || e.getAttribute('aria-label') || (el.tagName === 'BUTTON' && el.textContent!.trim().length > 0);
            return !named || e.tabIndex < 0;
          })
          .map((el) => el.id || el.outerHTML.slice(0, 60)),
      );
      expect(unlabelled).toEqual([]);
      await page.locator('#model').focus();
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('backend');
    });

    it('logs no console errors', () => {
      expect(loaded.consoleErrors).toEqual([]);
    });
  });
}

describe('studio models', () => {
  it('picks the first backend that starts (webgpu → webgl → wasm) when none is named', async () => {
    const { page, consoleErrors } = await openStudio('');
    try {
      const backend = await page.evaluate(() => window.__studio!.backend);
      console.log(`[studio] default backend in headless Chromium: ${backend}`);
      expect(['webgpu', 'webgl', 'wasm']).toContain(backend);
      expect(consoleErrors).toEqual([]);
    } finally {
      await page.close();
    }
  }, 90_000);

  for (const spec of MODELS.filter((m) => !m.unavailable)) {
    it(`loads ${spec.id} on wasm, draws it and moves its first slider`, async () => {
      const { page, consoleErrors } = await openStudio(`?backend=wasm&model=${spec.id}`);
      try {
        const first = await page.evaluate(() => window.__studio!.imageChecksum());
        const id = await page.locator('input[type=range]').first().getAttribute('data-direction');
        await page.locator('input[type=range]').first().focus();
        await page.keyboard.press('End');
        await page.evaluate(() => window.__studio!.idle());
        expect(id).toBeTruthy();
        expect(await page.evaluate(() => window.__studio!.imageChecksum())).not.toBe(first);
        expect(consoleErrors).toEqual([]);
      } finally {
        await page.close();
      }
    }, 60_000);
  }

  it('exports the current image and an α-strip of the slider moved last as PNG', async () => {
    const { page } = await openStudio('?backend=wasm&model=001-expression-synthesis/dcgan-generator');
    try {
      await page.getByLabel('blond (InterFaceGAN boundary)').focus();
      await page.keyboard.press('ArrowRight');
      await page.evaluate(() => window.__studio!.idle());
      const sizeOf = async (button: string) => {
        const [download] = await Promise.all([page.waitForEvent('download'), page.click(button)]);
        const file = path.join(dir, download.suggestedFilename());
        await download.saveAs(file);
        const png = readFileSync(file);
        expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
        return { name: download.suggestedFilename(), width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
      };
      expect(await sizeOf('#export-image')).toEqual({ name: 'gankit-001-expression-synthesis-dcgan-generator-seed0.png', width: 256, height: 256 });
      expect(await sizeOf('#export-strip')).toEqual({ name: 'gankit-001-expression-synthesis-dcgan-generator-seed0-interfacegan-blond-strip.png', width: 7 * 256, height: 256 });
    } finally {
      await page.close();
    }
  });

  it('draws the next seed on "new sample"', async () => {
    const { page } = await openStudio('?backend=wasm&model=001-expression-synthesis/dcgan-generator&seed=5');
    try {
      const before = await page.evaluate(() => window.__studio!.imageChecksum());
      await page.click('#new-sample');
      await page.evaluate(() => window.__studio!.idle());
      expect(await page.inputValue('#seed')).toBe('6');
      expect(await page.evaluate(() => window.__studio!.imageChecksum())).not.toBe(before);
    } finally {
      await page.close();
    }
  });

  it("adds the DFC-VAE's smile attribute vector (latent arithmetic) and the smile readout rises", async () => {
    const { page, consoleErrors } = await openStudio('?backend=wasm&model=001-expression-synthesis/dfc-vae-decoder&seed=0');
    try {
      const before = await page.evaluate(() => ({ smile: window.__studio!.read('smile'), image: window.__studio!.imageChecksum() }));
      await page.getByLabel('smile (VAE latent arithmetic)').focus();
      await page.keyboard.press('End');
      await page.evaluate(() => window.__studio!.idle());
      const after = await page.evaluate(() => ({ smile: window.__studio!.read('smile'), image: window.__studio!.imageChecksum() }));
      console.log(`[studio wasm] DFC-VAE smile readout ${before.smile.toFixed(3)} → ${after.smile.toFixed(3)} along the smile attribute vector (f 0 → 2)`);
      expect(after.image).not.toBe(before.image);
      expect(after.smile).toBeGreaterThan(before.smile + 0.03);
      expect(consoleErrors).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
