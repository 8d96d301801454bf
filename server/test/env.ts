import { afterAll } from "vitest";

/**
 * Sets environment variables for one test file and puts them back after it: files share a worker process,
 * so a variable left set would change the servers the next file starts.
 */
export function useEnv(vars: Record<string, string>): void {
  const saved = Object.fromEntries(Object.keys(vars).map((name) => [name, process.env[name]]));
  Object.assign(process.env, vars);
  afterAll(() => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });
}
