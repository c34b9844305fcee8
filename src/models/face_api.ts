import * as tf from '@tensorflow/tfjs-core';

/**
 * Frozen, differentiable wrappers around @vladmandic/face-api's pretrained networks (offline
 * weights in its npm package): the 7-way facial-expression classifier and the 128-D face
 * descriptor (a ResNet-34-like FaceNet-style embedding), for scoring and steering real faces
 * (document 000 uses an expression/AU model and a pretrained identity embedding; here they are the
 * real-face counterparts of the heads in ./heads.ts).
 *
 * gankit does not import face-api itself (it is a large optional dependency with Node and browser
 * builds): pass the loaded module. In Node:
 * ```ts
 * const faceapi = createRequire(import.meta.url)('@vladmandic/face-api/dist/face-api.node-wasm.js');
 * const heads = await loadFaceApiHeads(faceapi, path.join(faceApiPackageDir, 'model'));
 * const probs = heads.expressions(images);   // [B, 7], differentiable w.r.t. images
 * ```
 * face-api shares gankit's tfjs engine (tfjs keeps one engine per process), its weights are plain
 * tensors, never variables, so they stay frozen under any optimiser. Gradients flow through the
 * nets' own resizing/normalisation to the input pixels (checked against finite differences).
 */

/** face-api's expression order. */
export const FACE_API_EXPRESSIONS = ['neutral', 'happy', 'sad', 'angry', 'fearful', 'disgusted', 'surprised'] as const;

interface FaceApiNet {
  isLoaded: boolean;
  loadFromDisk(dir: string): Promise<void>;
  forwardInput(input: unknown): tf.Tensor;
}

/** The part of the face-api module the wrappers use. */
export interface FaceApiModule {
  nets: { faceExpressionNet: FaceApiNet; faceRecognitionNet: FaceApiNet };
  NetInput: new (inputs: tf.Tensor3D[], treatAsBatchInput?: boolean) => unknown;
}

/** Value range of the images given to the wrappers; converted to face-api's RGB 0..255. */
export type FaceApiInputRange = '0-255' | '0-1' | '-1-1';

export interface FaceApiHeadsOptions {
  /** Range of the input images (default '-1-1', gankit generators' tanh range). */
  inputRange?: FaceApiInputRange;
}

/** The expression classifier and the face descriptor as functions of image batches [B, H, W, 3]. */
export class FaceApiHeads {
  readonly inputRange: FaceApiInputRange;
  constructor(
    readonly faceapi: FaceApiModule,
    options: FaceApiHeadsOptions = {},
  ) {
    if (faceapi == null || faceapi.nets == null || typeof faceapi.NetInput !== 'function') {
      throw new Error("FaceApiHeads: 'faceapi' must be the @vladmandic/face-api module (with .nets and .NetInput)");
    }
    for (const name of ['faceExpressionNet', 'faceRecognitionNet'] as const) {
      if (!faceapi.nets[name]?.isLoaded) throw new Error(`FaceApiHeads: face-api's ${name} is not loaded; use loadFaceApiHeads(faceapi, modelDir) or load it first`);
    }
    this.inputRange = options.inputRange ?? '-1-1';
    if (!['0-255', '0-1', '-1-1'].includes(this.inputRange)) throw new Error(`FaceApiHeads: 'inputRange' must be '0-255', '0-1' or '-1-1'; got ${String(this.inputRange)}`);
  }

  private netInput(where: string, images: tf.Tensor): unknown {
    if (images.rank !== 4 || images.shape[3] !== 3) throw new Error(`${where}: 'images' must be RGB crops [B, H, W, 3]; got [${images.shape.join(', ')}]`);
    const scaled = this.inputRange === '0-255' ? images : this.inputRange === '0-1' ? tf.mul(images, 255) : tf.mul(tf.add(images, 1), 127.5);
    // One Tensor3D per image with treatAsBatchInput: a Tensor4D would be read as a feature map.
    // (slice + reshape rather than tf.unstack, whose gradient breaks on a batch of one.)
    const [b, h, w] = images.shape;
    const list = Array.from({ length: b }, (_, i) => tf.reshape(tf.slice(scaled, [i, 0, 0, 0], [1, h, w, 3]), [h, w, 3]) as tf.Tensor3D);
    return new this.faceapi.NetInput(list, true);
  }

  /** Expression probabilities [B, 7] in {@link FACE_API_EXPRESSIONS} order. */
  expressions(images: tf.Tensor): tf.Tensor2D {
    return tf.tidy(() => this.faceapi.nets.faceExpressionNet.forwardInput(this.netInput('FaceApiHeads.expressions', images)) as tf.Tensor2D);
  }

  /** 128-D face descriptors [B, 128] (same person: Euclidean distance below ~0.6). */
  descriptors(images: tf.Tensor): tf.Tensor2D {
    return tf.tidy(() => {
      const d = this.faceapi.nets.faceRecognitionNet.forwardInput(this.netInput('FaceApiHeads.descriptors', images));
      return tf.reshape(d, [images.shape[0], 128]) as tf.Tensor2D;
    });
  }
}

/** Load the expression and recognition weights from `modelDir` (face-api's `model/` folder) and wrap them. */
export async function loadFaceApiHeads(faceapi: FaceApiModule, modelDir: string, options: FaceApiHeadsOptions = {}): Promise<FaceApiHeads> {
  if (typeof modelDir !== 'string' || modelDir.length === 0) throw new Error(`loadFaceApiHeads: 'modelDir' must be face-api's model directory; got ${String(modelDir)}`);
  for (const name of ['faceExpressionNet', 'faceRecognitionNet'] as const) {
    if (!faceapi?.nets?.[name]) throw new Error(`loadFaceApiHeads: 'faceapi' has no nets.${name}; pass the @vladmandic/face-api module`);
    if (!faceapi.nets[name].isLoaded) await faceapi.nets[name].loadFromDisk(modelDir);
  }
  return new FaceApiHeads(faceapi, options);
}
