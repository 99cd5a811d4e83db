namespace FuncGrad;

/// <summary>
/// The scope a custom op's function and rules run in (Autodiff.Custom): reading the values of a tensor that belongs
/// to a differentiation which existed when the rule started (an outer Hessian's level, or the level the engine uses to
/// transpose a rule) would turn that tensor into constants and drop a derivative without a word, so it throws instead.
/// Tensors of differentiations the rule starts itself, over plain values, stay readable, as do plain tensors: a
/// first-order rule that reads its inputs keeps working.
/// </summary>
/// <remarks>
/// The scope is a context value (AsyncLocal), so rules on other threads are unaffected. Tags are handed out in
/// increasing order (Tags.cs), so "existed when the rule started" is "tag at most the counter's value then".
/// </remarks>
internal sealed class RuleReads
{
    private static readonly AsyncLocal<RuleReads?> current = new();

    private readonly string op;
    private readonly string rule;
    private readonly long ceiling;
    private readonly (Tensor? Tensor, string Name)[] named;
    private readonly bool onceDifferentiable;

    private RuleReads(string op, string rule, (Tensor?, string)[] named, bool onceDifferentiable)
    {
        this.op = op; this.rule = rule; this.named = named; this.onceDifferentiable = onceDifferentiable;
        ceiling = Tags.Current;
    }

    /// <summary>Runs <paramref name="body"/>, the user's <paramref name="rule"/> of custom op <paramref name="op"/>,
    /// with value reads checked; <paramref name="named"/> are its arguments, named for the error.</summary>
    internal static T Run<T>(string op, string rule, bool onceDifferentiable, (Tensor?, string)[] named,
        Func<T> body)
    {
        var previous = current.Value;
        current.Value = new RuleReads(op, rule, named, onceDifferentiable);
        try { return body(); }
        finally { current.Value = previous; }
    }

    /// <summary>Throws when <paramref name="x"/> (a tensor with a tag) is read inside a rule and one of its levels
    /// belongs to a differentiation that the read would drop.</summary>
    internal static void Check(Tensor x, string what)
    {
        if (current.Value is not { } scope) return;
        for (var t = x; t is not null && t.tag != 0; t = t.primal)
            if (t.tag <= scope.ceiling) throw scope.Refuse(x, what);
    }

    private GradientException Refuse(Tensor x, string what)
    {
        string name = "a tensor it computed from its arguments or captured";
        foreach (var (t, n) in named)
            if (ReferenceEquals(t, x)) { name = n; break; }
        string way = onceDifferentiable
            ? "A once-differentiable rule may read only the plain values it is given; write the rule with FuncGrad " +
              "ops (Tensor methods) instead, which differentiate to any order"
            : "Either write the rule with FuncGrad ops (Tensor methods), which differentiate to any order, or " +
              "declare it once-differentiable (onceDifferentiable: true in Autodiff.Custom; onceDifferentiable " +
              "rule in F#), so that differentiating through it again is an error rather than a wrong answer";
        return new GradientException(
            $"{op}: its {rule} reads the values of {name} ({Shapes.Show(x)}, by {what}), which is being " +
            "differentiated (by a grad, jvp or hessian around it, or by the transposition that derives this rule's " +
            "other mode): to the rule its values are constants, so that derivative would be silently lost. " + way);
    }
}
