/// A character-level transformer in nanoGPT's shape, as records of parameters and pure functions: token and
/// position embeddings, pre-norm blocks (layer norm, causal multi-head attention, residual; layer norm, GELU MLP
/// 4× wide, residual), a final layer norm and a head that shares the token embedding's weights.
module CharGpt.Model

open FuncGrad

/// <summary>The model's sizes, and the dropout probability used in training.</summary>
/// <example><code>{ Vocabulary = 96; Context = 64; Width = 128; Heads = 4; Layers = 4; Dropout = 0.0 }</code></example>
type Config =
    {
        /// How many distinct tokens (characters).
        Vocabulary: int
        /// The longest window the model reads: the position table has this many rows.
        Context: int
        /// The width of every token's vector; a multiple of Heads.
        Width: int
        /// Attention heads per block, each Width / Heads wide.
        Heads: int
        /// How many blocks.
        Layers: int
        /// The probability of dropping an element at each dropout site in training (0 for none).
        Dropout: float
    }

/// <summary>A layer norm's scale and shift, [Width] each.</summary>
/// <example><code>{ Weight = Tensor.ones32 [| 64 |]; Bias = Tensor.zeros32 [| 64 |] }</code></example>
type Norm = { Weight: Tensor; Bias: Tensor }

/// <summary>
/// One pre-norm block. Matrices act on rows (x·W), so each is [in, out]: Qkv [D, 3D] gives queries, keys and values
/// side by side, Proj [D, D] mixes the heads, Up [D, 4D] and Down [4D, D] are the MLP.
/// </summary>
/// <example><code>(List.head gpt.Blocks).Qkv |> Tensor.shape // [| 128; 384 |]</code></example>
type Block =
    {
        Norm1: Norm
        Qkv: Tensor
        QkvBias: Tensor
        Proj: Tensor
        ProjBias: Tensor
        Norm2: Norm
        Up: Tensor
        UpBias: Tensor
        Down: Tensor
        DownBias: Tensor
    }

/// <summary>All the parameters: a tree (records, a list) that <c>gradOf</c> and the optimisers walk.</summary>
/// <example><code>Tree.leaves gpt |> List.sumBy Tensor.numel // the parameter count</code></example>
type Gpt =
    {
        /// [Vocabulary, Width]: a token's vector on the way in, and (transposed) the head on the way out.
        Tokens: Tensor
        /// [Context, Width]: a position's vector, added to its token's.
        Positions: Tensor
        Blocks: Block list
        Final: Norm
    }

/// <summary>How many numbers the parameters hold.</summary>
/// <example><code>Model.parameterCount gpt // 825,216 for 4 layers of width 128 and 185 characters</code></example>
let parameterCount (p: Gpt) : int =
    Tree.leaves p |> List.sumBy Tensor.numel

/// <summary>
/// nanoGPT's initialisation, float32: weights normal with standard deviation 0.02 (the two projections back into the
/// residual stream 0.02/√(2·Layers), so the stream's variance does not grow with depth), biases zero, layer norms
/// the identity.
/// </summary>
/// <example><code>Model.init config (Random.key 1) |> Model.parameterCount</code></example>
let init (c: Config) (key: Tensor) : Gpt =
    if c.Width % c.Heads <> 0 then
        invalidArg "c" $"CharGpt: the width {c.Width} must be a multiple of the number of heads {c.Heads}"

    // Every weight matrix draws from a key of its own, folded from the model's key and the matrix's number.
    let mutable next = 0L

    let normal (std: float) (shape: int[]) =
        next <- next + 1L
        Random.normal32 (Random.fold key next) shape * std

    let d = c.Width
    let residualStd = 0.02 / sqrt (2.0 * float c.Layers)

    let norm () =
        {
            Weight = Tensor.ones32 [| d |]
            Bias = Tensor.zeros32 [| d |]
        }

    let block () =
        {
            Norm1 = norm ()
            Qkv = normal 0.02 [| d; 3 * d |]
            QkvBias = Tensor.zeros32 [| 3 * d |]
            Proj = normal residualStd [| d; d |]
            ProjBias = Tensor.zeros32 [| d |]
            Norm2 = norm ()
            Up = normal 0.02 [| d; 4 * d |]
            UpBias = Tensor.zeros32 [| 4 * d |]
            Down = normal residualStd [| 4 * d; d |]
            DownBias = Tensor.zeros32 [| d |]
        }

    {
        Tokens = normal 0.02 [| c.Vocabulary; d |]
        Positions = normal 0.02 [| c.Context; d |]
        Blocks = List.init c.Layers (fun _ -> block ())
        Final = norm ()
    }

