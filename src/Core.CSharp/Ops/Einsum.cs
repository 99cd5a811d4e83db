namespace FuncGrad;

// Einstein summation, composed of FuncGrad's own ops (diagonal, sum, permute, reshape, multiply and the matrix
// product), so it differentiates to any order, batches under vmap, compiles and runs on any backend with no rule of
// its own. Subscripts become integer labels: 'A'–'Z' are 0–25 and 'a'–'z' 26–51 (ASCII order, which the implicit
// output sorts by), and the axes an ellipsis stands for are 52, 53, … counted from the left of the widest ellipsis,
// so an operand's shorter ellipsis takes the rightmost of them, as broadcasting aligns shapes.
public sealed partial class Tensor
{
    /// <summary>The label of the widest ellipsis's first axis; letters are the labels below it.</summary>
    internal const int EllipsisStart = 52;

    /// <summary>
    /// Sums the products of the operands' elements over the subscripts that the output does not name: Einstein's
    /// summation convention, in NumPy's and PyTorch's notation. <c>"ij,jk->ik"</c> is a matrix product,
    /// <c>"ii"</c> a trace, <c>"ii->i"</c> a diagonal, <c>"...ij->...ji"</c> a batched transpose.
    /// </summary>
    /// <remarks>
    /// <para>The equation gives each operand's subscripts (letters <c>a</c>–<c>z</c>, <c>A</c>–<c>Z</c>, one per
    /// axis, and at most one <c>...</c> for any number of axes), separated by commas, then optionally <c>-&gt;</c>
    /// and the output's subscripts; spaces are ignored. Without <c>-&gt;</c> the output is the ellipsis's axes, then
    /// the subscripts that appear exactly once, in alphabetical order (capitals first). A subscript repeated within
    /// one operand takes that operand's diagonal; a subscript that the output leaves out is summed over. Axes of one
    /// subscript, and the ellipsis's axes aligned from the right, must have one size or size 1 (which broadcasts), as
    /// torch.einsum requires; a repeated subscript's axes within one operand must be equal.</para>
    /// <para>One operand is a diagonal, a sum and a permutation. With more, the operands are contracted two at a
    /// time, each pair chosen greedily as opt_einsum's greedy strategy does: among the pairs that share a subscript
    /// (any pair, if none do), the one whose product costs the fewest multiply-adds, ties going to the smaller
    /// result, then to the earlier pair. Each pairwise contraction is one batched matrix product (the shared
    /// subscripts that stay are its batch, the summed ones its inner dimension) of the operands as they lie where
    /// their axes are in a matrix product's order, transposed by the product rather than copied; products with no
    /// summed subscript, or with one row and one column, are a broadcast multiply (and a sum). So the sums run in
    /// the matrix product's order, and results agree with a loop within the rounding of a sum of that length.</para>
    /// </remarks>
    /// <example><code>
    /// Tensor.Einsum("ij,j->i", Tensor.Eye(2), Tensor.FromArray([3.0, 4.0])) // tensor([3., 4.], dtype=float64)
    /// </code></example>
    [Peers("torch.einsum", "jnp.einsum", "",
        Notes = "full notation; greedy order for 3+ operands; each pair one batched matmul", Composed = true)]
    public static Tensor Einsum(string equation, params IReadOnlyList<Tensor> operands)
    {
        Guard.NotNull(equation);
        Guard.NotNull(operands);
        var xs = operands.ToArray();
        for (int i = 0; i < xs.Length; i++) Guard.NotNull(xs[i], "a tensor for every operand");
        var (inputs, output) = EinsumEquation.Parse(equation, xs);
        return Contract(xs, inputs, output, "einsum");
    }

