/** The citizen request handlers live in ./citizen/ (one file per service); this module keeps the old import path. */
export * from './citizen/index.js';
