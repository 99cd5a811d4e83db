// Removes the indentation that examples in XML docs carry from their source: the C# compiler keeps each line of a
// multi-line <code> as written, after the `///`, so fsdocs shows a C# example indented by its depth in the file.
// Called by .ci/docs-site.sh on the built API pages:  dotnet fsi dedent.fsx <site folder>
open System
open System.IO
open System.Text.RegularExpressions

let site = fsi.CommandLineArgs[1]
let code = Regex("(<code lang=\"[a-z]+\">)(.*?)(</code>)", RegexOptions.Singleline)
let indent (line: string) = line.Length - line.TrimStart(' ').Length

let dedent (body: string) =
    let lines = body.Split('\n')
    let depths = lines |> Array.filter (fun l -> l.Trim() <> "") |> Array.map indent
    let d = if depths.Length = 0 then 0 else Array.min depths
    if d = 0 then body
    else lines |> Array.map (fun l -> if l.Length >= d then l.Substring d else l.TrimStart ' ') |> String.concat "\n"

let mutable changed = 0
for page in Directory.GetFiles(Path.Combine(site, "reference"), "*.html") do
    let text = File.ReadAllText page
    let fixedText =
        code.Replace(text, MatchEvaluator(fun m -> m.Groups[1].Value + dedent m.Groups[2].Value + m.Groups[3].Value))
    if fixedText <> text then
        File.WriteAllText(page, fixedText)
        changed <- changed + 1
printfn "docs site: examples dedented on %d API pages" changed
