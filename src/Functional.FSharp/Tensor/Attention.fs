namespace FuncGrad

/// <summary>The options of <c>Tensor.scaledDotProductAttentionWith</c>: PyTorch's keyword arguments of
/// <c>torch.nn.functional.scaled_dot_product_attention</c> after the value.</summary>
/// <example><code>{ AttentionOptions.defaults with IsCausal = true }</code></example>
type AttentionOptions =
    {
        /// <summary>A mask broadcasting to [..., L, S]: bool (true takes part) or float (added to the scores), or
        /// none.</summary>
        /// <example><code>{ AttentionOptions.defaults with AttnMask = Some(Tensor.zeros [| 3; 3 |]) }</code></example>
        AttnMask: Tensor option
        /// <summary>The probability of dropping each attention weight (default 0); above 0 it needs a key.</summary>
        /// <example><code>
        /// { AttentionOptions.defaults with DropoutP = 0.1; DropoutKey = Some(Tensor.ofInt64Array [| 1L; 2L |]) }
        /// </code></example>
        DropoutP: float
        /// <summary>Key j takes part for query i where j ≤ i (the upper-left triangle); not with a mask.</summary>
        /// <example><code>{ AttentionOptions.defaults with IsCausal = true }</code></example>
        IsCausal: bool
        /// <summary>The factor of the scores, or none for 1/√E.</summary>
        /// <example><code>{ AttentionOptions.defaults with Scale = Some 0.125 }</code></example>
        Scale: float option
        /// <summary>Key and value heads (axis −3) shared by groups of query heads (grouped-query attention).</summary>
        /// <example><code>{ AttentionOptions.defaults with EnableGqa = true }</code></example>
        EnableGqa: bool
        /// <summary>The int64 key [2] dropout draws from, or none.</summary>
        /// <example><code>
        /// { AttentionOptions.defaults with DropoutKey = Some(Tensor.ofInt64Array [| 1L; 2L |]) }
        /// </code></example>
        DropoutKey: Tensor option
    }

    /// <summary>PyTorch's defaults: no mask, no dropout, not causal, scale 1/√E, no grouped query heads.</summary>
    /// <example><code>{ AttentionOptions.defaults with IsCausal = true }</code></example>
    static member defaults =
        {
            AttnMask = None
            DropoutP = 0.0
            IsCausal = false
            Scale = None
            EnableGqa = false
            DropoutKey = None
        }

/// <summary>Scaled dot-product attention: the functions of the <c>Tensor</c> module that mirror the core's
/// <c>Ops/Attention.cs</c>.</summary>
/// <example><code>
/// let q = Tensor.ones [| 2; 3; 4 |]
/// Tensor.scaledDotProductAttention q q q |> Tensor.shape // [| 2; 3; 4 |]
/// </code></example>
[<AutoOpen>]
module TensorAttention =
    /// <summary>Scaled dot-product attention.</summary>
    /// <example><code>
    /// let q = Tensor.ones [| 2; 3; 4 |]
    /// Tensor.scaledDotProductAttention q q q |> Tensor.shape // [| 2; 3; 4 |]
    /// </code></example>
    [<RequireQualifiedAccess; CompilationRepresentation(CompilationRepresentationFlags.ModuleSuffix)>]
    module Tensor =
        /// <summary>softmax(q·kᵀ/√E)·v of a query [..., L, E], a key [..., S, E] and a value [..., S, Ev], as
        /// PyTorch's <c>F.scaled_dot_product_attention(query, key, value)</c>; the arguments in PyTorch's
        /// order.</summary>
        /// <example><code>
        /// let q = Tensor.ones [| 2; 3; 4 |]
        /// Tensor.scaledDotProductAttention q q q |> Tensor.shape // [| 2; 3; 4 |]
        /// </code></example>
        let scaledDotProductAttention (query: Tensor) (key: Tensor) (value: Tensor) =
            Args.notNull "Tensor.scaledDotProductAttention" "query" query
            Args.notNull "Tensor.scaledDotProductAttention" "key" key
            Args.notNull "Tensor.scaledDotProductAttention" "value" value
            query.ScaledDotProductAttention(key, value)

        /// <summary>Scaled dot-product attention with PyTorch's keyword options (mask, dropout from a key, causal,
        /// scale, grouped query heads).</summary>
        /// <example><code>
        /// let q = Tensor.ones [| 2; 3; 4 |]
        /// Tensor.scaledDotProductAttentionWith { AttentionOptions.defaults with IsCausal = true } q q q
        /// |> Tensor.shape // [| 2; 3; 4 |]
        /// </code></example>
        let scaledDotProductAttentionWith (options: AttentionOptions) (query: Tensor) (key: Tensor) (value: Tensor) =
            let name = "Tensor.scaledDotProductAttentionWith"
            Args.notNull name "options" (box options)
            Args.notNull name "query" query
            Args.notNull name "key" key
            Args.notNull name "value" value

            let orNull (t: Tensor option) =
                match t with
                | Some t -> t
                | None -> null

            query.ScaledDotProductAttention(
                key,
                value,
                orNull options.AttnMask,
                options.DropoutP,
                options.IsCausal,
                Option.toNullable options.Scale,
                options.EnableGqa,
                orNull options.DropoutKey
            )
