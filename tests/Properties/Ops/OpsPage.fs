/// docs/ops.md, generated from the code (Ops/Catalog.fs), and the test that fails when the page is not what the code
/// generates. Main writes the page when run with --write-ops-page.
module Ops.OpsPage

open System
open System.IO
open Expecto
open Ops.Catalog

/// The command that writes docs/ops.md from the code.
let regenerate =
    "dotnet run --project tests/Properties -c Release -- --write-ops-page"

/// Each section's families in the order the page lists them, with their headings. A family not listed here (a new
/// file of ops) comes after these, headed by its name in words.
let private families =
    [
        Ops,
        [
            "Create", "Creation"
            "Arithmetic", "Arithmetic"
            "Power", "Powers"
            "Unary", "Elementwise functions"
            "MinMax", "Maximum and minimum"
            "Compare", "Comparisons and selection"
            "Reductions", "Reductions"
            "Sorting", "Sorting and selection"
            "Layout", "Layout"
            "Indexing", "Indexing and joining"
            "IndexTensors", "Indexing with tensors"
            "GatherScatter", "Gather and scatter"
            "Embedding", "Embeddings"
            "LinearAlgebra", "Linear algebra"
            "NeuralNet", "Neural networks"
            "Convolution", "Convolutions"
            "Pooling", "Pooling"
            "Padding", "Padding"
            "Resampling", "Resampling"
            "Folding", "Unfold and fold"
            "Convert", "Conversion"
            "Move", "Devices"
            "Graph", "The imperative graph"
            "Elementary", "Elementary functions"
            "Rounding", "Rounding"
            "BinaryMath", "Functions of two arguments"
            "Clamp", "Clamping"

            "Special", "Special functions"
            "Activations", "Activation functions"

            "Product", "Products"
            "Statistics", "Statistics"
            "Quantile", "Quantiles"

            "Rearrange", "Rearranging"
            "Splitting", "Splitting"

            "Einsum", "Einstein summation"
            "Contractions", "Contractions"
            "Normalization", "Normalisation layers"
            "Losses", "Losses and distances"
            "Dropout", "Dropout"
            "Attention", "Attention"
        ]
        Transformations,
        [
            "Autodiff", "Gradients"
            "Jacobians", "Jacobians and higher derivatives"
            "Vmap", "Batching"
            "Compile", "Compiling"
            "CustomRules", "Custom rules and checkpointing"
            "Loops", "Loops and branches"
            "Anomaly", "Finding NaNs and infinities"
        ]
        LinearAlgebra,
        [
            "Triangular", "Triangular solves"
            "Cholesky", "Cholesky"
            "Lu", "LU"
            "Solve", "Solves and inverses"
            "Det", "Determinants"
            "Qr", "QR"
            "Lstsq", "Least squares"
            "Eigh", "Symmetric eigenvalues"
            "Svd", "Singular values"
            "Pinv", "Pseudo-inverse"
            "Norms", "Matrix norms"
            "VectorNorm", "Vector norms"
            "MatrixFunctions", "Matrix functions"
            "Triangles", "Triangles"
            "Diagonals", "Diagonals and traces"
            "Cross", "Cross product"
        ]
        Optimisers, [ "Optim", "Optimisers" ]
    ]

/// "LinearAlgebra" as "Linear algebra".
let private words (name: string) =
    String.Concat(
        name
        |> Seq.mapi (fun i c ->
            if i > 0 && Char.IsUpper c then
                " " + string (Char.ToLowerInvariant c)
            else
                string c)
    )

/// A section's families in page order, each with its heading and rows in the order of their lines.
let private tables (section: Section) (rows: Row list) =
    let known = families |> List.find (fst >> (=) section) |> snd
    let mine = rows |> List.filter (fun r -> r.Section = section)

    let unknown =
        mine
        |> List.map (fun r -> r.Family)
        |> List.distinct
        |> List.filter (fun f -> not (known |> List.exists (fst >> (=) f)))
        |> List.sort
        |> List.map (fun f -> f, words f)

    [
        for family, heading in known @ unknown do
            match mine |> List.filter (fun r -> r.Family = family) with
            | [] -> ()
            | rs -> yield heading, rs |> List.sortBy (fun r -> r.Line, r.Key)
    ]

let private code (names: string list) =
    match names with
    | [] -> "—"
    | ns -> ns |> List.map (fun n -> $"`{n}`") |> String.concat ", "

/// A Peers list: names separated by ", " outside brackets (`x[i, j]` is one name).
let private peer (names: string) =
    let parts = ResizeArray<string>()
    let mutable depth, start = 0, 0

    for i in 0 .. names.Length - 1 do
        match names[i] with
        | '['
        | '(' -> depth <- depth + 1
        | ']'
        | ')' -> depth <- depth - 1
        | ',' when depth = 0 ->
            parts.Add(names.Substring(start, i - start))
            start <- i + 1
        | _ -> ()

    parts.Add(names.Substring start)

    code
        [
            for p in parts do
                if p.Trim() <> "" then
                    p.Trim()
        ]

