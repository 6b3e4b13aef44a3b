/** Route imports go through here so the browser bundle leaves zod out (as exams/schema.server.ts). */
export * from "./schema";
