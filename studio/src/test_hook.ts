/**
 * `window.__studio`: the page's small hook for tests and for measuring (tensor counts, draw
 * times, readouts). Set by main.ts once the first image is drawn.
 */
export interface StudioHook {
  backend: string;
  model: string;
  numTensors(): number;
  /** Milliseconds of each draw (generator + readouts + drawing), newest last. */
  durations: number[];
  draws(): number;
  requests(): number;
  idle(): Promise<void>;
  /** A readout value by label, e.g. read('smile'). */
  read(label: string): number;
  /**
   * Time `moves` slider updates of an untrained DCGAN generator of `size` px (the 001 architecture,
   * ngf 32, z 64) through the same draw, with this model's readout on the image resized to its input:
   * no bundled generator is 64 px, so the speed budget for 64 px is measured on this stand-in.
   */
  timeGenerator(size: number, moves: number): Promise<number[]>;
  /** The drawn image's pixels summed (changes when the image does). */
  imageChecksum(): number;
}

declare global {
  interface Window {
    __studio?: StudioHook;
  }
}
