// Filled in by the ops work in progress.
export {};
