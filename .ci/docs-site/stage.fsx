// Builds the input folder of `dotnet fsdocs build` from docs/ and README.md (called by .ci/docs-site.sh):
//   dotnet fsi .ci/docs-site/stage.fsx <staging folder> <folder of script outputs> [<repository file URL>]
// docs/ stays as GitHub shows it; the copy differs where a site needs something else:
// - README.md becomes the home page (index.md), its docs/ links made relative;
// - links between pages point at the .html pages, and GitHub's heading anchors become fsdocs's;
// - a script whose name a page already has (fsharp.md, fsharp.fsx) becomes X.fsx.html, not X.html;
// - links out of docs/ go to the repository URL when one is given, and are plain text otherwise;
// - every page gets front matter for the navigation, and every script a title and, at its end, the
//   output that `dotnet fsi --exec` printed for it in this build;
// - F# blocks in pages that #load or #r paths from the repository root get paths from the staging folder,
//   which sits at the depth of docs/, because fsdocs type-checks them as a script there.
// The staging folder must be a direct child of the repository root, so that the scripts' own relative
// paths (../src, ../examples) resolve as they do from docs/.

open System
open System.IO
open System.Text.RegularExpressions

let args = fsi.CommandLineArgs |> Array.skip 1
if args.Length < 2 then failwith "usage: stage.fsx <staging folder> <script outputs folder> [<repository file URL>]"
let root = Path.GetFullPath(Path.Combine(__SOURCE_DIRECTORY__, "../.."))
let docs = Path.Combine(root, "docs")
let staging = Path.GetFullPath args[0]
let outputs = Path.GetFullPath args[1]
let repoUrl = if args.Length > 2 && args[2] <> "" then Some(args[2].TrimEnd('/')) else None
if Path.GetDirectoryName staging <> root then failwithf "stage.fsx: %s is not a direct child of %s" staging root

/// The navigation: category, its place, and the pages in order (paths relative to docs/). Pages not listed
/// go last in "Guides", so a new page shows up before anyone lists it.
let categories =
    [ "Guides",
      [ "fsharp.md"; "autograd.md"; "vmap.md"; "compile.md"; "graphs.md"; "gradcheck.md"; "gp.md"; "ode.md"; "cnn.md"
        "conventions.md"; "performance.md"; "architecture.md" ]
      "Lecture", [ "lecture.md" ]
      "Scripts",
      [ "fsharp.fsx"; "vmap.fsx"; "compile.fsx"; "graphs.fsx"; "gradcheck.fsx"; "gp.fsx"; "ode.fsx"; "cnn.fsx"
        "Checks.fsx" ] ]

let relative (path: string) = Path.GetRelativePath(docs, path).Replace('\\', '/')

let scripts = Directory.GetFiles(docs, "*.fsx", SearchOption.AllDirectories) |> Array.map relative |> Array.sort

let placeOf (rel: string) =
    let listed =
        categories
        |> List.mapi (fun ci (name, pages) ->
            pages |> List.tryFindIndex ((=) rel) |> Option.map (fun i -> name, ci + 1, i + 1))
        |> List.tryPick id
    match listed with
    | Some place -> place
    | None when rel.StartsWith "lecture/" -> "Lecture", 2, 2 + Array.IndexOf(scripts, rel) // file order: 01-…, 02-…
    | None when rel.EndsWith ".fsx" -> "Scripts", 3, 100
    | None -> "Guides", 1, 100

let frontMatter (rel: string) =
    let category, categoryIndex, index = placeOf rel
    $"---\ncategory: {category}\ncategoryindex: {categoryIndex}\nindex: {index}\n---\n"

let mdFiles = Directory.GetFiles(docs, "*.md", SearchOption.AllDirectories) |> Array.map relative |> Set.ofArray

/// The staged name of a script: X.fsx.fsx (page X.fsx.html) where docs/ also has X.md, else unchanged.
let stagedScript (rel: string) =
    if mdFiles.Contains(Path.ChangeExtension(rel, ".md").Replace('\\', '/')) then rel + ".fsx" else rel

// ---- Anchors: GitHub's slug of a heading, and the anchor fsdocs gives it ----
let private codeSpan = Regex "`[^`]*`"
let private linkSyntax = Regex @"\[([^\]]*)\]\([^)]*\)"

let githubSlug (heading: string) =
    let text = linkSyntax.Replace(heading, "$1").Replace("`", "").ToLowerInvariant()
    String(text |> Seq.filter (fun c -> Char.IsLetterOrDigit c || c = ' ' || c = '-' || c = '_') |> Array.ofSeq)
        .Replace(' ', '-')

