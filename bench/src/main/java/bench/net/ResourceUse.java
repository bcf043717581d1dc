package bench.net;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.stream.Collectors;

/**
 * What this JVM holds at one moment: live platform threads (virtual threads are not counted: they
 * hold no OS thread while parked), heap in use after a full GC, and resident memory (the native
 * DMA pools of the devices are off-heap, so heap alone would miss them).
 *
 * @param threadIds the ids of the live platform threads ({@code ThreadMXBean.getAllThreadIds})
 * @param heapBytes heap used after {@code System.gc()} ({@code MemoryMXBean})
 * @param residentBytes the process's resident set ({@code VmRSS} of /proc/self/status), or -1
 */
record ResourceUse(Set<Long> threadIds, long heapBytes, long residentBytes) {

    /** Live platform threads. */
    int threads() {
        return threadIds.size();
    }

    /**
     * The names of the platform threads alive now that were not alive at {@code before}: a
     * difference of counts would let a thread that ended elsewhere (a JDK pool worker retiring)
     * hide one that was left behind. Fork/join workers (the common pool's, and the carriers of
     * virtual threads, {@code ForkJoinPool-1-worker-N}) are the JDK's own and retire by themselves
     * when idle, so they are not counted.
     */
    List<String> threadsStartedSince(ResourceUse before) {
        Map<Long, Thread> live = Thread.getAllStackTraces().keySet().stream()
                .collect(Collectors.toMap(Thread::threadId, t -> t, (a, b) -> a));
        return threadIds.stream().filter(id -> !before.threadIds.contains(id))
                .filter(id -> !(live.get(id) instanceof ForkJoinWorkerThread))
                .map(id -> live.containsKey(id) ? live.get(id).getName() : "thread " + id)
                .sorted().toList();
    }

    /** Collects garbage (twice, so finalizable and cleaner-held objects go too), then measures. */
    static ResourceUse now() {
        System.gc();
        System.gc();
        return new ResourceUse(Arrays.stream(ManagementFactory.getThreadMXBean().getAllThreadIds()).boxed()
                .collect(Collectors.toUnmodifiableSet()),
                ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), resident());
    }

    /** CPU time this process used so far, all threads, in nanoseconds (-1 if unknown). */
    static long cpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : -1;
    }

    private static long resident() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.substring(6).strip().split("\\s+")[0]) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or /proc not mounted: unknown
        }
        return -1;
    }

    @Override
    public String toString() {
        return threads() + " threads, heap " + heapBytes / 1024 + " KiB, resident "
                + (residentBytes < 0 ? "?" : residentBytes / 1024 + " KiB");
    }
}
