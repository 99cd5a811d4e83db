// Checks the built site (called by .ci/docs-site.sh): dotnet fsi check-links.fsx <site folder> <root URL>
// Every href and src of every page that stays on the site must name a file of the site, and its #anchor an
// id or name on that page; no {{parameter}} of the template may be left unsubstituted, and no cref may have
// become a link to Microsoft's docs. Lists what fails and exits 1, so a page that links to a missing page,
// heading or API type fails the build.

open System
open System.IO
open System.Text.RegularExpressions

let args = fsi.CommandLineArgs |> Array.skip 1
let site = Path.GetFullPath args[0]
let root = args[1]

let attribute = Regex "(?:href|src)=\"([^\"]*)\""
let anchorTarget = Regex "(?:id|name)=\"([^\"]*)\""
let anchorsOf =
    let cache = Collections.Generic.Dictionary<string, Set<string>>()
    fun (file: string) ->
        match cache.TryGetValue file with
        | true, a -> a
        | _ ->
            let a = anchorTarget.Matches(File.ReadAllText file) |> Seq.map (fun m -> m.Groups[1].Value) |> Set.ofSeq
            cache[file] <- a
            a

let pages = Directory.GetFiles(site, "*.html", SearchOption.AllDirectories)
let problems = ResizeArray<string>()
let mutable checkedLinks = 0
for page in pages do
    let rel = Path.GetRelativePath(site, page)
    let html = File.ReadAllText page
    for m in Regex.Matches(html, @"\{\{[a-z-]+\}\}") do
        problems.Add $"{rel}: the template parameter {m.Value} was not substituted"
    for m in attribute.Matches html do
        let link = Net.WebUtility.HtmlDecode m.Groups[1].Value
        let onSite = link.StartsWith root || not (Regex.IsMatch(link, "^([a-z]+:|//)"))
        // fsdocs links a cref it cannot resolve to Microsoft's API docs, by name.
        if link.Contains "learn.microsoft.com/dotnet/api/funcgrad" then
            problems.Add $"{rel}: {link} is a cref to FuncGrad that fsdocs could not resolve"
        if onSite && link <> "" then
            checkedLinks <- checkedLinks + 1
            let path, fragment =
                match link.IndexOf '#' with
                | -1 -> link, ""
                | i -> link.Substring(0, i), Uri.UnescapeDataString(link.Substring(i + 1))
            let path = match path.IndexOf '?' with -1 -> path | i -> path.Substring(0, i)
            let target =
                if path = "" then page
                elif path.StartsWith root then Path.Combine(site, Uri.UnescapeDataString(path.Substring root.Length))
                elif path.StartsWith "/" then Path.Combine(site, Uri.UnescapeDataString(path.TrimStart '/'))
                else Path.GetFullPath(Path.Combine(Path.GetDirectoryName page, Uri.UnescapeDataString path))
            let target = if Directory.Exists target then Path.Combine(target, "index.html") else target
            if not (File.Exists target) then problems.Add $"{rel}: {link} points at a missing file"
            elif fragment <> "" && target.EndsWith ".html" && not ((anchorsOf target).Contains fragment) then
                problems.Add $"{rel}: {link} points at a missing anchor"

if problems.Count > 0 then
    for p in problems |> Seq.distinct do eprintfn "broken: %s" p
    eprintfn "docs site: %d broken links in %d pages" (Seq.length (Seq.distinct problems)) pages.Length
    exit 1
printfn "docs site: %d links in %d pages, none broken" checkedLinks pages.Length
