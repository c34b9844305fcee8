/**
 * WebGPU for tfjs, in Node and in browsers.
 *
 * In a browser `navigator.gpu` is the browser's. In Node it comes from the optional peer `webgpu`
 * (Dawn's Node bindings, prebuilt for linux/mac/win): {@link ensureNavigatorGpu} loads it by
 * dynamic import and installs `navigator.gpu` and the WebGPU globals (`GPUBufferUsage`, …) that
 * `@tensorflow/tfjs-backend-webgpu` expects. The backend package registers itself only when
 * `navigator.gpu` exists at import time, so it is imported after that.
 *
 * Without a GPU, a CPU emulator can still serve as the adapter (Chromium's SwiftShader Vulkan
 * driver, Mesa's llvmpipe): right for checking parity, never for speed, so `setupBackend('auto')`
 * skips emulated adapters and only an explicit `'webgpu'` takes them.
 */

/** What the WebGPU adapter says about itself (`GPUAdapter.info`), plus whether it is a CPU emulator. */
export interface GpuAdapterDescription {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  /** SwiftShader, llvmpipe/lavapipe, WARP or a fallback adapter: a CPU pretending to be a GPU. */
  isEmulator: boolean;
}

/** Where Debian's `chromium` package puts SwiftShader's Vulkan driver manifest. */
export const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

const EMULATORS = /swiftshader|llvmpipe|lavapipe|softpipe|microsoft basic render|\bwarp\b/i;

/** True for adapters that run on the CPU (by name, or `isFallbackAdapter`). */
export function isEmulatedAdapter(info: Partial<Omit<GpuAdapterDescription, 'isEmulator'>>, isFallbackAdapter = false): boolean {
  if (isFallbackAdapter) return true;
  return [info.vendor, info.architecture, info.device, info.description].some((s) => typeof s === 'string' && EMULATORS.test(s));
}

type NavigatorWithGpu = { gpu?: { requestAdapter(options?: { powerPreference?: string }): Promise<AdapterLike | null> } };
interface AdapterLike {
  info?: Partial<Omit<GpuAdapterDescription, 'isEmulator'>>;
  isFallbackAdapter?: boolean;
}

const isNode = (): boolean => typeof process !== 'undefined' && process.versions?.node != null;

/**
 * Make `navigator.gpu` available: the browser's, or in Node the one from the optional peer
 * `webgpu` (installed here with its globals). Throws a message that says what to install.
 */
export async function ensureNavigatorGpu(): Promise<void> {
  const g = globalThis as { navigator?: NavigatorWithGpu };
  if (g.navigator?.gpu != null) return;
  if (!isNode()) throw new Error('this browser has no WebGPU (navigator.gpu is undefined)');
  let webgpu: { create(flags: string[]): unknown; globals: object };
  try {
    const specifier = 'webgpu'; // through a variable, so that bundlers for the browser leave it alone
    webgpu = await import(/* @vite-ignore */ specifier);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (/cannot find|not found|ERR_MODULE_NOT_FOUND/i.test(message)) throw new Error("the optional peer 'webgpu' is not installed (npm i webgpu)");
    throw new Error(`the 'webgpu' package failed to load: ${message.split('\n')[0]}`);
  }
  for (const [key, value] of Object.entries(webgpu.globals)) {
    if (!(key in globalThis)) (globalThis as Record<string, unknown>)[key] = value;
  }
  // Vulkan's Wayland/X probing wants a runtime dir; without one it prints an error per adapter.
  if (process.env.XDG_RUNTIME_DIR == null) process.env.XDG_RUNTIME_DIR = (await import('node:os')).tmpdir();
  const gpu = webgpu.create([]);
  if (g.navigator == null) {
    Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true, writable: true });
  } else {
    // Node ≥ 21 has a global navigator without gpu.
    Object.defineProperty(g.navigator, 'gpu', { value: gpu, configurable: true });
  }
}

/**
 * Ask for the adapter that tfjs-backend-webgpu will use (high-performance) and describe it.
 * Returns null when there is none (no driver), with `navigator.gpu` installed either way.
 */
export async function describeGpuAdapter(): Promise<GpuAdapterDescription | null> {
  await ensureNavigatorGpu();
  const gpu = (globalThis as { navigator: Required<NavigatorWithGpu> }).navigator.gpu;
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (adapter == null) return null;
  const info = adapter.info ?? {};
  const text = (s: unknown): string => (typeof s === 'string' ? s : '');
  return {
    vendor: text(info.vendor),
    architecture: text(info.architecture),
    device: text(info.device),
    description: text(info.description),
    isEmulator: isEmulatedAdapter(info, adapter.isFallbackAdapter === true),
  };
}

/** Why no adapter was found, and what to do about it (for error messages). */
export function noAdapterHint(): string {
  if (!isNode()) return 'the browser offers no WebGPU adapter (check chrome://gpu, or try webgl)';
  const icd = process.env?.VK_ICD_FILENAMES;
  return icd
    ? `no WebGPU adapter from the Vulkan driver in VK_ICD_FILENAMES=${icd} (Mesa lavapipe lacks features tfjs needs; SwiftShader works)`
    : `no WebGPU adapter: install a GPU driver with Vulkan/Metal/D3D12, or for a CPU emulator (parity checks only) apt-get install chromium libvulkan1 and set VK_ICD_FILENAMES=${SWIFTSHADER_ICD} XDG_RUNTIME_DIR=/tmp`;
}
