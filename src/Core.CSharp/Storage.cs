namespace FuncGrad;

/// <summary>
/// Storage for large op outputs, reused once every tensor that held it has been collected.
/// </summary>
/// <remarks>
/// <para>
/// Arrays of 85,000 bytes or more live on the large-object heap. A fresh one per op makes the runtime
/// run a full collection every few megabytes, after which it hands back freed memory to the system;
/// the next fresh array then faults its pages back in one by one. On a training step that allocates
/// a few megabytes, that costs more than the arithmetic.
/// </para>
/// <para>
/// So an op's large output array comes with a <see cref="Lease"/>: a small object that every tensor
/// over the array references (a reshape or a node sharing the storage shares the lease). When the last
/// of them is collected, the lease's finalizer puts the array back here, and a later op of the same
/// size takes it instead of a fresh one. Tensors stay immutable: an array is only reused once nothing
/// can read it. <see cref="Tensor.AsSpan"/> hands the array itself to the caller, so it marks the lease
/// escaped, and that array is never reused. Code that reads a tensor's storage keeps the tensor alive
/// until it is done (<c>GC.KeepAlive</c> in <see cref="Op.Apply"/> and in the public readers).
/// </para>
/// <para>
/// Leases die young, but only a collection finds them dead, and arrays taken from the pool trigger none.
/// So when the pool has run dry while over 32 MB is leased, it asks for a gen-1 collection (at most one
/// per 8 MB leased): far cheaper than the fresh pages and full collections it saves. For an array of 8 MB or
/// more it also waits for the finalizers that collection queued and looks in the pool again before taking
/// fresh memory.
/// </para>
/// <para>
/// The pool holds at most 64 MB of free arrays plus the largest array it ever leased: a workload that writes one
/// very large array a step (per-example gradients under vmap: 100 MB) reuses it instead of faulting its pages
/// back in each time. Beyond that a returned array is left to the collector.
/// Shared by all threads behind one lock (taken once per large op, and by the finalizer).
/// </para>
/// </remarks>
internal static class Storage
{
    /// <summary>Arrays from this many bytes up come from the pool: the large-object heap's threshold.</summary>
    internal const int PooledBytes = 85_000;
    private const long CapBytes = 64L << 20;

    private static readonly object gate = new();
    private static readonly Dictionary<(Type, int), Stack<Array>> free = new();
    private static long freeBytes;
    private static long outstanding;    // bytes under leases not yet collected
    private static long largest;        // the largest array ever leased, in bytes
    private static long sinceCollect;   // bytes leased since this pool last asked for a collection
    private const long CollectAbove = 32L << 20, CollectEvery = 8L << 20;

    /// <summary>A lease was collected: its bytes are no longer outstanding, and the array comes back unless it
    /// escaped.</summary>
    internal static void Collected(Array a, bool escaped)
    {
        long bytes = Buffer.ByteLength(a);
        Interlocked.Add(ref outstanding, -bytes);
        if (!escaped) Return(a, bytes);
    }

    /// <summary>Free bytes held now (for tests).</summary>
    internal static long FreeBytes { get { lock (gate) return freeBytes; } }

    /// <summary>Lets the collector take every free array (for tests that need room in the pool: a full pool keeps
    /// no more).</summary>
    internal static void Drain()
    {
        lock (gate)
        {
            free.Clear();
            freeBytes = 0;
        }
    }

    /// <summary>
    /// An array of <paramref name="n"/> elements with undefined contents, for a kernel that writes every
    /// element; large ones come from the pool with a lease that the tensor made over it must carry.
    /// </summary>
    internal static unsafe T[] Uninitialized<T>(int n, out Lease? lease) where T : unmanaged
    {
        long bytes = (long)n * sizeof(T);
        if (bytes < PooledBytes) { lease = null; return GC.AllocateUninitializedArray<T>(n); }
        T[]? a = Take<T>(n, bytes);
        Interlocked.Add(ref outstanding, bytes);
        for (long l = Volatile.Read(ref largest); bytes > l; l = Volatile.Read(ref largest))
            if (Interlocked.CompareExchange(ref largest, bytes, l) == l) break;
        long since = Interlocked.Add(ref sinceCollect, bytes);
        if (a is null)
        {
            bool collect = Volatile.Read(ref outstanding) > CollectAbove && since > CollectEvery;
            if (collect)
            {
                Interlocked.Exchange(ref sinceCollect, 0);
                GC.Collect(1, GCCollectionMode.Forced, blocking: true);
                // An array of 8 MB or more is worth waiting for: the collection may have found one of this size
                // dead (per-example gradients under vmap write 100 MB a step), and fresh pages cost far more.
                if (bytes >= CollectEvery) { GC.WaitForPendingFinalizers(); a = Take<T>(n, bytes); }
            }
            a ??= GC.AllocateUninitializedArray<T>(n);
        }
        lease = new Lease(a);
        return a;
    }

    /// <summary>A free array of <paramref name="n"/> elements from the pool, or null.</summary>
    private static T[]? Take<T>(int n, long bytes)
    {
        lock (gate)
        {
            if (!free.TryGetValue((typeof(T), n), out var stack) || stack.Count == 0) return null;
            freeBytes -= bytes;
            return (T[])stack.Pop();
        }
    }

    private static void Return(Array a, long bytes)
    {
        lock (gate)
        {
            if (freeBytes + bytes > CapBytes + Volatile.Read(ref largest)) return; // full: the collector takes it
            var key = (a.GetType().GetElementType()!, a.Length);
            if (!free.TryGetValue(key, out var stack)) free[key] = stack = new Stack<Array>();
            stack.Push(a);
            freeBytes += bytes;
        }
    }
}

/// <summary>
/// Ownership of a pooled array, shared by every tensor over it; collected with the last of them, it
/// returns the array to <see cref="Storage"/> unless the array was handed out as a span.
/// </summary>
internal sealed class Lease(Array array)
{
    private int escaped;

    internal Array Array => array;

    /// <summary>The array was given to code outside the library: never reuse it.</summary>
    internal void Escape() => Volatile.Write(ref escaped, 1);

    ~Lease() => Storage.Collected(array, Volatile.Read(ref escaped) != 0);
}
