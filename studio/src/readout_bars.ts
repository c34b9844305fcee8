/**
 * Live bars of a classifier's or regressor's outputs beside the image: one labelled `<meter>` per
 * output (emotion probabilities, AU intensities, attribute scores), so that screen readers get
 * the values too.
 */
import type { ReadoutSpec } from './model_registry.js';

export class ReadoutBars {
  private readonly meters: HTMLMeterElement[] = [];
  private readonly texts: HTMLOutputElement[] = [];
  private readonly shown: number[];
  /** The last values drawn, per output (the test hook reads them). */
  values: number[] = [];

  constructor(
    container: HTMLElement,
    readonly spec: ReadoutSpec,
    index: number,
  ) {
    this.shown = spec.show ?? spec.labels.map((_, i) => i);
    const group = document.createElement('fieldset');
    group.className = 'readout';
    const legend = document.createElement('legend');
    legend.textContent = spec.title;
    group.append(legend);
    for (const i of this.shown) {
      const id = `readout-${index}-${spec.labels[i]}`;
      const row = document.createElement('div');
      row.className = 'bar';
      const label = document.createElement('label');
      label.htmlFor = id;
      label.textContent = spec.labels[i];
      const meter = document.createElement('meter');
      meter.id = id;
      meter.min = 0;
      meter.max = 1;
      meter.dataset.readout = spec.labels[i];
      const text = document.createElement('output');
      text.htmlFor.add(id);
      row.append(label, meter, text);
      group.append(row);
      this.meters.push(meter);
      this.texts.push(text);
    }
    container.append(group);
  }

  update(values: ArrayLike<number>): void {
    this.values = Array.from(values);
    this.shown.forEach((i, k) => {
      const v = values[i];
      this.meters[k].value = Math.min(1, Math.max(0, v));
      this.texts[k].value = this.spec.format ? this.spec.format(v, i) : v.toFixed(2);
    });
  }

  /** The value of the output named `label`. */
  read(label: string): number {
    const i = this.spec.labels.indexOf(label);
    if (i < 0) throw new Error(`studio: readout '${this.spec.title}' has no output '${label}'; it has ${this.spec.labels.join(', ')}`);
    return this.values[i];
  }
}
