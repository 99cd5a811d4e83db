/// Random keys and draws (src/Core.CSharp/Random, Kernels/Random/Draws.cs, Ops/Dropout.cs): each draw against its
/// definition on the Philox stream written here, the same bits across threads, under vmap over keys, under compile;
/// statistics with fixed keys (moments, Kolmogorov–Smirnov, chi-square), whose thresholds are at the 0.1% level, so a
/// correct generator passes them all but a biased one does not; and the errors.
module Random.RandomTests

open System
open Expecto
open FuncGrad
open FuncGrad.Kernels.Random

let private words (key: Tensor) =
    let k = key.ToInt64Array()
    uint32 k[0], uint32 k[1]

let private word (k0, k1) (n: int) = Philox.Word(k0, k1, uint64 n)

let private doubles (t: Tensor) = t.ToArray()

/// The Kolmogorov–Smirnov statistic of a sample against a CDF, and its 0.1% critical value 1.95/√n.
let private ks (cdf: float[] -> float[]) (sample: float[]) =
    let xs = Array.sort sample
    let fs = cdf xs
    let n = float xs.Length

    let d =
        fs
        |> Array.mapi (fun i f -> max (abs (f - float i / n)) (abs (float (i + 1) / n - f)))
        |> Array.max

    d, 1.95 / sqrt n

let private expectKs what cdf sample =
    let d, critical = ks cdf sample
    Expect.isLessThan d critical $"{what}: Kolmogorov–Smirnov D = {d} (0.1%% critical value {critical})"

/// Pearson's chi-square of counts against probabilities.
let private chiSquare (counts: int[]) (probabilities: float[]) =
    let n = float (Array.sum counts)

    Array.map2 (fun (c: int) p -> (float c - n * p) ** 2.0 / (n * p)) counts probabilities
    |> Array.sum

/// 0.1% critical values of chi-square with 1 … 6 degrees of freedom.
let private chiCritical = [| 10.83; 13.82; 16.27; 18.47; 20.52; 22.46 |]

let private ndtr (x: float) = Tensor.Scalar(x).Ndtr().Item()

/// Φ of every element.
let private ndtrs (xs: float[]) = Tensor.FromArray(xs).Ndtr().ToArray()

