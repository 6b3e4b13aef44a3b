/** The quiz schemas for route loaders and actions, kept out of the browser bundle (see app/lib/validation.server.ts). */
export * from "./schema";
