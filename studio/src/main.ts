/**
 * gankit studio: pick a bundled generator, draw a sample, move along its learned directions and
 * watch the classifier readouts, live on the page's own backend. Sets `document.body.dataset.ready
 * = "1"` once the first image is drawn, or `data-error` to the message on failure (the browser
 * test waits on these). `window.__studio` is a small hook for tests (tensor counts, draw times).
 */
import * as tf from '@tensorflow/tfjs-core';
import { activateBackend, mountBackendSwitch } from './backend_switch.js';
import { DEFAULT_MODEL, MODELS, findModel } from './model_registry.js';
import { StudioSession } from './studio_session.js';
import { DirectionSliders } from './direction_sliders.js';
import { ReadoutBars } from './readout_bars.js';
import { DrawScheduler } from './draw_scheduler.js';
import { downloadPng, scaledCopy, stripCanvas } from './png_export.js';
import { drawFrame } from './draw_frame.js';
import { timeUntrainedGenerator } from './speed_probe.js';
import './test_hook.js'; // window.__studio's type

const STRIP_STEPS = 7;

function byId<T extends HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`studio: the page has no #${id}`);
  return el as T;
}

function fail(err: unknown): void {
  const message = err instanceof Error ? err.message : String(err);
  document.body.dataset.error = message;
  byId('status').textContent = `error: ${message}`;
  console.error(err);
}

async function start(): Promise<void> {
  const params = new URLSearchParams(location.search);
  const backend = await activateBackend(params.get('backend'));
  mountBackendSwitch(byId<HTMLSelectElement>('backend'), backend);
  byId('backend-name').textContent = backend;

  const modelId = params.get('model') ?? DEFAULT_MODEL;
  const spec = findModel(modelId);
  const picker = byId<HTMLSelectElement>('model');
  picker.replaceChildren(...MODELS.map((m) => Object.assign(new Option(m.unavailable ? `${m.title}: ${m.unavailable}` : m.title, m.id, false, m.id === spec.id), { disabled: m.unavailable != null })));
  picker.addEventListener('change', () => {
    const url = new URL(location.href);
    url.searchParams.set('model', picker.value);
    location.href = url.href;
  });

  byId('status').textContent = `loading ${spec.title}…`;
  const session = await StudioSession.load(spec);
  const canvas = byId<HTMLCanvasElement>('image');
  const readoutBox = byId('readouts');
  readoutBox.replaceChildren();
  const bars = spec.readouts.map((r, i) => new ReadoutBars(readoutBox, r, i));

  const scheduler = new DrawScheduler(async () => {
    const { image, readouts } = session.render(sliders.state);
    try {
      const values = await drawFrame(canvas, image, readouts);
      values.forEach((v, i) => bars[i].update(v));
    } finally {
      tf.dispose([image, ...readouts]);
    }
  });
  scheduler.onError = fail;
  const sliders = new DirectionSliders(byId('sliders'), session, () => void scheduler.request());

  const seedBox = byId<HTMLInputElement>('seed');
  seedBox.value = params.get('seed') ?? '0';
  const newSample = (seed: number): Promise<void> => {
    sliders.setValues(session.newSample(seed));
    return scheduler.request();
  };
  byId('new-sample').addEventListener('click', () => {
    // the next seed, not a random one: every sample stays reproducible from the number in the box
    const seed = (Number(seedBox.value) || 0) + 1;
    seedBox.value = String(seed);
    void newSample(seed);
  });
  seedBox.addEventListener('change', () => void newSample(Number(seedBox.value)).catch(fail));

  byId('export-image').addEventListener('click', () => void downloadPng(scaledCopy(canvas), `gankit-${spec.id.replace('/', '-')}-seed${session.seed}.png`).catch(fail));
  byId('export-strip').addEventListener('click', () => void exportStrip().catch(fail));
  async function exportStrip(): Promise<void> {
    const s = sliders.lastMoved;
    if (!s) throw new Error('studio: this model has no slider to make an α-strip of');
    await scheduler.idle();
    const saved = sliders.state.values[s.id];
    const images: tf.Tensor3D[] = [];
    try {
      for (let k = 0; k < STRIP_STEPS; k++) {
        sliders.state.values[s.id] = s.min + ((s.max - s.min) * k) / (STRIP_STEPS - 1);
        const r = session.render(sliders.state);
        tf.dispose(r.readouts);
        images.push(r.image);
      }
      await downloadPng(await stripCanvas(images), `gankit-${spec.id.replace('/', '-')}-seed${session.seed}-${s.id}-strip.png`);
    } finally {
      sliders.state.values[s.id] = saved;
      tf.dispose(images);
    }
  }
  byId('strip-of').textContent = sliders.lastMoved ? sliders.lastMoved.label : '—';
  byId('sliders').addEventListener('input', () => (byId('strip-of').textContent = sliders.lastMoved?.label ?? '—'));

  const notes = [
    ...(session.directions?.notes ?? []),
    ...(spec.kind === 'ganimation' ? ['The input face is rendered by the synthetic-face renderer from the seed; the sliders start at its own AUs.'] : []),
  ];
  byId('notes').textContent = notes.join(' ');

  await newSample(Number(seedBox.value) || 0);
  window.__studio = {
    backend,
    model: spec.id,
    numTensors: () => tf.memory().numTensors,
    durations: scheduler.durations,
    draws: () => scheduler.draws,
    requests: () => scheduler.requests,
    idle: () => scheduler.idle(),
    read: (label) => {
      for (const b of bars) if (b.spec.labels.includes(label)) return b.read(label);
      throw new Error(`studio: no readout named '${label}'`);
    },
    timeGenerator: (size, moves) => timeUntrainedGenerator(session, size, moves),
    imageChecksum: () => {
      const data = canvas.getContext('2d', { willReadFrequently: true })!.getImageData(0, 0, canvas.width, canvas.height).data;
      let sum = 0;
      for (let i = 0; i < data.length; i++) sum += data[i] * ((i % 97) + 1);
      return sum;
    },
  };
  byId('status').textContent = `${spec.title} on ${backend}`;
  document.body.dataset.ready = '1';
}

start().catch(fail);