[<Tests>]
let tests =
    testList
        "random keys"
        [
            test "a key holds the seed's high and low words" {
                Expect.equal (RandomKeys.Key(1L).ToInt64Array()) [| 0L; 1L |] "key 1"
                Expect.equal (RandomKeys.Key(-1L).ToInt64Array()) [| 0xFFFFFFFFL; 0xFFFFFFFFL |] "key -1"
                Expect.equal (RandomKeys.Key((1L <<< 40) + 3L).ToInt64Array()) [| 256L; 3L |] "key 2^40 + 3"
                Expect.equal ((Random.key 7).ToInt64Array()) [| 0L; 7L |] "F#"
            }

            test "split and fold are Philox blocks on counters of their own" {
                let key = RandomKeys.Key 42L
                let k0, k1 = words key
                let split = RandomKeys.Split(key, 5).ToInt64Array()

                for i in 0..4 do
                    let struct (a, b, _, _) = Philox.Block(k0, k1, uint32 i, 0u, 1u, 0u)
                    Expect.equal (split[2 * i], split[2 * i + 1]) (int64 a, int64 b) $"split key {i}"

                let data = (5L <<< 32) + 9L
                let struct (a, b, _, _) = Philox.Block(k0, k1, 9u, 5u, 2u, 0u)
                Expect.equal (RandomKeys.Fold(key, data).ToInt64Array()) [| int64 a; int64 b |] "fold"
                Expect.equal (Random.fold key 3L) (Random.fold key 3L) "the same data, the same key"
                Expect.notEqual (Random.fold key 3L) (Random.fold key 4L) "other data, another key"
            }

            test "split keys are all different and share no word with the parent's draws" {
                let key = RandomKeys.Key 3L
                let keys = RandomKeys.Split(key, 10000).ToInt64Array()
                let pairs = Array.init 10000 (fun i -> keys[2 * i], keys[2 * i + 1])
                Expect.equal (Array.distinct pairs).Length 10000 "10,000 distinct keys"
                let drawn = set (RandomKeys.Bits(key, [| 1000 |]).ToInt64Array())
                let shared = keys |> Array.filter drawn.Contains
                // 20,000 words against 1,000: about 0.005 equal by chance
                Expect.isEmpty shared "no split word among the key's first 1,000 draw words"
                Expect.isTrue (keys |> Array.forall (fun w -> w >= 0L && w <= 0xFFFFFFFFL)) "32-bit words"
            }

            test "a batch of keys draws what each key draws" {
                let keys = RandomKeys.Split(RandomKeys.Key 1L, 3)
                let batch = RandomKeys.Normal(keys, [| 2; 2 |])
                Expect.equal (Seq.toArray batch.Shape) [| 3; 2; 2 |] "[3, 2, 2]"

                for i in 0..2 do
                    Expect.equal (batch.Unbind(0)[i]) (RandomKeys.Normal(keys.Unbind(0)[i], [| 2; 2 |])) $"key {i}"

                Expect.equal (Seq.toArray (RandomKeys.Split(keys, 4).Shape)) [| 3; 4; 2 |] "split of a batch"
                Expect.equal (RandomKeys.Split(keys, 4).Unbind(0)[1]) (RandomKeys.Split(keys.Unbind(0)[1], 4)) "row 1"
            }

            test "uniform: 53 bits of words 2n and 2n + 1; float32 the top 24; low + (high − low)·u" {
                let key = RandomKeys.Key 11L
                let k = words key
                let u = RandomKeys.Uniform(key, [| 2; 3 |]).ToArray()
                let u32 = RandomKeys.Uniform(key, [| 6 |], dtype = DType.Float32).ToFloatArray()
                let r = RandomKeys.Uniform(key, [| 6 |], -2.0, 3.0).ToArray()

                for n in 0..5 do
                    let hi, lo = word k (2 * n), word k (2 * n + 1)

                    let expected =
                        float ((uint64 hi <<< 21) ||| uint64 (lo >>> 11)) / 9007199254740992.0

                    Expect.equal u[n] expected $"float64 element {n}"
                    Expect.equal u32[n] (float32 (hi >>> 8) / 16777216.0f) $"float32 element {n}"
                    Expect.equal r[n] (-2.0 + 5.0 * expected) $"range element {n}"
            }

            test "normal: ndtri of (2j + 1)/2^53 for j the top 52 bits; float32 its rounding" {
                let key = RandomKeys.Key 12L
                let k = words key

                let us =
                    Array.init 7 (fun n ->
                        let j = (uint64 (word k (2 * n)) <<< 20) ||| uint64 (word k (2 * n + 1) >>> 12)
                        float (2UL * j + 1UL) / 9007199254740992.0)

                let z = RandomKeys.Normal(key, [| 7 |])
                Expect.equal z (Tensor.FromArray(us).Ndtri()) "float64"
                Expect.equal (RandomKeys.Normal(key, [| 7 |], DType.Float32)) (z.ToDType DType.Float32) "float32"
                Expect.equal (Random.normal32 key [| 7 |]) (Random.normal key [| 7 |] |> Tensor.toFloat32) "F#"
            }

            test "bernoulli: word n below round(p·2^32); a tensor of p the same rule" {
                let key = RandomKeys.Key 13L
                let k = words key

                for p in [ 0.0; 0.25; 0.3; 1.0 ] do
                    let b = RandomKeys.Bernoulli(key, p, [| 64 |]).ToBoolArray()
                    let threshold = Philox.DropThreshold p
                    Expect.equal b (Array.init 64 (fun n -> uint64 (word k n) < threshold)) $"p = {p}"

                    Expect.equal
                        (RandomKeys.Bernoulli(key, Tensor.Full([| 64 |], p)))
                        (RandomKeys.Bernoulli(key, p, [| 64 |]))
                        $"tensor p = {p}"

                let ps = Tensor.FromArray [| 0.0; 0.5; 1.0; 0.5 |]
                let b = RandomKeys.Bernoulli(key, ps, [| 3; 4 |]).ToBoolArray()
                let pOf = [| 0.0; 0.5; 1.0; 0.5 |]

                for n in 0..11 do
                    Expect.equal b[n] (uint64 (word k n) < Philox.DropThreshold pOf[n % 4]) $"{n}"
            }

            test "dropout keeps element n iff Philox.Kept, scaled by 1/(1 − p); dropped where bernoulli is true" {
                let key = RandomKeys.Key 14L
                let k0, k1 = words key
                let x = Tensor.Arange(1.0, 25.0).Reshape [| 2; 3; 4 |]

                for p in [ 0.1; 0.5; 0.9 ] do
                    for dtype in [ DType.Float64; DType.Float32 ] do
                        let y = x.ToDType(dtype).Dropout(key, p) |> doubles
                        let threshold = Philox.DropThreshold p

                        let scale =
                            if dtype = DType.Float64 then
                                1.0 / (1.0 - p)
                            else
                                float (float32 (1.0 / (1.0 - p)))

                        let expected =
                            Array.init 24 (fun n ->
                                let xn = float (n + 1)

                                if Philox.Kept(k0, k1, uint64 n, threshold) then
                                    (if dtype = DType.Float64 then
                                         xn * scale
                                     else
                                         float (float32 xn * float32 scale))
                                else
                                    0.0)

                        Expect.equal y expected $"p = {p}, {dtype}"

                    let dropped = RandomKeys.Bernoulli(key, p, [| 2; 3; 4 |]).ToBoolArray()
                    let zero = x.Dropout(key, p).ToArray() |> Array.map (fun v -> v = 0.0)
                    Expect.equal zero dropped $"p = {p}: zeros where bernoulli(p) is true"

                Expect.equal (x.Dropout(key, 0.5, false)) x "not training: x"
                Expect.equal (x.Dropout(key, 0.0)) x "p = 0: x"
                Expect.equal (x.Dropout(key, 1.0)) (Tensor.ZerosLike x) "p = 1: zeros"
                Expect.equal (Tensor.dropout key 0.3 x) (x.Dropout(key, 0.3)) "F#"
                Expect.equal (Tensor.dropoutWith false key 0.3 x) x "F#, not training"
            }

            test "alpha dropout: a·x + b where kept, a·α' + b where dropped; mean 0 and variance 1 kept" {
                let key = RandomKeys.Key 15L
                let p = 0.2
                let alpha' = -1.0507009873554805 * 1.6732632423543772
                let a = 1.0 / sqrt ((1.0 - p) * (1.0 + p * alpha' * alpha'))
                let b = -a * alpha' * p
                let x = RandomKeys.Normal(RandomKeys.Key 16L, [| 50000 |])
                let y = x.AlphaDropout(key, p)
                let kept = RandomKeys.Bernoulli(key, p, [| 50000 |]).ToBoolArray() |> Array.map not
                let xs, ys = x.ToArray(), y.ToArray()

                for n in 0..999 do
                    let expected =
                        if kept[n] then
                            xs[n] * a + b
                        else
                            0.0 * a + (a * alpha' + b)

                    Expect.floatClose Accuracy.veryHigh ys[n] expected $"element {n}"

                let mean = Array.average ys
                let var = ys |> Array.averageBy (fun v -> (v - mean) ** 2.0)
                // standard errors about 0.0045 (mean) and 0.008 (variance): four allowed
                Expect.isLessThan (abs mean) 0.018 $"mean {mean}"
                Expect.isLessThan (abs (var - 1.0)) 0.035 $"variance {var}"
                Expect.equal (x.AlphaDropout(key, 1.0)) (Tensor.ZerosLike x) "p = 1: zeros"
                Expect.equal (x.AlphaDropout(key, 0.3, false)) x "not training: x"
            }

            test "the same bits on any thread: draws made concurrently equal draws made alone" {
                // 40 keys × 1,000 draw in parallel over the keys, 140,000 from one key in parts of 65,536
                let keys = RandomKeys.Split(RandomKeys.Key 17L, 40)

                let draws () =
                    [
                        RandomKeys.Normal(keys, [| 1000 |])
                        RandomKeys.Randint(keys, [| 1000 |], -5L, 1000L)
                        RandomKeys.Uniform(RandomKeys.Key 2L, [| 140000 |], dtype = DType.Float32)
                        Tensor.Ones([| 140; 1000 |]).Dropout(RandomKeys.Key 1L, 0.4)
                    ]

                let alone = draws ()
                let concurrent = Array.Parallel.init 4 (fun _ -> draws ())

                for other in concurrent do
                    List.iter2 (fun (a: Tensor) b -> Expect.equal a b "bits") alone other
            }

            test "a long draw, made in parts, equals its definition across the parts' seams" {
                let key = RandomKeys.Key 31L
                let k = words key
                let n = 200000
                let u = RandomKeys.Uniform(key, [| n |]).ToArray()
                let z = RandomKeys.Normal(key, [| n |]).ToArray()
                let bits = RandomKeys.Bits(key, [| n |]).ToInt64Array()
                let at = [ 0; 65535; 65536; 65537; 131071; 131072; n - 1 ]

                let open' i =
                    let j = (uint64 (word k (2 * i)) <<< 20) ||| uint64 (word k (2 * i + 1) >>> 12)
                    float (2UL * j + 1UL) / 9007199254740992.0

                let zs = Tensor.FromArray(at |> List.map open' |> Array.ofList).Ndtri().ToArray()

                for m, i in List.indexed at do
                    let hi, lo = word k (2 * i), word k (2 * i + 1)

                    let expected =
                        float ((uint64 hi <<< 21) ||| uint64 (lo >>> 11)) / 9007199254740992.0

                    Expect.equal u[i] expected $"uniform element {i}"
                    Expect.equal z[i] zs[m] $"normal element {i}"
                    Expect.equal bits[i] (int64 (word k i)) $"bits element {i}"
            }

            test "vmap over a batch of keys equals a loop over the keys" {
                let keys = RandomKeys.Split(RandomKeys.Key 18L, 4)
                let each = keys.Unbind 0
                let loop f = Tensor.Stack(each |> Array.map f)

                let cases: (string * (Tensor -> Tensor)) list =
                    [
                        "split", (fun k -> Random.split k 3)
                        "fold", (fun k -> Random.fold k 9L)
                        "uniform", (fun k -> Random.uniformRange32 k [| 2; 3 |] -1.0 1.0)
                        "normal", (fun k -> Random.normal k [| 5 |])
                        "bernoulli", (fun k -> Random.bernoulli k 0.3 [| 6 |])
                        "bernoulli of p", (fun k -> Random.bernoulliOf k (Tensor.ofList [ 0.2; 0.7 ]))
                        "truncated normal", (fun k -> Random.truncatedNormal k 0.5 2.0 [| 4 |])
                        "categorical", (fun k -> Random.categorical k (Tensor.ofList [ 0.0; 1.0; 0.5 ]))
                        "permutation", (fun k -> Random.permutation k 6)
                        "randint", (fun k -> Random.randint32 k [| 5 |] -3 3)
                        "dropout", (fun k -> Tensor.dropout k 0.5 (Tensor.ones [| 2; 3 |]))
                        "alpha dropout", (fun k -> Tensor.alphaDropout k 0.5 (Tensor.ones [| 7 |]))
                    ]

                for name, f in cases do
                    Expect.equal (vmap f keys) (loop f) name

                // keys and inputs mapped together: example i dropped by key i
                let xs = Tensor.Arange(1.0, 13.0).Reshape [| 4; 3 |]

                let paired =
                    vmapOf (fun (k: Tensor, x: Tensor) -> Tensor.dropout k 0.5 x) (keys, xs)

                let expected =
                    Tensor.Stack(Array.map2 (fun k (x: Tensor) -> x.Dropout(k, 0.5)) each (xs.Unbind 0))

                Expect.equal paired expected "keys and inputs together"
            }

            test "compiled draws equal eager ones, the key an input of the program" {
                let key = RandomKeys.Key 19L
                let x = Tensor.Arange(1.0, 7.0)

                let f (k: Tensor) =
                    Random.normal k [| 3 |]
                    + Random.uniform k [| 3 |]
                    + (Tensor.dropout (Random.fold k 2L) 0.5 x).Sum()

                let compiled = compile f
                Expect.equal (compiled key) (f key) "the first key"
                let other = Random.fold key 5L
                Expect.equal (compiled other) (f other) "another key, the same program"
            }

            test "normal with tensors is mean + std·z, differentiable in both" {
                let key = RandomKeys.Key 20L
                let mean, std = Tensor.ofList [ 1.0; -2.0 ], Tensor.ofList [ 0.5; 3.0 ]
                let z = RandomKeys.Normal(key, [| 2 |])
                Expect.equal (RandomKeys.Normal(key, mean, std)) (mean + std * z) "value"
                let gMean = grad (fun m -> (RandomKeys.Normal(key, m, std)).Sum()) mean
                let gStd = grad (fun s -> (RandomKeys.Normal(key, mean, s)).Sum()) std
                Expect.equal gMean (Tensor.OnesLike mean) "d/dmean = 1"
                Expect.equal gStd z "d/dstd = z"
            }

            test "uniform and normal: moments and Kolmogorov–Smirnov" {
                let key = RandomKeys.Key 21L
                let n = 20000
                let u = RandomKeys.Uniform(key, [| n |]).ToArray()

                let u32 =
                    RandomKeys.Uniform(Random.fold key 1L, [| n |], -1.0, 3.0, DType.Float32)
                    |> doubles

                let z = RandomKeys.Normal(Random.fold key 2L, [| n |]).ToArray()
                let z32 = RandomKeys.Normal(Random.fold key 3L, [| n |], DType.Float32) |> doubles
                // the mean's standard error is σ/√n: 0.002 for uniform, 0.007 for normal; four of them allowed
                Expect.isLessThan (abs (Array.average u - 0.5)) 0.0082 "uniform mean"
                Expect.isLessThan (abs (Array.average z)) 0.0283 "normal mean"
                let var = z |> Array.averageBy (fun v -> v * v)
                Expect.isLessThan (abs (var - 1.0)) 0.04 $"normal variance {var}"
                Expect.isTrue (u |> Array.forall (fun v -> v >= 0.0 && v < 1.0)) "uniform in [0, 1)"
                expectKs "uniform" id u
                expectKs "uniform float32 on [-1, 3)" (Array.map (fun v -> (v + 1.0) / 4.0)) u32
                expectKs "normal" ndtrs z
                expectKs "normal float32" ndtrs z32
            }

            test "truncated normal: inside its bounds and Kolmogorov–Smirnov against the truncated CDF" {
                let key = RandomKeys.Key 22L

                for lower, upper in [ -1.0, 2.0; 1.5, infinity; -infinity, -3.0; 4.0, 4.5 ] do
                    let z = RandomKeys.TruncatedNormal(key, lower, upper, [| 10000 |]).ToArray()
                    Expect.isTrue (z |> Array.forall (fun v -> v >= lower && v <= upper)) "inside"
                    let pa, pb = ndtr lower, ndtr upper
                    // Φ(x) − Φ(a) loses digits far in the upper tail: there 1 − Φ is Φ(−x)
                    let cdf xs =
                        if lower > 0.0 then
                            let upperTail = ndtrs (Array.map (fun x -> -x) xs)

                            upperTail
                            |> Array.map (fun t -> (ndtr -lower - t) / (ndtr -lower - ndtr -upper))
                        else
                            ndtrs xs |> Array.map (fun f -> (f - pa) / (pb - pa))

                    expectKs $"truncated to [{lower}, {upper}]" cdf z
            }

            test "categorical (Gumbel-max): chi-square against softmax, a −∞ logit never drawn" {
                let logits = Tensor.ofList [ 0.0; 1.0; -0.5; Double.NegativeInfinity; 0.3 ]

                let draws =
                    RandomKeys.Categorical(RandomKeys.Key 23L, logits, shape = [| 10000 |]).ToInt64Array()

                let counts =
                    Array.init 5 (fun c -> draws |> Array.filter ((=) (int64 c)) |> Array.length)

                Expect.equal counts[3] 0 "a −∞ logit is never drawn"
                let p = logits.Softmax(-1).ToArray()
                let kept = [| 0; 1; 2; 4 |]

                let chi =
                    chiSquare (kept |> Array.map (fun c -> counts[c])) (kept |> Array.map (fun c -> p[c]))

                Expect.isLessThan chi chiCritical[2] $"chi-square {chi}, 3 degrees of freedom"
                // a batch of distributions along axis 0: each column its own
                let cols = Tensor.FromArray([| [| 0.0; 9.0 |]; [| 9.0; 0.0 |] |])

                let picks =
                    RandomKeys.Categorical(RandomKeys.Key 24L, cols, 0, [| 50; 2 |]).ToInt64Array()

                let firstColumn = picks |> Array.indexed |> Array.filter (fun (i, _) -> i % 2 = 0)
                Expect.isGreaterThan (firstColumn |> Array.filter (fun (_, v) -> v = 1L) |> Array.length) 45 "column 0"
            }

            test "randint: unbiased counts, the bounds kept, and Lemire's retry path" {
                let draws =
                    RandomKeys.Randint(RandomKeys.Key 25L, [| 35000 |], -3L, 4L).ToInt64Array()

                Expect.isTrue (draws |> Array.forall (fun v -> v >= -3L && v < 4L)) "in [-3, 4)"

                let counts =
                    Array.init 7 (fun c -> draws |> Array.filter ((=) (int64 (c - 3))) |> Array.length)

                let chi = chiSquare counts (Array.create 7 (1.0 / 7.0))
                Expect.isLessThan chi chiCritical[5] $"chi-square {chi}, 6 degrees of freedom"
                // a range of 2^63 + 1 rejects nearly half the first words: the retries must stay uniform
                let low = Int64.MinValue / 2L - 1L

                let wide =
                    RandomKeys.Randint(RandomKeys.Key 26L, [| 4000 |], low, Int64.MaxValue).ToInt64Array()

                Expect.isTrue (wide |> Array.forall (fun v -> v >= low)) "above low"
                let middle = low + int64 ((uint64 Int64.MaxValue - uint64 low) / 2UL)
                let above = wide |> Array.filter (fun v -> v >= middle) |> Array.length
                // binomial(4000, ½): standard deviation 31.6; a biased retry would miss by hundreds
                Expect.isLessThan (abs (above - 2000)) 130 $"{above} of 4000 above the middle"
                let i32 = RandomKeys.Randint(RandomKeys.Key 27L, [| 100 |], -5L, 5L, DType.Int32)
                Expect.equal i32.DType DType.Int32 "int32"

                Expect.equal
                    (i32.ToDType DType.Int64)
                    (RandomKeys.Randint(RandomKeys.Key 27L, [| 100 |], -5L, 5L))
                    "same"
            }

            test "permutation: a permutation; the 6 orders of 3 equally often; along an axis" {
                let p = RandomKeys.Permutation(RandomKeys.Key 28L, 100).ToInt64Array()
                Expect.equal (Array.sort p) (Array.init 100 int64) "a permutation of 0 … 99"
                let keys = RandomKeys.Split(RandomKeys.Key 29L, 6000)
                let perms = RandomKeys.Permutation(keys, 3).ToInt64Array()

                let orders =
                    Array.init 6000 (fun i -> perms[3 * i], perms[3 * i + 1], perms[3 * i + 2])

                let counts = orders |> Array.countBy id |> Array.map snd
                Expect.equal counts.Length 6 "every order comes up"
                let chi = chiSquare counts (Array.create 6 (1.0 / 6.0))
                Expect.isLessThan chi chiCritical[4] $"chi-square {chi}, 5 degrees of freedom"
                let x = Tensor.Arange(0.0, 12.0).Reshape [| 3; 4 |]
                let key = RandomKeys.Key 30L
                let shuffled = RandomKeys.Permutation(key, x, 1)
                Expect.equal shuffled (x.IndexSelect(1, RandomKeys.Permutation(key, 4))) "columns"
                Expect.equal (Random.permute key 1 x) shuffled "F#"
            }

            test "errors name the op and what to pass" {
                let key = RandomKeys.Key 1L

                let throwsWith (f: unit -> Tensor) (part: string) =
                    let e = Expect.throwsC (f >> ignore) id
                    Expect.stringContains e.Message part "message"

                throwsWith
                    (fun () -> RandomKeys.Normal(Tensor.ofList [ 0.0; 1.0 ], [| 2 |]))
                    "normal: the key is [2] float64"

                throwsWith
                    (fun () -> RandomKeys.Uniform(Tensor.FromArray [| 1L; 2L; 3L |], [| 2 |]))
                    "a key is an int64"

                throwsWith (fun () -> RandomKeys.Bits(Tensor.FromArray [| 1L; -2L |], [| 2 |])) "32-bit words"
                throwsWith (fun () -> RandomKeys.Split(key, 0)) "1 or more"
                throwsWith (fun () -> RandomKeys.Uniform(key, [| -1 |])) "negative size"
                throwsWith (fun () -> RandomKeys.Uniform(key, [| 2 |], 1.0, 0.0)) "low ≤ high"
                throwsWith (fun () -> RandomKeys.Normal(key, [| 2 |], DType.Int64)) "Float64 or Float32"
                throwsWith (fun () -> RandomKeys.Bernoulli(key, 1.5, [| 2 |])) "probability in [0, 1]"
                throwsWith (fun () -> RandomKeys.TruncatedNormal(key, 1.0, 1.0, [| 2 |])) "lower < upper"
                throwsWith (fun () -> RandomKeys.Randint(key, [| 2 |], 3L, 3L)) "low < high"
                throwsWith (fun () -> RandomKeys.Randint(key, [| 2 |], 0L, 1L <<< 40, DType.Int32)) "int32's range"
                throwsWith (fun () -> Tensor.Ones([| 2 |]).Dropout(key, -0.1)) "dropout: p is -0.1"
                throwsWith (fun () -> Tensor.Ones([| 2 |]).Dropout(RandomKeys.Split(key, 2), 0.1)) "give one key"
                throwsWith (fun () -> Tensor.FromArray([| 1L |]).Dropout(key, 0.1)) "float tensors"
            }
        ]