    /// <summary>
    /// The contraction of <paramref name="operands"/>, each axis labelled (a label shared by several axes is one
    /// index), to the axes <paramref name="output"/> lists: every other label is summed over. Einsum and Tensordot
    /// both end here; an axis of size 1 broadcasts against its label's other axes.
    /// </summary>
    private static Tensor Contract(Tensor[] operands, int[][] inputs, int[] output, string op)
    {
        for (int i = 0; i < operands.Length; i++)
        {
            if (!operands[i].DType.IsFloat())
                throw new DTypeMismatchException($"{op}: operand {i} is {Shapes.Show(operands[i])}; {op} sums "
                    + "products of floats: convert it with ToDType(DType.Float64) or ToDType(DType.Float32)");
            if (operands[i].DType != operands[0].DType)
                throw new DTypeMismatchException($"{op}: operand 0 is {Shapes.Show(operands[0])} but operand {i} is "
                    + $"{Shapes.Show(operands[i])}; dtypes are never mixed silently: convert one with "
                    + $"ToDType(DType.{operands[0].DType})");
        }
        var sizes = EinsumEquation.Sizes(operands, inputs, op);
        var terms = new List<(Tensor X, List<int> Labels)>();
        for (int i = 0; i < operands.Length; i++) terms.Add(Diagonals(operands[i], inputs[i], sizes));
        // A label no other term and not the output needs is summed within its own term, before any product.
        for (int i = 0; i < terms.Count; i++) terms[i] = SumUnneeded(terms[i], Needed(terms, output, i, -1));
        while (terms.Count > 1)
        {
            var (i, j) = Cheapest(terms, output, sizes);
            var needed = Needed(terms, output, i, j);
            var pair = Pair(terms[i], terms[j], needed, sizes);
            terms.RemoveAt(j);
            terms.RemoveAt(i);
            terms.Add(pair);
        }
        var (x, labels) = SumUnneeded(terms[0], new HashSet<int>(output));
        // The output's order; a label no operand kept has size 1 (one that broadcasts only), so a reshape adds it.
        var perm = output.Where(labels.Contains).Select(l => labels.IndexOf(l)).ToArray();
        var y = x.Permute(perm);
        return y.Reshape(output.Select(l => labels.Contains(l) ? sizes[l] : 1).ToArray());
    }

    /// <summary>The operand with each repeated label's diagonal taken (the label then last) and the axes of size 1
    /// whose label has another size elsewhere removed: it is constant along them, as broadcasting reads it.</summary>
    private static (Tensor, List<int>) Diagonals(Tensor x, int[] input, Dictionary<int, int> sizes)
    {
        var labels = input.ToList();
        var broadcast = labels.Select((l, a) => x.shape[a] == 1 && sizes[l] != 1).ToArray();
        if (broadcast.Any(b => b))
        {
            x = x.Reshape(x.shape.Where((_, a) => !broadcast[a]).ToArray());
            labels = labels.Where((_, a) => !broadcast[a]).ToList();
        }
        while (true)
        {
            int p = -1, q = -1;
            for (int a = 0; a < labels.Count && p < 0; a++)
                for (int b = a + 1; b < labels.Count; b++)
                    if (labels[a] == labels[b]) { p = a; q = b; break; }
            if (p < 0) return (x, labels);
            x = Linalg.Diagonal(x, 0, p, q);
            int label = labels[p];
            labels.RemoveAt(q);
            labels.RemoveAt(p);
            labels.Add(label);
        }
    }

    /// <summary>The labels the output and every term but i and j name.</summary>
    private static HashSet<int> Needed(List<(Tensor X, List<int> Labels)> terms, int[] output, int i, int j)
    {
        var needed = new HashSet<int>(output);
        for (int t = 0; t < terms.Count; t++)
            if (t != i && t != j) needed.UnionWith(terms[t].Labels);
        return needed;
    }

    /// <summary>The term with the labels <paramref name="needed"/> lacks summed away.</summary>
    private static (Tensor, List<int>) SumUnneeded((Tensor X, List<int> Labels) term, HashSet<int> needed)
    {
        var axes = Enumerable.Range(0, term.Labels.Count).Where(a => !needed.Contains(term.Labels[a])).ToArray();
        if (axes.Length == 0) return term;
        return (term.X.Sum(axes), term.Labels.Where(l => needed.Contains(l)).ToList());
    }

    /// <summary>The pair to contract next: among pairs that share a label (all pairs if none do), the fewest
    /// multiply-adds (the product of every size the two name), then the smallest result, then the first.</summary>
    private static (int, int) Cheapest(List<(Tensor X, List<int> Labels)> terms, int[] output,
        Dictionary<int, int> sizes)
    {
        bool anyShared = false;
        for (int i = 0; i < terms.Count && !anyShared; i++)
            for (int j = i + 1; j < terms.Count; j++)
                anyShared |= terms[i].Labels.Intersect(terms[j].Labels).Any();
        (int, int) best = (0, 1);
        (double Cost, double Size) bestCost = (double.PositiveInfinity, double.PositiveInfinity);
        for (int i = 0; i < terms.Count; i++)
            for (int j = i + 1; j < terms.Count; j++)
            {
                if (anyShared && !terms[i].Labels.Intersect(terms[j].Labels).Any()) continue;
                var union = terms[i].Labels.Union(terms[j].Labels).ToList();
                var kept = Needed(terms, output, i, j);
                double cost = union.Aggregate(1.0, (c, l) => c * sizes[l]);
                double size = union.Where(kept.Contains).Aggregate(1.0, (c, l) => c * sizes[l]);
                if (cost < bestCost.Cost || (cost == bestCost.Cost && size < bestCost.Size))
                    (best, bestCost) = ((i, j), (cost, size));
            }
        return best;
    }

