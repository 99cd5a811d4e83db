using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace FuncGrad.Kernels;

/// <summary>
/// The kernels' fork-join: a team of one background thread per extra core that runs the parts of one
/// parallel kernel at a time, the calling thread taking parts too.
/// </summary>
/// <remarks>
/// <para>
/// A training step runs a dozen products, each split over the cores, with single-threaded elementwise
/// work between them. The .NET thread pool's workers go to sleep in those gaps, and waking one costs
/// 12–40 µs, a fifth of a small product. This team's threads spin for a short while after each job
/// (<see cref="SpinMicroseconds"/>) before they block, as OpenMP runtimes do, so the next product finds
/// them awake; idle longer, they sleep and cost nothing.
/// </para>
/// <para>
/// The team serves one job at a time. A kernel started while it is busy (on another thread, or nested)
/// runs on the .NET thread pool instead, so callers never wait for each other. Parts own disjoint
/// outputs, so which thread runs which part never changes a result. The team is process-wide, like the
/// thread pool itself, and holds no data between jobs.
/// </para>
/// </remarks>
internal static class Workers
{
    private const int SpinMicroseconds = 200;
    private static readonly long spinTicks = Stopwatch.Frequency * SpinMicroseconds / 1_000_000;
    private static readonly int team = Math.Max(0, Environment.ProcessorCount - 1);
    private static readonly object busy = new();    // held by the caller of the job in flight
    private static readonly object sleepers = new(); // where idle team threads block
    private static Job? current;                     // the latest job; team threads run each once
    private static int started;

    private static readonly AsyncLocal<int?> forced = new();

    /// <summary>The number of parts that elementwise work, compiled programs' loops and reductions are split into in
    /// this context, whatever their size and the cores (null: their own choice). Tests set it (<see cref="Force"/>)
    /// to compare the bits of one part with those of several.</summary>
    internal static int? Forced => forced.Value;

    /// <summary>Splits work into <paramref name="parts"/> in this context (see <see cref="Forced"/>) until the result
    /// is disposed.</summary>
    internal static IDisposable Force(int parts)
    {
        var before = forced.Value;
        forced.Value = Math.Max(1, parts);
        return new Restore(before);
    }

    private sealed class Restore(int? before) : IDisposable
    {
        public void Dispose() => forced.Value = before;
    }

    /// <summary>Runs body(0) … body(parts − 1), in parallel where it pays, and returns when all are done.</summary>
    internal static void For(int parts, Action<int> body)
    {
        if (parts <= 1 || team == 0)
        {
            for (int i = 0; i < parts; i++) body(i);
            return;
        }
        if (!Monitor.TryEnter(busy))
        {
            // The caller sees a failing part's own exception, whichever way its job ran.
            try { Parallel.For(0, parts, body); }
            catch (AggregateException e) when (e.InnerExceptions.Count > 0)
            {
                ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
            }
            return;
        }
        try
        {
            Start();
            var job = new Job(parts, body, (current?.Generation ?? 0) + 1);
            Volatile.Write(ref current, job);
            lock (sleepers) Monitor.PulseAll(sleepers);
            job.Work();
            job.Wait();
            job.Rethrow();
        }
        finally
        {
            Monitor.Exit(busy);
        }
    }

    private static void Start()
    {
        if (Interlocked.Exchange(ref started, 1) != 0) return;
        for (int i = 0; i < team; i++)
            new Thread(Loop) { IsBackground = true, Name = $"FuncGrad kernel worker {i + 1}" }.Start();
    }

    private static void Loop()
    {
        long seen = 0;
        while (true)
        {
            var job = Volatile.Read(ref current);
            if (job is null || job.Generation == seen)
            {
                long until = Stopwatch.GetTimestamp() + spinTicks;
                while ((job = Volatile.Read(ref current)) is null || job.Generation == seen)
                {
                    if (Stopwatch.GetTimestamp() > until)
                    {
                        lock (sleepers)
                            while ((job = Volatile.Read(ref current)) is null || job.Generation == seen)
                                Monitor.Wait(sleepers);
                        break;
                    }
                    Thread.SpinWait(16);
                }
            }
            seen = job!.Generation;
            job.Work();
        }
    }

    /// <summary>One parallel kernel: its parts are claimed from a counter by whichever thread comes first.</summary>
    private sealed class Job(int parts, Action<int> body, long generation)
    {
        internal readonly long Generation = generation;
        private int next, done;
        private ExceptionDispatchInfo? error;

        internal void Work()
        {
            int i;
            while ((i = Interlocked.Increment(ref next) - 1) < parts)
            {
                try { body(i); }
                catch (Exception e) { Interlocked.CompareExchange(ref error, ExceptionDispatchInfo.Capture(e), null); }
                Interlocked.Increment(ref done);
            }
        }

        internal void Wait()
        {
            var spin = new SpinWait();
            while (Volatile.Read(ref done) < parts) spin.SpinOnce(sleep1Threshold: -1);
        }

        internal void Rethrow() => error?.Throw();
    }
}
