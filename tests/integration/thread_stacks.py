"""What a process that hangs is waiting for: its threads' stacks."""
import shutil
import subprocess
import sys


def print_thread_stacks(pid, why):
    """Every thread's stack of process pid on stderr (with gdb, when it is
    installed): what a hang was waiting for, in the failed test's output."""
    if not shutil.which("gdb"):
        return
    result = subprocess.run(["gdb", "-p", str(pid), "-batch", "-ex", "thread apply all bt 12"],
                            stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=120)
    print(f"{why}; its threads:\n{result.stdout[-12000:]}", file=sys.stderr)


def wait_or_kill(proc, timeout, why):
    """Waits for proc to end; past timeout, prints its stacks and kills it."""
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        print_thread_stacks(proc.pid, why)
        proc.kill()
        proc.wait()
