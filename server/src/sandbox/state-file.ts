import fs from "node:fs/promises";
import path from "node:path";
import type { SandboxSnapshot, SandboxState } from "./sandbox.state";

/** How long after a change the state is written, so a burst of writes costs one file write. */
const SAVE_DELAY_MS = 500;

export interface StateFile {
  /** Whether the state came from the file (false: seeded anew). */
  restored: boolean;
  /** Writes any pending change now. */
  flush(): Promise<void>;
}

/**
 * Keeps the sandbox's state in `file`: restores it from there when the file holds a state of the same seed and
 * stores, then writes it (atomically, through a temporary file) shortly after every change.
 */
export async function keepStateIn(state: SandboxState, file: string): Promise<StateFile> {
  let restored = false;
  try {
    restored = state.restore(JSON.parse(await fs.readFile(file, "utf8")) as SandboxSnapshot);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") {
      // An unreadable file is set aside, not lost: the sandbox starts from its seed.
      await fs.rename(file, `${file}.unreadable-${Date.now()}`).catch(() => undefined);
    }
  }
  await fs.mkdir(path.dirname(file), { recursive: true });
  let timer: NodeJS.Timeout | undefined;
  let writing: Promise<void> = Promise.resolve();
  const save = () => {
    timer = undefined;
    writing = writing.then(async () => {
      const temporary = `${file}.${process.pid}.tmp`;
      await fs.writeFile(temporary, JSON.stringify(state.snapshot()));
      await fs.rename(temporary, file);
    });
    return writing;
  };
  state.onChange = () => {
    timer ??= setTimeout(() => void save().catch(() => undefined), SAVE_DELAY_MS);
  };
  if (!restored) await save();
  return {
    restored,
    async flush() {
      if (timer) {
        clearTimeout(timer);
        await save();
      }
      await writing;
    },
  };
}
