/// High-precision reference values for the elementwise functions (issue 23): tables of arguments and correctly
/// rounded results computed with mpmath at 60 digits by the scripts beside this file (`python3 <family>.py`), kept
/// as embedded CSV resources, and the distance in units in the last place between a result and its reference.
module Reference.Tables

open System
open System.IO
open System.Globalization

/// One row of a table: the arguments and the correctly rounded float64 value of the function there.
type Row = { Args: float[]; Value: float }

/// The rows of `<name>.csv` (columns: the arguments, then the value; `#` lines are comments), as Python's repr
/// printed them: shortest round-trip decimal, `inf`, `-inf`, `nan`.
let load (name: string) : Row[] =
    let asm = Reflection.Assembly.GetExecutingAssembly()

    let resource =
        asm.GetManifestResourceNames()
        |> Array.tryFind (fun r -> r.EndsWith("." + name + ".csv", StringComparison.Ordinal))
        |> Option.defaultWith (fun () ->
            failwithf "no reference table %s.csv (run the generator in tests/Properties/Reference)" name)

    use reader = new StreamReader(asm.GetManifestResourceStream resource)

    let parse (s: string) =
        match s.Trim() with
        | "inf" -> Double.PositiveInfinity
        | "-inf" -> Double.NegativeInfinity
        | "nan" -> Double.NaN
        | t -> Double.Parse(t, CultureInfo.InvariantCulture)

    [|
        while not reader.EndOfStream do
            let line = reader.ReadLine()

            if line.Length > 0 && not (line.StartsWith "#") then
                let cells = line.Split ',' |> Array.map parse

                yield
                    {
                        Args = cells[.. cells.Length - 2]
                        Value = cells[cells.Length - 1]
                    }
    |]

/// The number of float64 values strictly between a and b plus one (0 when equal; NaN equals NaN; ±0 are equal):
/// the ordered-integer distance of their bit patterns.
let ulps64 (a: float) (b: float) : float =
    if Double.IsNaN a || Double.IsNaN b then
        (if Double.IsNaN a && Double.IsNaN b then 0.0 else infinity)
    elif a = b then
        0.0
    else
        let ordered (x: float) =
            let bits = BitConverter.DoubleToInt64Bits x
            if bits < 0L then Int64.MinValue - bits else bits

        // in decimal: a float64 holds the ordered bits only to 2^-53 of their size (multiples of 512 near 1.0)
        float (abs (decimal (ordered a) - decimal (ordered b)))

/// The same for float32: a float32 result against the reference rounded to float32.
let ulps32 (a: float32) (reference: float) : float =
    let b = float32 reference

    if Single.IsNaN a || Single.IsNaN b then
        (if Single.IsNaN a && Single.IsNaN b then 0.0 else infinity)
    elif a = b then
        0.0
    else
        let ordered (x: float32) =
            let bits = BitConverter.SingleToInt32Bits x
            if bits < 0 then Int32.MinValue - bits else bits

        abs (float (ordered a) - float (ordered b))
