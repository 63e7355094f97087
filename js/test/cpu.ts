/**
 * CPU time of this test process in milliseconds, for the scaling tests: unlike wall-clock time
 * it does not count time that other processes on a shared machine take from this one.
 */
export function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}
