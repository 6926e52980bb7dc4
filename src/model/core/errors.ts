// The one way to turn a thrown value into text for a person: an Error's message, anything else
// as a string; `firstLine` for one-line reports (a native module's message can run to pages).

export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** The first line of errorMessage(e). */
export function firstLine(e: unknown): string {
  return errorMessage(e).split('\n')[0];
}
