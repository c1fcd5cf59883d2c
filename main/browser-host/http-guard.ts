/** Moved to main/core/http-guard.ts (both HTTP hosts and the queue API use it; core sits below them). */
export * from '../core/http-guard.js';
