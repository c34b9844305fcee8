/** Node-only dataset loaders (file system + sharp decoding); exported from `gankit/node`. */
export { loadSharp, decodeImage, bytesToRange, listImageFiles, IMAGE_EXTENSIONS } from './image.js';
export type { DecodeImageOptions, DecodedImage } from './image.js';
export { readIdxFile, loadMnist, loadFashionMnist, mnistSource, FASHION_MNIST_TRAIN_PER_CLASS } from './mnist.js';
export type { MnistData, MnistOptions, FashionMnistOptions } from './mnist.js';
export { CELEBA_CROP_HOLOGAN, CELEBA_CROP_PYTORCH_VAE, celebaSource, loadFer2013, fer2013Source, FERG_EMOTIONS, fergSource, loadAuTable, auImageSource, imageFolderSource } from './datasets.js';
export type { ImageSourceOptions, FileImageSource, CelebaOptions, FergOptions } from './datasets.js';
