"""pipeline.report.terminal.ForkSafeStream: a stream a thread writes to while the process forks."""
import io
import os
import threading
import time

import pytest

from pipeline.report.terminal import ForkSafeStream, fork_safe


def test_writes_and_attributes_are_the_stream_s():
    target = io.StringIO()
    stream = fork_safe(target)
    assert stream.write("abc") == 3
    stream.flush()
    assert target.getvalue() == "abc"
    assert stream.isatty() is False
    assert fork_safe(stream) is stream


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork here")
def test_a_child_forked_while_a_thread_writes_can_write(tmp_path):
    """Without the lock held over fork, a child forked while the thread is inside a write starts
    with the file's buffer lock taken and hangs on its own write."""
    with open(tmp_path / "log.txt", "w", encoding="utf-8") as target:
        stream = ForkSafeStream(target)
        stop = threading.Event()

        def chatter() -> None:
            while not stop.is_set():
                stream.write("x" * 2000)
                stream.flush()

        thread = threading.Thread(target=chatter, daemon=True)
        thread.start()
        children = []
        try:
            for _ in range(20):
                pid = os.fork()
                if pid == 0:  # the child: write through the same stream, then leave at once
                    try:
                        stream.write("child\n")
                        stream.flush()
                    finally:
                        os._exit(0)
                children.append(pid)
        finally:
            stop.set()
            thread.join()
        deadline = time.time() + 20
        ended = {}
        while time.time() < deadline and len(ended) < len(children):
            for pid in children:
                if pid not in ended:
                    done, status = os.waitpid(pid, os.WNOHANG)
                    if done:
                        ended[pid] = os.waitstatus_to_exitcode(status)
            time.sleep(0.05)
        for pid in set(children) - set(ended):
            os.kill(pid, 9)
            os.waitpid(pid, 0)
        assert ended == {pid: 0 for pid in children}
