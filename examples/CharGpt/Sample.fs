/// Sampling text from a trained model, one character at a time.
module CharGpt.Sample

open System
open FuncGrad

/// <summary>
/// n characters after the prompt's ids: each drawn from the softmax of the last position's logits divided by the
/// temperature (below 1 sharper, above 1 flatter), the model reading at most the last Context characters.
/// </summary>
/// <example><code>Sample.generate config gpt (Random 7) 0.8 200 [| newline |] // 200 ids</code></example>
let generate (c: Model.Config) (p: Model.Gpt) (rng: Random) (temperature: float) (n: int) (prompt: int[]) : int[] =
    if not (temperature > 0.0) then
        invalidArg "temperature" $"CharGpt: the temperature must be positive, got {temperature}"

    let ids = ResizeArray<int>(prompt)

    for _ in 1..n do
        let window =
            ids.GetRange(max 0 (ids.Count - c.Context), min ids.Count c.Context).ToArray()

        let t = window.Length
        let input = Tensor.ofShapeInt64 [| 1; t |] (Array.map int64 window)

        let probabilities =
            Model.logits c p None input
            |> Tensor.sliceAxis 1 (t - 1) t
            |> Tensor.reshape [| c.Vocabulary |]
            |> fun l -> Tensor.softmax (l * (1.0 / temperature))
            |> Tensor.toFloat64
            |> Tensor.toArray

        // Inverse CDF: the first id whose cumulative probability passes a uniform draw.
        let u = rng.NextDouble()
        let mutable acc, pick = 0.0, probabilities.Length - 1
        let mutable i = 0

        while i < probabilities.Length do
            acc <- acc + probabilities[i]

            if u < acc then
                pick <- i
                i <- probabilities.Length
            else
                i <- i + 1

        ids.Add pick

    ids.GetRange(prompt.Length, n).ToArray()
