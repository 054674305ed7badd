/** Weight initializers (the public `initializers` namespace); the code lives in initializers/. */
export * from './initializers/index.js';
