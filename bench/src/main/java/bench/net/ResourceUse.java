package bench.net;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What this JVM holds at one moment: live platform threads (virtual threads are not counted: they
 * hold no OS thread while parked), heap in use after a full GC, and resident memory (the native
 * DMA pools of the devices are off-heap, so heap alone would miss them).
 *
 * @param threads live platform threads ({@code ThreadMXBean.getThreadCount})
 * @param heapBytes heap used after {@code System.gc()} ({@code MemoryMXBean})
 * @param residentBytes the process's resident set ({@code VmRSS} of /proc/self/status), or -1
 */
record ResourceUse(int threads, long heapBytes, long residentBytes) {

    /** Collects garbage (twice, so finalizable and cleaner-held objects go too), then measures. */
    static ResourceUse now() {
        System.gc();
        System.gc();
        return new ResourceUse(ManagementFactory.getThreadMXBean().getThreadCount(),
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
        return threads + " threads, heap " + heapBytes / 1024 + " KiB, resident "
                + (residentBytes < 0 ? "?" : residentBytes / 1024 + " KiB");
    }
}
