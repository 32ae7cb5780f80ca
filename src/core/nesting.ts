/**
 * How deep any walk of ours goes: a document's top node is level 1, its children level 2, and so on
 * (through aliases too). Real configs stay under 20; the `yaml` package's composer and every recursive
 * walk run out of stack somewhere past 800 levels.
 */
export const MAX_NESTING = 512;

export const NESTED_TOO_DEEP = `nested deeper than ${MAX_NESTING} levels`;
