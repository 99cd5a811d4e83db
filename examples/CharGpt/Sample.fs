/// Sampling text from a trained model, one character at a time.
module CharGpt.Sample

open FuncGrad

/// <summary>
/// n characters after the prompt's ids: each drawn (from its own key, the given key with the position folded in)
/// from the softmax of the last position's logits divided by the temperature (below 1 sharper, above 1 flatter),
/// the model reading at most the last Context characters.
/// </summary>
/// <example><code>Sample.generate config gpt (Random.key 7) 0.8 200 [| newline |] // 200 ids</code></example>
let generate (c: Model.Config) (p: Model.Gpt) (key: Tensor) (temperature: float) (n: int) (prompt: int[]) : int[] =
    if not (temperature > 0.0) then
        invalidArg "temperature" $"CharGpt: the temperature must be positive, got {temperature}"

    let ids = ResizeArray<int>(prompt)

    for i in 1..n do
        let window =
            ids.GetRange(max 0 (ids.Count - c.Context), min ids.Count c.Context).ToArray()

        let t = window.Length
        let input = Tensor.ofShapeInt64 [| 1; t |] (Array.map int64 window)

        let last =
            Model.logits c p None input
            |> Tensor.sliceAxis 1 (t - 1) t
            |> Tensor.reshape [| c.Vocabulary |]

        // categorical draws an index with probability softmax(logits): the Gumbel-max trick on the key's stream.
        let next =
            Random.categorical (Random.fold key (int64 i)) (last * (1.0 / temperature))

        ids.Add(int (Tensor.item next))

    ids.GetRange(prompt.Length, n).ToArray()
