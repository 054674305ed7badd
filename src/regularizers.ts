// Filled in by the work in progress.
export {};