/// fsdocs drops code spans and keeps the words of letters and digits, joined by '-'.
let fsdocsAnchor (heading: string) =
    let text = codeSpan.Replace(linkSyntax.Replace(heading, "$1"), "")
    Regex.Split(text, @"[^\p{L}\p{N}]+") |> Array.filter ((<>) "") |> String.concat "-"

let headings (mdPath: string) =
    let mutable inCode = false
    [ for line in File.ReadAllLines mdPath do
          if line.StartsWith "```" then inCode <- not inCode
          elif not inCode && line.StartsWith "#" then
              let text = line.TrimStart('#').Trim()
              yield githubSlug text, fsdocsAnchor text ]
    |> dict

// ---- Links ----
let problems = ResizeArray<string>()
let private link = Regex @"(!?)\[((?:[^\[\]]|\[[^\]]*\])*)\]\(([^)\s]+)\)"

/// A link target of a page at docs/<fromDir>, as the site needs it; None: no page or file on the site.
let siteTarget (page: string) (fromDir: string) (target: string) : string option =
    let path, fragment =
        match target.IndexOf '#' with
        | -1 -> target, ""
        | i -> target.Substring(0, i), target.Substring(i + 1)
    let resolved = Path.GetFullPath(Path.Combine(docs, fromDir, (if path = "" then Path.GetFileName page else path)))
    let repoRel = Path.GetRelativePath(root, resolved).Replace('\\', '/')
    let inDocs = not (Path.GetRelativePath(docs, resolved).StartsWith "..")
    let anchor (md: string) =
        if fragment = "" then ""
        else
            match (headings md).TryGetValue fragment with
            | true, a -> "#" + a
            | _ ->
                problems.Add $"{page}: no heading of {relative md} has the anchor #{fragment}"
                "#" + fragment
    if inDocs && Path.GetRelativePath(docs, resolved).Replace('\\', '/').StartsWith "reference/" then
        Some target // the API reference, which fsdocs makes; check-links.fsx checks the link
    elif not inDocs || Directory.Exists resolved then
        match repoUrl with
        | Some url -> Some $"""{url}/{repoRel}{(if fragment = "" then "" else "#" + fragment)}"""
        | None -> None
    elif not (File.Exists resolved) then
        problems.Add $"{page}: the link {target} points at {repoRel}, which does not exist"
        Some target
    else
        let siteRel (rel: string) =
            Path.GetRelativePath(Path.Combine(docs, fromDir), Path.Combine(docs, rel)).Replace('\\', '/')
        match Path.GetExtension resolved with
        | ".md" -> Some(siteRel (Path.ChangeExtension(relative resolved, ".html")) + anchor resolved)
        | ".fsx" -> Some(siteRel (Path.ChangeExtension(stagedScript (relative resolved), ".html")))
        | _ -> Some target

/// Rewrites the links of a markdown text outside code blocks and code spans.
let rewriteLinks (page: string) (fromDir: string) (text: string) =
    let mutable inCode = false
    text.Split('\n')
    |> Array.map (fun line ->
        if line.TrimStart().StartsWith "```" then
            inCode <- not inCode
            line
        elif inCode then line
        else
            // Code spans are left alone: split on backticks, rewrite the even parts only.
            line.Split('`')
            |> Array.mapi (fun i part ->
                if i % 2 = 1 then part
                else
                    link.Replace(part, MatchEvaluator(fun m ->
                        let bang, label, target = m.Groups[1].Value, m.Groups[2].Value, m.Groups[3].Value
                        if Regex.IsMatch(target, "^[a-z]+:") then m.Value
                        elif target.StartsWith "#" && not (page.EndsWith ".md") then m.Value
                        else
                            match siteTarget page fromDir target with
                            | Some t -> $"{bang}[{label}]({t})"
                            | None -> label)))
            |> String.concat "`")
    |> String.concat "\n"