    /// <summary>
    /// Two terms contracted over the labels they share that <paramref name="needed"/> lacks: the shared labels that
    /// stay are a batch, each term's own labels its rows or columns, as one matrix product. Each term is read as it
    /// lies when its axes are [batch, free, summed] or [batch, summed, free] (the product transposes it), with the
    /// batch and summed labels in the order of whichever term makes fewer copies.
    /// </summary>
    private static (Tensor, List<int>) Pair((Tensor X, List<int> Labels) left, (Tensor X, List<int> Labels) right,
        HashSet<int> needed, Dictionary<int, int> sizes)
    {
        var (a, la) = SumUnneeded(left, [.. needed, .. right.Labels]);
        var (b, lb) = SumUnneeded(right, [.. needed, .. la]);
        var aFree = la.Where(l => !lb.Contains(l)).ToList();
        var bFree = lb.Where(l => !la.Contains(l)).ToList();
        int Size(IEnumerable<int> ls) => ls.Aggregate(1, (n, l) => n * sizes[l]);
        int m = Size(aFree), n = Size(bFree);

        // Either term's order for the shared labels; the other may need a copy.
        List<int> Batch(List<int> from) => from.Where(l => la.Contains(l) && lb.Contains(l) && needed.Contains(l))
            .ToList();
        List<int> Summed(List<int> from) => from.Where(l => la.Contains(l) && lb.Contains(l) && !needed.Contains(l))
            .ToList();
        var (batch, summed) = (Batch(la), Summed(la));
        if (Copies(la, lb, Batch(lb), Summed(lb), aFree, bFree) < Copies(la, lb, batch, summed, aFree, bFree))
            (batch, summed) = (Batch(lb), Summed(lb));
        var batchShape = batch.Select(l => sizes[l]).ToArray();

        if (summed.Count == 0 || (m == 1 && n == 1))
        {
            // No sum, or a sum alone (a batch of dot products): a broadcast multiply, then the sum.
            var ones = (int count) => Enumerable.Repeat(1, count);
            var a2 = Arranged(a, la, [.. batch, .. summed, .. aFree])
                .Reshape([.. batchShape, .. summed.Select(l => sizes[l]), .. aFree.Select(l => sizes[l]),
                    .. ones(bFree.Count)]);
            var b2 = Arranged(b, lb, [.. batch, .. summed, .. bFree])
                .Reshape([.. batchShape, .. summed.Select(l => sizes[l]), .. ones(aFree.Count),
                    .. bFree.Select(l => sizes[l])]);
            var product = a2 * b2;
            if (summed.Count > 0) product = product.Sum(Enumerable.Range(batch.Count, summed.Count).ToArray());
            return (product, [.. batch, .. aFree, .. bFree]);
        }

        int k = Size(summed), count = Size(batch);
        bool aLast = Lies(la, [.. batch, .. aFree, .. summed]), aFirst = Lies(la, [.. batch, .. summed, .. aFree]);
        bool bFirst = Lies(lb, [.. batch, .. summed, .. bFree]), bLast = Lies(lb, [.. batch, .. bFree, .. summed]);
        // Every pairing of the two ways is one product, so a term that lies neither way is copied to either.
        aLast |= !aFirst;
        bFirst |= !bLast;
        Tensor Matrix(Tensor t, List<int> from, List<int> order, int rows, int columns) =>
            Arranged(t, from, order).Reshape(batch.Count == 0 ? [rows, columns] : [count, rows, columns]);
        var am = aLast ? Matrix(a, la, [.. batch, .. aFree, .. summed], m, k)
            : Matrix(a, la, [.. batch, .. summed, .. aFree], k, m);
        var bm = bFirst ? Matrix(b, lb, [.. batch, .. summed, .. bFree], k, n)
            : Matrix(b, lb, [.. batch, .. bFree, .. summed], n, k);
        // Aᵀ·Bᵀ is (B·A)ᵀ: that product, its rows labelled by B's free labels.
        var (c, rowsFirst) = (aLast, bFirst) switch
        {
            (true, true) => (Op.Apply(MatMulOp.Instance, am, bm), true),
            (true, false) => (Op.Apply(MatMulOp.TransposedB, am, bm), true),
            (false, true) => (Op.Apply(MatMulOp.TransposedA, am, bm), true),
            (false, false) => (Op.Apply(MatMulOp.Instance, bm, am), false),
        };
        var (first, second) = rowsFirst ? (aFree, bFree) : (bFree, aFree);
        List<int> labels = [.. batch, .. first, .. second];
        return (c.Reshape(labels.Select(l => sizes[l]).ToArray()), labels);
    }

