/**
 * The slider panel: one labelled range input per learned direction (or explicit input), grouped
 * by source method, with TL-GAN's Gram–Schmidt lock boxes, InterFaceGAN's "condition on" choice
 * and the conditional DCGAN's label. Every control has a `<label>`, and all are native inputs,
 * so the panel is reachable and operable from the keyboard (Tab, arrows, Home/End).
 */
import { EMOTION_LABELS } from './model_registry.js';
import type { ControlState, SliderSpec, StudioSession } from './studio_session.js';

const GROUP_TITLES: Record<string, string> = {
  'TL-GAN axis': 'TL-GAN axes (lock: keep that attribute fixed while moving the others)',
  'InterFaceGAN boundary': 'InterFaceGAN boundaries',
  'GANSpace PCA': 'GANSpace top PCA components',
  'steerability walk': 'steerability walks',
  'HoloGAN view': 'HoloGAN view',
  'GANimation AU': 'GANimation AU intensities',
};

export function sliderElementId(id: string): string {
  return `slider-${id}`;
}

export class DirectionSliders {
  readonly state: ControlState = { values: {}, locked: new Set(), conditionOn: '', label: EMOTION_LABELS.indexOf('happy') };
  private readonly inputs = new Map<string, { input: HTMLInputElement; output: HTMLOutputElement }>();
  /** The slider moved last (the α-strip walks along it). */
  lastMoved: SliderSpec | null = null;

  constructor(
    container: HTMLElement,
    private readonly session: StudioSession,
    private readonly onChange: () => void,
  ) {
    container.replaceChildren();
    if (session.spec.kind === 'conditional') container.append(this.labelPicker());
    const byMethod = new Map<string, SliderSpec[]>();
    for (const s of session.sliders) byMethod.set(s.method, [...(byMethod.get(s.method) ?? []), s]);
    for (const [method, sliders] of byMethod) {
      const group = document.createElement('fieldset');
      group.className = 'sliders';
      const legend = document.createElement('legend');
      legend.textContent = GROUP_TITLES[method] ?? method;
      group.append(legend);
      if (method === 'InterFaceGAN boundary') group.append(this.conditionPicker());
      for (const s of sliders) group.append(this.slider(s));
      container.append(group);
    }
    this.lastMoved = session.sliders[0] ?? null;
  }

  private slider(s: SliderSpec): HTMLElement {
    const row = document.createElement('div');
    row.className = 'slider';
    const id = sliderElementId(s.id);
    const label = document.createElement('label');
    label.htmlFor = id;
    label.innerHTML = '';
    const name = document.createElement('span');
    name.textContent = s.label;
    const badge = document.createElement('small');
    badge.textContent = ` (${s.method})`;
    label.append(name, badge);
    const input = document.createElement('input');
    input.type = 'range';
    input.id = id;
    input.min = String(s.min);
    input.max = String(s.max);
    input.step = String(s.step);
    input.value = String(s.initial);
    input.dataset.direction = s.id;
    input.setAttribute('aria-describedby', `${id}-detail`);
    const output = document.createElement('output');
    output.htmlFor.add(id);
    const detail = document.createElement('span');
    detail.id = `${id}-detail`;
    detail.className = 'detail';
    detail.textContent = s.detail;
    input.addEventListener('input', () => {
      this.state.values[s.id] = Number(input.value);
      output.value = Number(input.value).toFixed(2);
      this.lastMoved = s;
      this.onChange();
    });
    row.append(label, input, output);
    if (s.direction?.group === 'tlgan') row.append(this.lockBox(s));
    row.append(detail);
    this.inputs.set(s.id, { input, output });
    this.state.values[s.id] = s.initial;
    output.value = s.initial.toFixed(2);
    return row;
  }

  private lockBox(s: SliderSpec): HTMLElement {
    const label = document.createElement('label');
    label.className = 'lock';
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.id = `lock-${s.id}`;
    box.addEventListener('change', () => {
      if (box.checked) this.state.locked.add(s.id);
      else this.state.locked.delete(s.id);
      this.onChange();
    });
    label.append(box, ` lock ${s.label}`);
    return label;
  }

  private conditionPicker(): HTMLElement {
    const label = document.createElement('label');
    label.className = 'condition';
    label.textContent = 'condition on ';
    const select = document.createElement('select');
    select.id = 'condition-on';
    const none = new Option('nothing (primal boundaries)', '');
    select.append(none, ...this.session.directionsOf('interfacegan').map((d) => new Option(`${d.label} (projectBoundary: the others lose their ${d.label} component)`, d.id)));
    select.addEventListener('change', () => {
      this.state.conditionOn = select.value;
      this.onChange();
    });
    label.append(select);
    return label;
  }

  private labelPicker(): HTMLElement {
    const label = document.createElement('label');
    label.className = 'condition';
    label.textContent = 'condition (emotion label) ';
    const select = document.createElement('select');
    select.id = 'label';
    select.append(...EMOTION_LABELS.map((e, i) => new Option(e, String(i), false, i === this.state.label)));
    select.addEventListener('change', () => {
      this.state.label = Number(select.value);
      this.onChange();
    });
    label.append(select);
    return label;
  }

  /** Set every slider (a new sample resets them). */
  setValues(values: Record<string, number>): void {
    for (const [id, v] of Object.entries(values)) {
      const el = this.inputs.get(id);
      this.state.values[id] = v;
      if (el) {
        el.input.value = String(v);
        el.output.value = v.toFixed(2);
      }
    }
  }
}
