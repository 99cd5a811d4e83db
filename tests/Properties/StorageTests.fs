/// The pool of large op outputs (Storage.cs): arrays come back only once no tensor can read them, are
/// reused, and never change under a tensor or a span handed out by AsSpan, with threads and
/// collections racing.
module StorageTests

open System
open System.Threading.Tasks
open Expecto
open FuncGrad

/// Collects, runs the leases' finalizers, and collects what they freed.
let private settle () =
    GC.Collect()
    GC.WaitForPendingFinalizers()
    GC.Collect()

/// 300×300 float64 is 720,000 bytes: far above the pool's 85,000-byte threshold.
let private n = 300

let private big (seed: int) =
    Tensor.RandomNormal([| n; n |], Random seed)

/// The array under a temporary tensor, which is dropped at once.
[<System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)>]
let private storageOfTemporary (a: Tensor) : Array = (a * 3.0).data

/// The values of a temporary tensor, as the span AsSpan gives; the tensor itself is dropped.
[<System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)>]
let private spanOfTemporary (a: Tensor) : ReadOnlySpan<float> = (a * 5.0).AsSpan()

/// A chain of large intermediates that die as soon as the next is made.
let private work (a: Tensor) (b: Tensor) =
    ((a * 2.0 + b).Tanh() * (a - b)).MatMul(b).Sum([| 1 |])

[<Tests>]
let tests =
    testList
        "storage"
        [
            // Alone, after the tests that run in parallel, and with the pool emptied first: a pool filled to its cap by
            // other tests' arrays keeps no more, and would drop this one.
            testSequenced
            <| testCase
                "a large output's array goes back to the pool once collected, and the next op of that size takes it"
                (fun () ->
                    // An odd size no other test uses, so no other test takes the array first.
                    let a = Tensor.RandomNormal([| 317; 293 |], Random 1)
                    Storage.Drain()
                    let array = storageOfTemporary a
                    settle ()
                    let y = a * 2.0
                    Expect.isTrue (obj.ReferenceEquals(y.data, array)) "the same array was reused"

                    Expect.equal
                        (y.ToArray())
                        (a.ToArray() |> Array.map (fun v -> v * 2.0))
                        "and every element rewritten")

            testCase "a span from AsSpan keeps its values after the tensor is collected and its size is reused"
            <| fun () ->
                let a = big 2
                let expected = (a * 5.0).ToArray()
                let s = spanOfTemporary a
                // The temporary is unreachable now, apart from the span: recycle everything, then give the
                // pool's arrays of that size other values.
                settle ()
                let others = [ for i in 1..8 -> a * float (10 + i) ]
                settle ()
                Expect.equal (s.ToArray()) expected "the span's values are unchanged"
                GC.KeepAlive others

            testCase "results are exact while threads share the pool and collections run"
            <| fun () ->
                let a, b = big 3, big 4
                let expected = (work a b).ToArray()
                // The gradient records nodes that hold pooled storage, and its walk reads them through views.
                let gradient () =
                    Autodiff.Grad((fun x -> (work x b).Sum()), a).ToArray()

                let expectedGradient = gradient ()

                Parallel.For(
                    0,
                    4,
                    fun worker ->
                        for i in 1..8 do
                            if (work a b).ToArray() <> expected then
                                failwithf "worker %d, round %d: a value changed" worker i

                            if gradient () <> expectedGradient then
                                failwithf "worker %d, round %d: a gradient changed" worker i

                            if i % 3 = 0 then
                                GC.Collect()
                )
                |> ignore
                // and tensors kept from before all that still hold their values
                let kept = work a b
                settle ()

                for _ in 1..3 do
                    work a b |> ignore

                settle ()
                Expect.equal (kept.ToArray()) expected "a kept result is unchanged"
        ]
