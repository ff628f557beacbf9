/* @ts-self-types="./types.d.ts" */
// Types only (see types.d.ts): the contract's shapes. Nothing to run.
export {};
