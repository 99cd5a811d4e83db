using FuncGrad;
using TorchSharp;
using static TorchSharp.torch;
using TTensor = TorchSharp.torch.Tensor;

namespace FuncGrad.Benchmarks;

// SUITE.md S14, indexing with tensors, float32: gather along axis 1 of a [4,096 x 256] source with [4,096 x 64]
// indices; scatter_add of [65,536 x 64] rows into [4,096 x 64] by random row indices (the index holds each row's
// target in every column, as graph message passing builds it); embedding of [64 x 256] ids from a [50,000 x 256]
// table. Each forward ("<op>/forward"), and forward + backward of the sum of the output times a fixed random cotangent
// ("<op>/backward": the gradient with respect to the source, the rows or the table). Both sides get the same data.

/// <summary>The three S14 indexing ops and their data, drawn once with fixed seeds.</summary>
public static class IndexingData
{
    public const int Rows = 4096, Width = 256, Picked = 64, Messages = 65_536, Features = 64;
    public const int Vocabulary = 50_000, Dim = 256, Batch = 64, Sequence = 256;

    public static long[] Ints(int count, int below, int seed)
    {
        var rng = new Random(seed);
        var r = new long[count];
        for (int i = 0; i < r.Length; i++) r[i] = rng.Next(below);
        return r;
    }

    /// <summary>Each message's target row, repeated along the features.</summary>
    public static long[] Targets()
    {
        var rows = Ints(Messages, Rows, 11);
        var r = new long[Messages * Features];
        for (int i = 0; i < Messages; i++) Array.Fill(r, rows[i], i * Features, Features);
        return r;
    }

    /// <summary>(source, cotangent) shapes, and the index's, of each op.</summary>
    public static (int[] Source, int[] Output, int[] Index, long[] Values) Of(string op) => op switch
    {
        "gather" => ([Rows, Width], [Rows, Picked], [Rows, Picked], Ints(Rows * Picked, Width, 10)),
        "scatter_add" => ([Messages, Features], [Rows, Features], [Messages, Features], Targets()),
        _ => ([Vocabulary, Dim], [Batch, Sequence, Dim], [Batch, Sequence], Ints(Batch * Sequence, Vocabulary, 12)),
    };

    public static int Count(int[] shape) => shape.Aggregate(1, (a, b) => a * b);
}

public sealed class FgIndexing(string op, bool backward) : FuncGradWorkload
{
    public override string Case => "S14";
    public override string DType => "float32";
    public override string? Variant => op + (backward ? "/backward" : "/forward");
    public override int Batch => op == "gather" ? 8 : 1;
    private Tensor source = null!, index = null!, cotangent = null!, zeros = null!;

    public override void Setup()
    {
        var (src, output, idx, values) = IndexingData.Of(op);
        source = Tensor.FromArray(Data.ToFloat(Data.Normal(IndexingData.Count(src), 1)), src);
        index = Tensor.FromArray(values, idx);
        cotangent = Tensor.FromArray(Data.ToFloat(Data.Normal(IndexingData.Count(output), 2)), output);
        zeros = Tensor.Zeros(output, FuncGrad.DType.Float32);
    }

    private Tensor Forward(Tensor x) => op switch
    {
        "gather" => x.Gather(1, index),
        "scatter_add" => zeros.ScatterAdd(0, index, x),
        _ => Tensor.Embedding(index, x),
    };

    public override double Run() => backward
        ? Autodiff.Grad(x => (Forward(x) * cotangent).Sum(), source).Count
        : Forward(source).Count;
}

public sealed class TsIndexing(string op, bool backward) : TorchWorkload
{
    public override string Case => "S14";
    public override string DType => "float32";
    public override string? Variant => op + (backward ? "/backward" : "/forward");
    public override int Batch => op == "gather" ? 8 : 1;
    private TTensor source = null!, index = null!, cotangent = null!, zeros = null!;
    private TorchSharp.Modules.Embedding? table; // aten::embedding, whose backward is embedding_dense_backward

    public override void Setup()
    {
        var (src, output, idx, values) = IndexingData.Of(op);
        source = Make(Data.Normal(IndexingData.Count(src), 1), Array.ConvertAll(src, d => (long)d),
            ScalarType.Float32).requires_grad_(backward);
        index = torch.tensor(values, Array.ConvertAll(idx, d => (long)d), ScalarType.Int64);
        cotangent = Make(Data.Normal(IndexingData.Count(output), 2), Array.ConvertAll(output, d => (long)d),
            ScalarType.Float32);
        zeros = torch.zeros(Array.ConvertAll(output, d => (long)d), ScalarType.Float32);
        if (op == "embedding")
        {
            table = nn.Embedding_from_pretrained(source.detach(), freeze: false);
            source = table.weight!;
        }
    }

    private TTensor Forward(TTensor x) => op switch
    {
        "gather" => x.gather(1, index),
        "scatter_add" => zeros.scatter_add(0, index, x),
        _ => table!.forward(index),
    };

    public override double Run()
    {
        using var scope = torch.NewDisposeScope();
        if (!backward)
        {
            using (torch.no_grad()) return Forward(source).numel();
        }
        var loss = (Forward(source) * cotangent).sum();
        return torch.autograd.grad([loss], [source])[0].numel();
    }

    public override void Dispose() => table?.Dispose();
}
