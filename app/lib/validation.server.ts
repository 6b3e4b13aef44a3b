/**
 * The zod helpers for route loaders and actions. Routes import them from here so the browser bundle never carries zod:
 * the Remix compiler leaves `.server` modules out of the client build (a plain import of validation.ts stays in it as
 * a side-effect import, zod and all). Client code that needs a check uses plain functions instead.
 */
export * from "./validation";
