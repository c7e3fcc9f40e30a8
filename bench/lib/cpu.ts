import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";

/**
 * CPU time that processes have used, read from Linux's /proc: what one answer costs each side (the
 * app server, its PostgreSQL sessions), whatever else the machine is doing. Rates swing with a noisy
 * machine; CPU per answer moves far less, so it says where the time goes.
 */

let ticksPerSecond: number | null = null;

function clockTicks(): number {
  ticksPerSecond ??= Number(execFileSync("getconf", ["CLK_TCK"]).toString().trim()) || 100;
  return ticksPerSecond;
}

/** User + system CPU milliseconds used so far by these processes (those gone or unreadable count 0). */
export function cpuMs(pids: number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    try {
      // Fields after the command name (which may hold spaces), counted from field 3: utime is 14, stime 15.
      const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ").pop()!.split(" ");
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // not Linux, or the process has exited
    }
  }
  return (ticks * 1000) / clockTicks();
}

/**
 * CPU milliseconds the whole machine has spent idle so far, all cores together (/proc/stat: idle and
 * iowait): what a phase left unused, so a rate that is not CPU-bound shows as such.
 */
export function idleCpuMs(): number {
  try {
    const f = readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).slice(1).map(Number);
    return ((f[3] + f[4]) * 1000) / clockTicks();
  } catch {
    return 0;
  }
}
