/**
 * The service catalog (办事指南 / 一次性告知): schema, validation report, CSV exchange, browse and display helpers.
 * Pure: imported by the renderer and by main/catalog (search index, PDF documents).
 */
export * from './schema.js';
export * from './format.js';
export * from './validate.js';
export * from './csv.js';
export * from './browse.js';
export * from './checklist.js';
export * from './sample.js';