    /// <summary>How many of the two terms a product with this batch and summed order would copy.</summary>
    private static int Copies(List<int> la, List<int> lb, List<int> batch, List<int> summed, List<int> aFree,
        List<int> bFree) =>
        (Lies(la, [.. batch, .. aFree, .. summed]) || Lies(la, [.. batch, .. summed, .. aFree]) ? 0 : 1)
        + (Lies(lb, [.. batch, .. summed, .. bFree]) || Lies(lb, [.. batch, .. bFree, .. summed]) ? 0 : 1);

    private static bool Lies(List<int> labels, List<int> order) => labels.SequenceEqual(order);

    /// <summary>The term's axes permuted from <paramref name="from"/>'s order to <paramref name="to"/>'s.</summary>
    private static Tensor Arranged(Tensor x, List<int> from, List<int> to) =>
        x.Permute(to.Select(l => from.IndexOf(l)).ToArray());
}

/// <summary>An einsum equation read into labels, and the sizes of its labels, with the errors that name what is
/// wrong.</summary>
internal static class EinsumEquation
{
    private const int Ellipsis = -1;

    /// <summary>Each operand's labels (its ellipsis expanded to its own axes) and the output's.</summary>
    internal static (int[][] Inputs, int[] Output) Parse(string equation, Tensor[] operands)
    {
        var compact = string.Concat(equation.Where(c => !char.IsWhiteSpace(c)));
        int arrow = compact.IndexOf("->", StringComparison.Ordinal);
        if (arrow >= 0 && compact.IndexOf("->", arrow + 2, StringComparison.Ordinal) >= 0)
            throw new ArgumentException($"einsum: \"{equation}\" has two '->'; write one, before the output's "
                + "subscripts", nameof(equation));
        var left = arrow >= 0 ? compact[..arrow] : compact;
        var terms = left.Split(',');
        if (operands.Length == 0)
            throw new ArgumentException($"einsum: \"{equation}\" was given no operands; pass one tensor per "
                + "comma-separated term", nameof(operands));
        if (terms.Length != operands.Length)
            throw new ArgumentException($"einsum: \"{equation}\" has subscripts for {terms.Length} operand"
                + $"{(terms.Length == 1 ? "" : "s")} but {operands.Length} were given; write one comma-separated "
                + "term per operand", nameof(operands));
        var parsed = terms.Select((t, i) => Term(equation, t, $"operand {i}'s subscripts \"{t}\"")).ToArray();

        // The ellipsis's axes: as many as the operand has beyond its letters; the widest sets the count.
        int widest = 0;
        var spans = new int[operands.Length];
        for (int i = 0; i < operands.Length; i++)
        {
            int letters = parsed[i].Count(l => l != Ellipsis);
            bool dots = parsed[i].Contains(Ellipsis);
            int rank = operands[i].Rank;
            if (dots ? rank < letters : rank != letters)
                throw new RankException($"einsum: operand {i} ({Shapes.Show(operands[i])}) has rank {rank} but its "
                    + $"subscripts \"{terms[i]}\" name {letters} ax{(letters == 1 ? "is" : "es")}"
                    + (dots ? " besides the ellipsis; give at most one subscript per axis"
                        : "; give one subscript per axis, or '...' for the axes not named"));
            spans[i] = rank - letters;
            if (dots) widest = Math.Max(widest, spans[i]);
        }
        var inputs = parsed.Select((t, i) => Expand(t, widest - spans[i], spans[i])).ToArray();

        int[] output;
        if (arrow >= 0)
        {
            var right = compact[(arrow + 2)..];
            var term = Term(equation, right, $"the output's subscripts \"{right}\"");
            foreach (var l in term.Where(l => l != Ellipsis).GroupBy(l => l).Where(g => g.Count() > 1))
                throw new ArgumentException($"einsum: subscript '{Letter(l.Key)}' appears twice in the output "
                    + $"\"{right}\" of \"{equation}\"; an output names each axis once (for a diagonal matrix use "
                    + "Linalg.DiagEmbed on the result)", nameof(equation));
            foreach (var l in term.Where(l => l != Ellipsis && !inputs.Any(t => t.Contains(l))))
                throw new ArgumentException($"einsum: the output's subscript '{Letter(l)}' in \"{equation}\" names "
                    + "no operand's axis; every output subscript must appear in some operand", nameof(equation));
            if (term.Contains(Ellipsis) && !parsed.Any(t => t.Contains(Ellipsis)))
                throw new ArgumentException($"einsum: the output of \"{equation}\" has '...' but no operand does; "
                    + "write '...' in the operands whose axes it stands for", nameof(equation));
            output = Expand(term, 0, widest);
        }
        else
        {
            // Implicit: the ellipsis's axes, then the subscripts that appear once, alphabetically.
            var once = inputs.SelectMany(t => t).Where(l => l < Tensor.EllipsisStart).GroupBy(l => l)
                .Where(g => g.Count() == 1).Select(g => g.Key).Order();
            output = [.. Enumerable.Range(Tensor.EllipsisStart, widest), .. once];
        }
        return (inputs, output);
    }

