namespace FuncGrad

open System
open System.Collections.Generic

/// <summary>
/// The null check of the F# surface. F# types say that a tensor, a function or a list is never null, but C# callers
/// and <c>Unchecked.defaultof</c> can pass one; so every public function checks its reference arguments before any
/// work, and the mistake is an ArgumentNullException naming the parameter, not a NullReferenceException from inside.
/// The message is the C# core's (Guard), so both languages read alike.
/// </summary>
module internal Args =
    /// What to pass, for a parameter whose type is a structure of tensors (Tree).
    [<Literal>]
    let tree =
        "a structure of tensors: a Tensor, or tuples, lists, arrays, Maps or records of them"

    /// What to pass for GradCheck's options.
    [<Literal>]
    let gradCheckOptions = "options: GradCheckOptions.Default, or options made from it"

    /// What to pass for Graph's options.
    [<Literal>]
    let graphOptions = "options: Graph.defaults, or options made from it"

    /// What to pass for a FuncGrad.Testing domain.
    [<Literal>]
    let domain = "a Domain, such as Domain.real"

    let private describe (t: Type) =
        let generic (d: Type) =
            t.IsGenericType && t.GetGenericTypeDefinition() = d

        if t = typeof<Tensor> then "a tensor"
        elif generic typedefof<_ -> _> then "a function"
        elif generic typedefof<_ list> then "a list"
        elif generic typedefof<IEnumerable<_>> then "a sequence"
        elif t.IsArray then "an array"
        else "a " + t.Name.Split('`')[0]

    /// Raises ArgumentNullException for parameter <c>name</c> of <c>op</c> when <c>value</c> is null, saying
    /// <c>what</c> to pass.
    let notNullAs (op: string) (name: string) (what: string) (value: 'T) =
        if isNull (box value) then
            Guard.Throw(op, name, what)

    /// As <c>notNullAs</c>, saying what to pass by the parameter's type.
    let notNull (op: string) (name: string) (value: 'T) =
        if isNull (box value) then
            Guard.Throw(op, name, describe typeof<'T>)
