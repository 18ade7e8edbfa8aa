// The shape every subcommand module exports as `command`.

/** A subcommand: a one-line summary, its help text, and its runner (returns the exit code). */
export interface Subcommand {
  summary: string;
  help: string;
  run(argv: string[]): Promise<number>;
}
