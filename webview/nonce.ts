// Runs first (imported before anything that loads Lit): Lit tags the <style> elements of its
// fallback path with `litNonce`, so they pass the page's style-src nonce.
const script = document.currentScript as HTMLScriptElement | null;
const nonce = script?.nonce || script?.getAttribute('nonce') || '';
if (nonce) (globalThis as { litNonce?: string }).litNonce = nonce;
export {};
