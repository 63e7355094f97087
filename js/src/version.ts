/** The package version, in a module of its own so every layer can read it without a cycle. */
export const VERSION = "0.2.0";
