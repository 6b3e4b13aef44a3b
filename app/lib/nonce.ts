import { createContext, useContext } from "react";

/**
 * The Content-Security-Policy nonce of this response (entry.server.tsx makes one per document). Remix's inline
 * scripts carry it; in the browser it is empty, which is fine: scripts are only checked when the page loads.
 */
export const NonceContext = createContext<string | undefined>(undefined);
export const useNonce = () => useContext(NonceContext);
