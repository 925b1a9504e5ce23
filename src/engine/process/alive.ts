/** Whether a process id is alive on this machine (a lock's holder, a run's or a server's process). */
import { isCode } from "../missing.ts";

/** True for a live process, also one of another user (EPERM); false once it has exited. */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return isCode(err, "EPERM");
  }
}
