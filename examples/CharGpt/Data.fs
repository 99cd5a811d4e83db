/// The training text (the repository's own docs), its characters as token ids, the unigram baseline and random
/// batches of windows.
module CharGpt.Data

open System
open System.IO
open FuncGrad

/// <summary>A text as token ids, with the vocabulary that maps ids to characters and back.</summary>
/// <example><code>let c = Data.ofText "abba" in c.Vocabulary // [| 'a'; 'b' |]</code></example>
type Corpus =
    {
        /// The distinct characters of the text, in ordinal order: id i stands for Vocabulary[i].
        Vocabulary: char[]
        /// Every character of the text as its id.
        Ids: int[]
    }

/// <summary>The markdown pages of a folder (sorted by name, so every run reads the same text), one after
/// another.</summary>
/// <example><code>Data.readPages "docs" |> String.length // about 280,000 for these docs</code></example>
let readPages (folder: string) : string =
    let pages =
        Directory.GetFiles(folder, "*.md")
        |> Array.sortWith (fun a b -> String.CompareOrdinal(a, b))

    if pages.Length = 0 then
        failwith $"CharGpt: no *.md files in {Path.GetFullPath folder}; the text is the repository's docs/*.md"

    pages |> Array.map File.ReadAllText |> String.concat "\n"

/// <summary>The corpus of a text: its distinct characters as the vocabulary, the text as ids.</summary>
/// <example><code>(Data.ofText "abba").Ids // [| 0; 1; 1; 0 |]</code></example>
let ofText (text: string) : Corpus =
    let vocabulary =
        text
        |> Seq.distinct
        |> Seq.toArray
        |> Array.sortWith (fun a b -> compare (int a) (int b))

    let index = vocabulary |> Array.mapi (fun i c -> c, i) |> dict

    {
        Vocabulary = vocabulary
        Ids = text |> Seq.map (fun c -> index[c]) |> Seq.toArray
    }

/// <summary>The characters of ids, as a string.</summary>
/// <example><code>Data.decode [| 'a'; 'b' |] [| 1; 0 |] // "ba"</code></example>
let decode (vocabulary: char[]) (ids: int seq) : string =
    String(ids |> Seq.map (fun i -> vocabulary[i]) |> Seq.toArray)

/// <summary>The first part of the ids for training, the rest (a contiguous tail, as nanoGPT splits) for
/// validation.</summary>
/// <example><code>Data.split 0.9 [| 0 .. 9 |] // ([| 0 .. 8 |], [| 9 |])</code></example>
let split (trainFraction: float) (ids: int[]) : int[] * int[] =
    let n = int (trainFraction * float ids.Length)
    ids[.. n - 1], ids[n..]

/// <summary>
/// The unigram baseline in nats: the entropy −Σ p ln p of the character frequencies of the ids, which is the
/// cross-entropy a model that ignores context reaches on that text at best.
/// </summary>
/// <example><code>Data.unigramEntropy 2 [| 0; 1; 0; 1 |] // ln 2 = 0.6931</code></example>
let unigramEntropy (vocabularySize: int) (ids: int[]) : float =
    let counts = Array.zeroCreate<int> vocabularySize

    for i in ids do
        counts[i] <- counts[i] + 1

    let n = float ids.Length

    counts
    |> Array.sumBy (fun c ->
        if c = 0 then
            0.0
        else
            let p = float c / n
            -p * log p)

/// <summary>
/// A batch of windows of the ids starting at the given offsets: inputs [batch, context] and the next characters as
/// targets [batch, context], both int64.
/// </summary>
/// <example><code>Data.windows 4 ids [| 0; 100 |] // (inputs [2; 4], targets [2; 4])</code></example>
let windows (context: int) (ids: int[]) (offsets: int[]) : Tensor * Tensor =
    let take shift =
        offsets
        |> Array.collect (fun o -> Array.init context (fun t -> int64 ids[o + t + shift]))
        |> Tensor.ofShapeInt64 [| offsets.Length; context |]

    take 0, take 1

/// <summary>batch random windows of the ids (offsets drawn from rng), as <c>windows</c> gives them.</summary>
/// <example><code>Data.batch (System.Random 1) 12 64 trainIds // (inputs [12; 64], targets [12; 64])</code></example>
let batch (rng: System.Random) (batch: int) (context: int) (ids: int[]) : Tensor * Tensor =
    windows context ids (Array.init batch (fun _ -> rng.Next(ids.Length - context)))