/// F# names less the float32 twins (`Tensor.zeros32` beside `Tensor.zeros`), which the page mentions once.
let private withoutTwins (names: string list) =
    names
    |> List.filter (fun n -> not (n.EndsWith "32" && List.contains (n.Substring(0, n.Length - 2)) names))

let private table (rows: Row list) =
    [
        "| C# | F# | PyTorch | JAX | DiffSharp | Notes |"
        "|---|---|---|---|---|---|"
        for r in rows do
            let notes = r.Peers.Notes.Replace("|", "\\|")

            $"| {code r.CSharp} | {code (withoutTwins r.FSharp)} | {peer r.Peers.Torch} | {peer r.Peers.Jax} "
            + $"| {peer r.Peers.DiffSharp} | {notes} |"
    ]

/// "Comparisons and selection" as GitHub writes its anchor.
let private anchor (heading: string) =
    heading.ToLowerInvariant().Replace(' ', '-')

/// The page, from the rows.
let render (rows: Row list) =
    let section (title: string) (s: Section) =
        let ts = tables s rows

        if ts.IsEmpty then
            []
        else
            [
                $"## {title}"
                ""
                if ts.Length > 1 then
                    ts |> List.map (fun (h, _) -> $"[{h}](#{anchor h})") |> String.concat " · "
                    ""
                for heading, rs in ts do
                    if ts.Length > 1 then
                        $"### {heading}"
                        ""

                    yield! table rs
                    ""
            ]

    [
        "# Ops and transformations"
        ""
        $"<!-- Generated from the code by `{regenerate}`; edit the code, not this page. -->"
        ""
        "Every public op and transformation of FuncGrad, with its names in C# and F# and the names PyTorch, JAX and"
        "DiffSharp give the same thing (— where one has none). Each op carries its peers' names in the code, beside its"
        "public method, and the C# and F# names are read from the libraries themselves, so the page cannot go stale: a"
        "test fails when it differs from what the code generates."
        ""
        "How to read the names: `x.Exp` is an instance method and `Tensor.Exp` a static one; an op's C# overloads and"
        "operators share its row. In the F# column, `Tensor.sum` is a function of the F# `Tensor` module and `grad` one"
        "that `open FuncGrad` brings in; `exp`, `abs`, `**` and the operators are F#'s own, which call the C# members."
        "An F# function's float32 twin is not listed (`Tensor.zeros32` beside `Tensor.zeros`). `jnp` is `jax.numpy`."
        "A number on either side of an operator takes the tensor's dtype, as a Python literal does in PyTorch; what"
        "FuncGrad answers at kinks and infinities is in [conventions.md](conventions.md)."
        ""
        "A new op gets its row from one line, `[Peers(torch, jax, diffSharp)]` on its public method"
        "(`src/Core.CSharp/Peers.cs` says how), and this page is rewritten by"
        $"`{regenerate}`."
        ""
        yield! section "Ops" Ops
        yield! section "Linear algebra (`Linalg`)" LinearAlgebra
        yield! section "Transformations" Transformations
        yield! section "Optimisers" Optimisers
    ]
    |> String.concat "\n"
    |> fun s -> s.TrimEnd('\n') + "\n"

/// The repository's root: the nearest folder above the test binary that holds FuncGrad.sln.
let repositoryRoot () =
    let rec up (d: DirectoryInfo) =
        if isNull d then
            failwith $"no FuncGrad.sln above {AppContext.BaseDirectory}: run the tests from a clone"
        elif File.Exists(Path.Combine(d.FullName, "FuncGrad.sln")) then
            d.FullName
        else
            up d.Parent

    up (DirectoryInfo AppContext.BaseDirectory)

let pagePath () =
    Path.Combine(repositoryRoot (), "docs", "ops.md")

/// The page the code generates now.
let generate () = render (fst (read ()))

/// Writes docs/ops.md (Main, with --write-ops-page).
let write () =
    let path = pagePath ()
    File.WriteAllText(path, generate ())
    printfn "wrote %s" path

/// Where two texts first differ, by line, for the message.
let firstDifference (actual: string) (expected: string) =
    let a = actual.Split '\n'
    let e = expected.Split '\n'

    let i =
        Seq.zip a e
        |> Seq.tryFindIndex (fun (x, y) -> x <> y)
        |> Option.defaultValue (min a.Length e.Length)

    let lineOf (lines: string[]) =
        if i < lines.Length then
            lines[i]
        else
            "(the end of the page)"

    $"line {i + 1}:\n  docs/ops.md:   {lineOf a}\n  the code says: {lineOf e}"

[<Tests>]
let tests =
    testList
        "docs/ops.md"
        [
            test "is what the code generates" {
                let path = pagePath ()

                if not (File.Exists path) then
                    failtest $"docs/ops.md does not exist; write it with: {regenerate}"

                let actual = File.ReadAllText(path).Replace("\r\n", "\n")
                let expected = generate ()

                if actual <> expected then
                    failtest (
                        "docs/ops.md is not what the code generates (an op, its Peers or an F# function changed); "
                        + $"regenerate it with: {regenerate}\nfirst difference at {firstDifference actual expected}"
                    )
            }
        ]
