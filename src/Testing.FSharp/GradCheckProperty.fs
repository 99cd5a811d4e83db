namespace FuncGrad.Testing

open FsCheck
open FsCheck.FSharp
open FuncGrad

/// <summary>
/// GradCheck as FsCheck properties: random tensors (shapes and values), every check of
/// <c>FuncGrad.GradCheck</c> on each, and on a failure the smallest tensors that still fail.
/// </summary>
/// <remarks>
/// A failure has GradCheck's report (which check, where, by how much, which op) as the property's label. Drop them
/// into Expecto's <c>testProperty</c>. The module merges with <c>FuncGrad.GradCheck</c>: open both namespaces and
/// <c>GradCheck.check</c> and <c>GradCheck.property</c> both resolve.
/// </remarks>
/// <example><code>
/// testProperty "my layer's gradient" (GradCheck.property (fun x -> Tensor.sum (tanh x * x)) Domain.real)
/// </code></example>
[<RequireQualifiedAccess>]
module GradCheck =
    /// <summary>The property that GradCheck passes with these options for every case of the arbitrary (any structure of
    /// tensors).</summary>
    /// <example><code>
    /// GradCheck.propertyWith
    ///     { GradCheckOptions.Default with Order = 2 }
    ///     (TensorArb.broadcastPair Domain.real Domain.positive)
    ///     (fun (a, b) -> a / b)
    /// </code></example>
    [<CompiledName("PropertyWith")>]
    let propertyWith (options: GradCheckOptions) (arbitrary: Arbitrary<'P>) (f: 'P -> 'Q) : Property =
        Args.notNullAs "GradCheck.propertyWith" "options" Args.gradCheckOptions options

        Args.notNullAs
            "GradCheck.propertyWith"
            "arbitrary"
            "an Arbitrary, such as TensorArb.tensor Domain.real"
            arbitrary

        Args.notNull "GradCheck.propertyWith" "f" f

        Prop.forAll arbitrary (fun p ->
            let r = FuncGrad.GradCheck.checkOf options f p
            r.Passed |> Prop.label r.Report)

    /// <summary>The property that f's derivatives check out (float64 defaults) on tensors of any shape with values in
    /// the domain.</summary>
    /// <example><code>testProperty "softplus" (GradCheck.property Tensor.softplus Domain.real)</code></example>
    [<CompiledName("Property")>]
    let property (f: Tensor -> Tensor) (domain: Domain) : Property =
        Args.notNull "GradCheck.property" "f" f
        Args.notNullAs "GradCheck.property" "domain" Args.domain domain
        propertyWith GradCheckOptions.Default (TensorArb.tensor domain) f

    /// <summary>The property for a function of two tensors, on pairs of broadcast-compatible shapes.</summary>
    /// <example><code>
    /// testProperty "div" (GradCheck.property2 (fun a b -> a / b) Domain.real (Domain.awayFromPoles [ 0.0 ]))
    /// </code></example>
    [<CompiledName("Property2")>]
    let property2 (f: Tensor -> Tensor -> Tensor) (domainA: Domain) (domainB: Domain) : Property =
        Args.notNull "GradCheck.property2" "f" f
        Args.notNullAs "GradCheck.property2" "domainA" Args.domain domainA
        Args.notNullAs "GradCheck.property2" "domainB" Args.domain domainB
        propertyWith GradCheckOptions.Default (TensorArb.broadcastPair domainA domainB) (fun (a, b) -> f a b)
