import "@remix-run/node";

// Types for Remix single fetch (future.v3_singleFetch in remix.config.js).
declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}
