// Prints a Stryker.NET JSON report (tests/mutation.sh): the mutation score of each mutated file and of all of them,
// then every mutant that survived or that no test reached, with its line, what Stryker changed, and the line itself.
//   dotnet fsi tests/Mutation/report.fsx REPORT.json
// The score is Stryker's: (killed + timed out) / (killed + timed out + survived + not covered). Mutants that did not
// compile or that the mutate filter left out do not count.

open System
open System.IO
open System.Text.Json

let report =
    JsonDocument.Parse(File.ReadAllText(fsi.CommandLineArgs[1])).RootElement

let str (e: JsonElement) (name: string) =
    match e.TryGetProperty name with
    | true, v when v.ValueKind = JsonValueKind.String -> v.GetString()
    | _ -> ""

type Mutant =
    {
        File: string
        Line: int
        Status: string
        Mutator: string
        Replacement: string
        Source: string
    }

let mutants =
    [
        for file in report.GetProperty("files").EnumerateObject() do
            let lines = (str file.Value "source").Split('\n')

            for m in file.Value.GetProperty("mutants").EnumerateArray() do
                let line =
                    m.GetProperty("location").GetProperty("start").GetProperty("line").GetInt32()

                {
                    File = file.Name
                    Line = line
                    Status = str m "status"
                    Mutator = str m "mutatorName"
                    Replacement = (str m "replacement").Replace("\n", " ")
                    Source = if line <= lines.Length then lines[line - 1].Trim() else ""
                }
    ]

let counts (ms: Mutant list) =
    let n s =
        ms |> List.filter (fun m -> m.Status = s) |> List.length

    n "Killed", n "Timeout", n "Survived", n "NoCoverage"

let score (ms: Mutant list) =
    let killed, timeout, survived, noCoverage = counts ms
    let total = killed + timeout + survived + noCoverage

    if total = 0 then
        "n/a"
    else
        sprintf "%.2f %%" (100.0 * float (killed + timeout) / float total)

let tested =
    mutants
    |> List.filter (fun m -> List.contains m.Status [ "Killed"; "Timeout"; "Survived"; "NoCoverage" ])

let shortName (f: string) =
    let i = f.IndexOf "/src/"
    if i >= 0 then f.Substring(i + 1) else f

printfn "mutation score per file (killed + timed out of killed, timed out, survived and not covered):"

for file, ms in tested |> List.groupBy (fun m -> m.File) |> List.sortBy fst do
    let killed, timeout, survived, noCoverage = counts ms

    printfn
        "  %-45s %8s  killed %d, timed out %d, survived %d, not covered %d"
        (shortName file)
        (score ms)
        killed
        timeout
        survived
        noCoverage

printfn "mutation score: %s of %d mutants" (score tested) tested.Length

for status, title in [ "Survived", "survived"; "NoCoverage", "not covered by any test" ] do
    let ms =
        tested
        |> List.filter (fun m -> m.Status = status)
        |> List.sortBy (fun m -> m.File, m.Line)

    if not ms.IsEmpty then
        printfn "\n%s (%d):" title ms.Length

        for m in ms do
            let replacement =
                if m.Replacement.Length > 100 then
                    m.Replacement.Substring(0, 100) + "…"
                else
                    m.Replacement

            printfn "  %s:%d  %s: %s\n      was: %s" (shortName m.File) m.Line m.Mutator replacement m.Source