/// <summary>Layer norm over the last axis (ε = 1e-5, PyTorch's default), then the scale and shift.</summary>
/// <example><code>Model.layerNorm gpt.Final x // rows of mean 0 and variance 1, then scaled</code></example>
let layerNorm (p: Norm) (x: Tensor) : Tensor =
    let options =
        { NormOptions.defaults with
            Weight = Some p.Weight
            Bias = Some p.Bias
        }

    Tensor.layerNormWith options [| (Tensor.shape x)[x.Rank - 1] |] x

/// <summary>
/// Dropout with probability p where a key is given (training), the identity where it is not (evaluation, sampling).
/// </summary>
/// <example><code>Model.dropout 0.1 None x // x</code></example>
let dropout (p: float) (key: Tensor option) (x: Tensor) : Tensor =
    match key with
    | Some k when p > 0.0 -> Tensor.dropout k p x
    | _ -> x

/// <summary>The key of dropout site n (each site draws its own mask): the step's key with n folded in.</summary>
/// <example><code>Model.site (Some key) 3 // Some (Random.fold key 3L)</code></example>
let site (key: Tensor option) (n: int) : Tensor option =
    key |> Option.map (fun k -> Random.fold k (int64 n))

/// <summary>
/// Causal multi-head self-attention of x [.., T, D]: queries, keys and values from one matrix product, each split
/// into heads [.., H, T, D/H]; each position attends to itself and the positions before it (the fused
/// <c>scaledDotProductAttention</c>, which never holds the T × T weights, with dropout on them from the key); the
/// heads are joined and projected back.
/// </summary>
/// <example><code>Model.attention config block None x // the same shape as x</code></example>
let attention (c: Config) (b: Block) (key: Tensor option) (x: Tensor) : Tensor =
    let shape = Tensor.shape x
    let rank = shape.Length
    let lead = shape[.. rank - 3]
    let t, d = shape[rank - 2], shape[rank - 1]
    let qkv = Tensor.matmul x b.Qkv + b.QkvBias

    // [.., T, D] → [.., T, H, D/H] → [.., H, T, D/H]
    let heads (i: int) =
        qkv
        |> Tensor.sliceAxis (rank - 1) (i * d) ((i + 1) * d)
        |> Tensor.reshape (Array.append lead [| t; c.Heads; d / c.Heads |])
        |> Tensor.transposeAxes (rank - 2) (rank - 1)

    let training = key.IsSome && c.Dropout > 0.0

    let options =
        { AttentionOptions.defaults with
            IsCausal = true
            DropoutP = (if training then c.Dropout else 0.0)
            DropoutKey = (if training then key else None)
        }

    Tensor.scaledDotProductAttentionWith options (heads 0) (heads 1) (heads 2)
    |> Tensor.transposeAxes (rank - 2) (rank - 1)
    |> Tensor.reshape shape
    |> fun y -> Tensor.matmul y b.Proj + b.ProjBias

/// <summary>The MLP: Width → 4·Width, exact GELU, back to Width.</summary>
/// <example><code>Model.mlp block x // the same shape as x</code></example>
let mlp (b: Block) (x: Tensor) : Tensor =
    Tensor.matmul (Tensor.gelu (Tensor.matmul x b.Up + b.UpBias)) b.Down
    + b.DownBias

/// <summary>
/// The logits [.., T, Vocabulary] of the next token at every position of ids [.., T] (int64, T ≤ Context). With a
/// key, dropout is on (training); without, off.
/// </summary>
/// <example><code>Model.logits config gpt None ids // [batch; T; vocabulary]</code></example>
let logits (c: Config) (p: Gpt) (key: Tensor option) (ids: Tensor) : Tensor =
    let t = (Tensor.shape ids)[ids.Rank - 1]

    let x0 =
        Tensor.embedding p.Tokens ids + Tensor.sliceAxis 0 0 t p.Positions
        |> dropout c.Dropout (site key 0)

    // Block l's dropout sites are 3l + 1 (attention weights), 3l + 2 and 3l + 3 (the two branches).
    let x =
        p.Blocks
        |> List.indexed
        |> List.fold
            (fun x (l, b) ->
                let a = attention c b (site key (3 * l + 1)) (layerNorm b.Norm1 x)
                let x = x + dropout c.Dropout (site key (3 * l + 2)) a
                x + dropout c.Dropout (site key (3 * l + 3)) (mlp b (layerNorm b.Norm2 x)))
            x0

    // The head is the token table transposed: a token's output logit is its vector's dot product with h.
    Tensor.matmul (layerNorm p.Final x) (Tensor.transpose p.Tokens)

/// <summary>The mean cross-entropy (nats per character) of predicting targets [.., T] from ids [.., T].</summary>
/// <example><code>Model.loss config gpt None inputs targets // about ln V at the start</code></example>
let loss (c: Config) (p: Gpt) (key: Tensor option) (ids: Tensor) (targets: Tensor) : Tensor =
    logits c p key ids
    |> Tensor.reshape [| -1; c.Vocabulary |]
    |> Tensor.crossEntropyOf (Tensor.reshape [| -1 |] targets)