/// F# blocks of a page at docs/<fromDir> that #load or #r paths from the repository root, as readers type
/// them into fsi there. fsdocs type-checks a page's F# blocks as a script beside the page, and resolves every
/// line of the page that starts with #load or #r, in any block; so such a block becomes a hidden one with the
/// paths as seen from the page, and the block as written is shown as HTML, its '#' written &#35;. A block that
/// references the packages gets the same treatment, with this build's DLLs in the hidden copy.
let rewriteLoads (fromDir: string) (text: string) =
    let up = String.replicate (1 + (if fromDir = "" then 0 else fromDir.Split('/').Length)) "../"
    let fromRoot = Regex("^(#load|#r) \"((src|examples)/)", RegexOptions.Multiline)
    // The packages' own lines (#r "nuget: FuncGrad...") name packages no feed has while they are unpublished:
    // the hidden block references this build's DLLs instead.
    let fromPackage = Regex("^#r \"nuget: (FuncGrad(\\.Core|\\.Testing)?)\\b[^\"]*\"", RegexOptions.Multiline)
    let built (package: string) =
        let reference (project: string) (dll: string) = $"#r \"{up}src/{project}/bin/Release/net10.0/{dll}.dll\""
        let core = [ reference "Functional.FSharp" "FuncGrad.Core" ]
        let fsharp = core @ [ reference "Functional.FSharp" "FuncGrad" ]
        let testing = fsharp @ [ reference "Testing.FSharp" "FsCheck"; reference "Testing.FSharp" "FuncGrad.Testing" ]
        String.concat "\n" (if package = "FuncGrad.Core" then core elif package = "FuncGrad" then fsharp else testing)
    let block = Regex("^```fsharp\n(.*?)^```$", RegexOptions.Multiline ||| RegexOptions.Singleline)
    block.Replace(text, MatchEvaluator(fun m ->
        let code = m.Groups[1].Value
        if not (fromRoot.IsMatch code || fromPackage.IsMatch code) then m.Value
        else
            let seenFromPage =
                fromRoot.Replace(code, (fun (l: Match) -> $"{l.Groups[1].Value} \"{up}{l.Groups[2].Value}"))
                |> fun c -> fromPackage.Replace(c, (fun (l: Match) -> built l.Groups[1].Value))
            let shown =
                code.TrimEnd().Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;").Replace("#", "&#35;")
                // A blank line would end the HTML block in Markdown, and the lines after it would lose their indent.
                |> fun c -> Regex.Replace(c, "^$", "&#32;", RegexOptions.Multiline)
            $"```fsharp\n[hide]\n{seenFromPage}```\n\n"
            + "<table class=\"pre\"><tr><td class=\"snippet\"><pre class=\"fssnip\">"
            + $"<code lang=\"fsharp\">{shown}</code></pre>"
            + "</td></tr></table>"))

// ---- Stage ----
if Directory.Exists staging then Directory.Delete(staging, true)
Directory.CreateDirectory staging |> ignore

// Everything that is neither a page nor a script (images, the DOT and Mermaid sources) as it is.
for file in Directory.GetFiles(docs, "*", SearchOption.AllDirectories) do
    let rel = relative file
    let ext = Path.GetExtension file
    if ext <> ".md" && ext <> ".fsx" && not (Path.GetFileName(file).StartsWith "_") then
        let dest = Path.Combine(staging, rel)
        Directory.CreateDirectory(Path.GetDirectoryName dest) |> ignore
        File.Copy(file, dest)

for rel in mdFiles do
    let fromDir = Path.GetDirectoryName(rel).Replace('\\', '/')
    let text = File.ReadAllText(Path.Combine(docs, rel))
    let dest = Path.Combine(staging, rel)
    Directory.CreateDirectory(Path.GetDirectoryName dest) |> ignore
    File.WriteAllText(dest, frontMatter rel + rewriteLoads fromDir (rewriteLinks rel fromDir text))

// The home page: README.md, whose links start at the repository root.
let readme = File.ReadAllText(Path.Combine(root, "README.md"))
let readmeLinks =
    // Seen from docs/: docs/X is X, any other relative path is ../X.
    Regex.Replace(readme, @"\]\((?![a-z]+:|#)(docs/)?", MatchEvaluator(fun m ->
        if m.Groups[1].Success then "](" else "](../"))
    |> rewriteLinks "index.md" ""
File.WriteAllText(Path.Combine(staging, "index.md"), rewriteLoads "" readmeLinks)

for rel in scripts do
    let outputFile = Path.Combine(outputs, rel + ".out")
    if not (File.Exists outputFile) then failwithf "stage.fsx: no output of docs/%s in %s" rel outputs
    let output = File.ReadAllText(outputFile).TrimEnd().Replace("*)", "* )")
    let fence = if output.Contains "```" then "~~~~" else "```"
    let title =
        $"(**\n{frontMatter rel}*)\n(**\n# {Path.GetFileName rel}\n\n"
        + $"`docs/{rel}`, run from the repository root with `dotnet fsi docs/{rel}`; "
        + "what it printed is at the end.\n*)\n"
    let printed =
        $"\n(**\n## Output\n\nWhat `dotnet fsi --exec docs/{rel}` printed when this site was built:\n\n"
        + $"{fence}text\n{output}\n{fence}\n*)\n"
    let dest = Path.Combine(staging, stagedScript rel)
    Directory.CreateDirectory(Path.GetDirectoryName dest) |> ignore
    File.WriteAllText(dest, title + File.ReadAllText(Path.Combine(docs, rel)) + printed)

if problems.Count > 0 then
    for p in problems do eprintfn "broken link: %s" p
    exit 1
printfn "staged %d pages and %d scripts in %s" (mdFiles.Count + 1) scripts.Length staging