    /// <summary>A term's labels, Ellipsis where its "..." stands.</summary>
    private static List<int> Term(string equation, string term, string what)
    {
        var labels = new List<int>();
        for (int i = 0; i < term.Length; i++)
        {
            char c = term[i];
            if (c is >= 'A' and <= 'Z') labels.Add(c - 'A');
            else if (c is >= 'a' and <= 'z') labels.Add(c - 'a' + 26);
            else if (c == '.' && i + 2 < term.Length && term[i + 1] == '.' && term[i + 2] == '.')
            {
                if (labels.Contains(Ellipsis))
                    throw new ArgumentException($"einsum: {what} in \"{equation}\" has two ellipses; one '...' "
                        + "stands for all the axes not named", "equation");
                labels.Add(Ellipsis);
                i += 2;
            }
            else if (c == '.')
                throw new ArgumentException($"einsum: {what} in \"{equation}\" has a '.' that is not part of "
                    + "'...'; an ellipsis is three dots", "equation");
            else
                throw new ArgumentException($"einsum: {what} in \"{equation}\" has '{c}', which is not a "
                    + "subscript; subscripts are the letters a-z and A-Z, '...' stands for the axes not named, "
                    + "',' separates operands and '->' comes before the output", "equation");
        }
        return labels;
    }

    /// <summary>The term's labels with its ellipsis replaced by <paramref name="count"/> axes from
    /// <paramref name="from"/> of the widest ellipsis.</summary>
    private static int[] Expand(List<int> term, int from, int count) =>
        term.SelectMany(l => l == Ellipsis ? Enumerable.Range(Tensor.EllipsisStart + from, count) : [l]).ToArray();

    /// <summary>Each label's size: every axis it labels has it or size 1; a label repeated within an operand
    /// (a diagonal) needs equal sizes there.</summary>
    internal static Dictionary<int, int> Sizes(Tensor[] operands, int[][] inputs, string op)
    {
        var sizes = new Dictionary<int, int>();
        var from = new Dictionary<int, int>();
        for (int i = 0; i < operands.Length; i++)
        {
            var own = new Dictionary<int, int>();
            for (int a = 0; a < inputs[i].Length; a++)
            {
                int l = inputs[i][a], size = operands[i].shape[a];
                if (own.TryGetValue(l, out int there) && there != size)
                    throw new ShapeMismatchException($"{op}: {Name(l)} repeats in operand {i} "
                        + $"({Shapes.Show(operands[i])}) over axes of sizes {there} and {size}; a repeated "
                        + "subscript takes a diagonal, whose axes must have one size");
                own[l] = size;
                if (!sizes.TryGetValue(l, out int known) || known == 1) { sizes[l] = size; from[l] = i; }
                else if (size != 1 && size != known)
                    throw new ShapeMismatchException($"{op}: {Name(l)} has size {known} in operand {from[l]} "
                        + $"({Shapes.Show(operands[from[l]])}) but {size} in operand {i} ({Shapes.Show(operands[i])}); "
                        + "the axes of one subscript must have one size, or size 1 to broadcast");
            }
        }
        return sizes;
    }

    private static char Letter(int label) => (char)(label < 26 ? 'A' + label : 'a' + label - 26);

    private static string Name(int label) => label < Tensor.EllipsisStart ? $"subscript '{Letter(label)}'"
        : $"the ellipsis's axis {label - Tensor.EllipsisStart} (of its widest)";
}
