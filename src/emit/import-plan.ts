// The names a generated module imports from one place, asked for by the code that uses them as it is written,
// so an import is there exactly when something uses it (the modules compile under noUnusedLocals) and a new
// shape of code needs no list kept beside it.

export class ImportPlan {
  private readonly names = new Set<string>();

  /** A value the code uses; returns its name, to write into that code. */
  use(name: string): string {
    this.names.add(name);
    return name;
  }

  /** A type the code uses; returns its name. */
  useType(name: string): string {
    this.names.add(`type ${name}`);
    return name;
  }

  /** The import list, `a, type B, c`: sorted by name, whatever its kind. */
  toString(): string {
    const key = (n: string) => n.replace(/^type /, "");
    return [...this.names].sort((a, b) => key(a).localeCompare(key(b))).join(", ");
  }
}
