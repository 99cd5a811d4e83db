/// Reading the digits from gzip-compressed CSV, and a reproducible train/test split.
module Digits.Data

open System
open System.Globalization
open System.IO
open System.IO.Compression
open FuncGrad

/// <summary>Images as rows of 64 pixel values scaled to [0, 1], and their digits.</summary>
/// <example><code>let d = Data.load path in d.Pixels.Length // 1797</code></example>
type Dataset =
    {
        Pixels: float[][]
        Labels: int[]
    }

    /// <summary>The number of images.</summary>
    /// <example><code>d.Count // 1797</code></example>
    member d.Count = d.Labels.Length

/// <summary>A file that is not the expected CSV: says which line and why.</summary>
/// <example><code>raise (DataException "digits.csv.gz line 3: 64 values, expected 65")</code></example>
exception DataException of string

let private pixelsPerImage = 64
let private maxPixel = 16.0

/// <summary>
/// Parses one CSV line: 64 pixel counts in 0..16, then the digit 0..9. Pixels are scaled to [0, 1].
/// </summary>
/// <example><code>
/// parseLine "f.csv" 1 ("0," + String.replicate 63 "16," + "7") // ([| 0.0; 1.0; ... |], 7)
/// </code></example>
let parseLine (source: string) (lineNumber: int) (line: string) : float[] * int =
    let fail why =
        raise (DataException $"{source} line {lineNumber}: {why}")

    let fields = line.Split ','

    if fields.Length <> pixelsPerImage + 1 then
        fail $"{fields.Length} values, expected {pixelsPerImage + 1} (64 pixels and a label)"

    let number (i: int) =
        match Int32.TryParse(fields[i].Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture) with
        | true, v -> v
        | _ -> fail $"value {i + 1} is \"{fields[i]}\", not an integer"

    let pixels =
        Array.init pixelsPerImage (fun i ->
            let v = number i

            if v < 0 || float v > maxPixel then
                fail $"pixel {i + 1} is {v}, outside 0..16"

            float v / maxPixel)

    let label = number pixelsPerImage

    if label < 0 || label > 9 then
        fail $"the label is {label}, not a digit 0..9"

    pixels, label

/// <summary>Reads every image from a gzip-compressed CSV file, streaming (the file is never unpacked to
/// disk).</summary>
/// <example><code>
/// Data.load "data/digits.csv.gz" // { Pixels = [| ... |]; Labels = [| 0; 1; 2; ... |] }
/// </code></example>
let load (path: string) : Dataset =
    if not (File.Exists path) then
        raise (DataException $"{path}: no such file")

    use file = File.OpenRead path
    use gzip = new GZipStream(file, CompressionMode.Decompress)
    use reader = new StreamReader(gzip)
    let name = Path.GetFileName path
    let rows = ResizeArray()
    let mutable lineNumber = 0
    let mutable line = reader.ReadLine()

    while not (isNull line) do
        lineNumber <- lineNumber + 1

        if line.Trim() <> "" then
            rows.Add(parseLine name lineNumber line)

        line <- reader.ReadLine()

    if rows.Count = 0 then
        raise (DataException $"{path}: no images")

    {
        Pixels = rows |> Seq.map fst |> Array.ofSeq
        Labels = rows |> Seq.map snd |> Array.ofSeq
    }

/// <summary>
/// Shuffles with a seeded generator (Fisher–Yates) and splits off the last <paramref name="testFraction"/>
/// as the test set: the same seed gives the same split on every machine.
/// </summary>
/// <example><code>let train, test = Data.split 0.2 42 all // 1438 and 359 images</code></example>
let split (testFraction: float) (seed: int) (d: Dataset) : Dataset * Dataset =
    let rng = Random seed
    let order = Array.init d.Count id

    for i in order.Length - 1 .. -1 .. 1 do
        let j = rng.Next(i + 1)
        let t = order[i]
        order[i] <- order[j]
        order[j] <- t

    let nTest = int (round (testFraction * float d.Count))

    let pick (idx: int[]) =
        {
            Pixels = idx |> Array.map (fun i -> d.Pixels[i])
            Labels = idx |> Array.map (fun i -> d.Labels[i])
        }

    pick order[.. d.Count - nTest - 1], pick order[d.Count - nTest ..]

/// <summary>
/// Centres and scales each pixel by the training set's mean and standard deviation (pixels that never vary
/// are only centred), and applies the same map to the test set, so no test statistic leaks into training.
/// </summary>
/// <example><code>let train, test = Data.standardize train test</code></example>
let standardize (train: Dataset) (test: Dataset) : Dataset * Dataset =
    let n = float train.Count

    let mean =
        Array.init pixelsPerImage (fun j -> (train.Pixels |> Array.sumBy (fun row -> row[j])) / n)

    let std =
        Array.init pixelsPerImage (fun j ->
            let v = (train.Pixels |> Array.sumBy (fun row -> (row[j] - mean[j]) ** 2.0)) / n
            if v > 1e-12 then sqrt v else 1.0)

    let apply (d: Dataset) =
        { d with
            Pixels = d.Pixels |> Array.map (Array.mapi (fun j v -> (v - mean[j]) / std[j]))
        }

    apply train, apply test

/// <summary>Rows <paramref name="rows"/> of a dataset as an [n, 64] tensor and their labels.</summary>
/// <example><code>let x, y = Data.batch d [| 0; 1; 2 |] // x is [3, 64]</code></example>
let batch (d: Dataset) (rows: int[]) : Tensor * int[] =
    let values = Array.zeroCreate (rows.Length * pixelsPerImage)

    rows
    |> Array.iteri (fun k i -> Array.blit d.Pixels[i] 0 values (k * pixelsPerImage) pixelsPerImage)

    Tensor.ofShape [| rows.Length; pixelsPerImage |] values, rows |> Array.map (fun i -> d.Labels[i])

/// <summary>
/// A copy of 8×8 images (rows of 64) each moved by its own random shift of −1, 0 or 1 pixel down and across, the
/// uncovered border filled with <paramref name="fill"/>: a digit drawn a pixel off-centre is the same digit, so
/// training on shifted copies teaches a network that, and it no longer learns the training images by heart.
/// </summary>
/// <example><code>let moved = Data.shifted (Random 1) 0.0 d // same labels, pixels moved</code></example>
let shifted (rng: Random) (fill: float) (d: Dataset) : Dataset =
    let side = 8

    let move (pixels: float[]) =
        let dy, dx = rng.Next 3 - 1, rng.Next 3 - 1

        Array.init pixelsPerImage (fun k ->
            let r, c = k / side - dy, k % side - dx

            if r >= 0 && r < side && c >= 0 && c < side then
                pixels[r * side + c]
            else
                fill)

    { d with
        Pixels = Array.map move d.Pixels
    }
